// English messages of the `mail` namespace: e-mail on the admin page.

export default {
  mail: {
    title: 'E-mail',
    off: 'No mail server is configured (NOC_SMTP_URL, NOC_MAIL_FROM): no e-mail is sent.',
    on: 'Sent through {server}, from {from}.',
    rules:
      "A site's technicians get the e-mails of their own site's incidents; the control centre's technicians (Sở GD&ĐT, TTGDTX Thành phố) get every site's from the severity chosen below, and every escalation. The chair gets the e-mail when a technician reports a lost link.",
    controlMinSeverity: 'Control centre gets incidents from',
    save: 'Save',
    saved: 'E-mail settings saved.',
    outbox: 'Outbox',
    refresh: 'Reload',
    empty: 'No e-mail yet.',
    columns: {
      recipient: 'Recipient',
      subject: 'Subject',
      incident: 'Incident',
      state: 'State',
      attempts: 'Attempts',
      lastError: 'Last error',
      createdAt: 'Created',
      nextAttemptAt: 'Next attempt',
      sentAt: 'Sent',
    },
    state: { pending: 'Waiting to be sent', sent: 'Sent', failed: 'Given up' },
  },
};
