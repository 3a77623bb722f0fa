// English messages of the `nav` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/nav.ts';

export default {
  nav: {
    label: 'Navigation',
    wall: 'NOC wall',
    site: 'Sites',
    ownSite: 'My site',
    pickSite: 'Choose a site…',
    room: 'Online room',
    control: 'Meeting control',
    admin: 'Administration',
    signOut: 'Sign out',
    language: 'Language',
    incidents: 'Incidents',
    maintenance: 'Maintenance',
    rules: 'Alert thresholds',
    // reports
    reports: 'Reports',
    loadTests: 'Capacity tests',
    // ---- The directory and the audit log ----
    directory: 'Directory',
    audit: 'Audit log',
    // ---- Meeting plans (Điều 7) ----
    plans: 'Meeting plans',
  },
} satisfies MessagesLike<typeof vi>;
