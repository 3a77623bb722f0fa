// English messages of the `audit` namespace: the audit log page.

export default {
  audit: {
    title: 'Audit log',
    intro: 'Who did what to which target, and when: incidents, accounts, alert thresholds, webhooks, the directory, e-mail.',
    filters: 'Filter the log',
    by: 'By',
    action: 'Action',
    allActions: 'All actions',
    target: 'Target',
    targetHint: 'e.g. incident:12, or incident: for every incident',
    from: 'From',
    to: 'To',
    apply: 'Filter',
    reset: 'Clear filters',
    range: '{first}–{last} of {total}',
    none: 'No entry matches the filters.',
    previous: 'Previous page',
    next: 'Next page',
    columns: { at: 'Time', by: 'By', action: 'Action', target: 'Target', detail: 'Detail' },
    system: 'System',
    /** Each action by its family and name, as the log writes it (`incident.acknowledge`). */
    actions: {
      incident: {
        acknowledge: 'Acknowledge an incident',
        comment: 'Comment on an incident',
        resolve: 'Resolve an incident',
        isp: 'Provider ticket',
        'chair-informed': 'Chair informed',
      },
      maintenance: {
        create: 'Set a maintenance window',
        end: 'End a maintenance window',
      },
      rules: {
        replace: 'Change the alert thresholds',
      },
      user: {
        create: 'Create an account',
        update: 'Change an account',
        delete: 'Delete an account',
      },
      displayToken: {
        create: 'Create a display token',
        revoke: 'Revoke a display token',
      },
      webhook: {
        create: 'Add a webhook',
        update: 'Change a webhook',
        delete: 'Delete a webhook',
      },
      contact: {
        create: 'Add a contact',
        update: 'Change a contact',
        delete: 'Remove a contact',
      },
      mail: {
        settings: 'E-mail settings',
      },
      loadTest: {
        start: 'Start a capacity test',
        stop: 'Stop a capacity test',
      },
      plan: {
        create: 'Create a meeting plan',
        update: 'Change a meeting plan',
        delete: 'Delete a meeting plan',
        calendar: 'Change the holidays and the move rule',
        seed: 'Load the regular meetings',
      },
      readiness: {
        run: 'Run a readiness check',
        settings: 'Readiness check settings',
      },
      checklist: {
        pre: 'Pre-meeting checklist',
        shutdown: 'Shutdown checklist',
      },
    },
    /** A family of actions (`incident.`): every action of it. */
    families: {
      incident: 'Incidents (every action)',
      user: 'Accounts (every action)',
      contact: 'Directory (every action)',
      plan: 'Meeting plans (every action)',
      checklist: 'Checklists (every action)',
    },
  },
};
