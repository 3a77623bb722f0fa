// English messages of the `directory` namespace: the contacts' directory (Article 10.3).

export default {
  directory: {
    title: 'Technician directory',
    intro:
      "Names, units, duties, phones and e-mails of the sites' technicians (Article 10.3), the chair and the provider's contacts. The site pages and the incident e-mails read this directory.",
    count: 'Contacts: {n}',
    add: 'Add a contact',
    new: 'New contact',
    editing: 'Edit contact: {name}',
    edit: 'Edit',
    remove: 'Remove',
    confirmRemove: 'Remove {name} from the directory?',
    removed: '{name} removed.',
    saved: '{name} saved.',
    none: 'The directory has no contact yet.',
    allSites: 'All sites',
    filterSite: 'Site',
    field: {
      name: 'Full name',
      unit: 'Unit',
      duty: 'Duty',
      phone: 'Phone',
      email: 'E-mail',
      site: 'Site',
      kind: 'Role',
    },
    kind: {
      technician: 'Technician',
      isp: 'Provider contact',
      chair: 'Meeting chair',
    },
    invalid: {
      name: 'Enter the full name (at most 80 characters).',
      unit: 'Enter the unit (at most 120 characters).',
      duty: 'Enter the duty (at most 120 characters).',
      phone: 'A phone number: digits, spaces, +, (, ), - (6 to 20 characters).',
      email: 'Not a valid e-mail address.',
      site: 'Choose a site.',
    },
  },
};
