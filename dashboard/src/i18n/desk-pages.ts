// Strings of the sign-in, admin and site pages and the desk navigation, in both languages.
const viPages = {
  nav: {},
};

export type DeskPagesMessages = typeof viPages;

const enPages: DeskPagesMessages = {
  nav: {},
};

export const deskPages = { vi: viPages, en: enPages };
