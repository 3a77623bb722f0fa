// The interface's languages, Vietnamese first.
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
