// Who gets an incident's mail, from the directory: the technicians of the
// incident's site always; the control centre's (the technicians of the main
// and backup points) from the severity the admin set, and every escalation.
// One message per address, whatever the letter case.
import type { Contact } from '@noc/shared/directory';
import { SEVERITY_RANK, type Incident } from '@noc/shared/incidents';
import type { MailSettings } from '@noc/shared/mail';
import type { MailEvent } from './mail-templates.ts';

/** The notifications that are mailed: an incident's start in its forms, its escalation and its end. */
export const MAILED_EVENTS: readonly MailEvent[] = ['opened', 'reopened', 'severity', 'unsuppressed', 'escalated', 'resolved'];

const unique = (contacts: readonly Contact[]): string[] => {
  const seen = new Map<string, string>();
  for (const c of contacts) if (!seen.has(c.email.toLowerCase())) seen.set(c.email.toLowerCase(), c.email);
  return [...seen.values()];
};

export function incidentRecipients(
  event: MailEvent,
  incident: Pick<Incident, 'site' | 'severity'>,
  contacts: readonly Contact[],
  centreSites: ReadonlySet<string>,
  settings: MailSettings,
): string[] {
  const technicians = contacts.filter((c) => c.kind === 'technician');
  const own = technicians.filter((c) => c.site === incident.site);
  const centreWants = event === 'escalated' || SEVERITY_RANK[incident.severity] <= SEVERITY_RANK[settings.controlMinSeverity];
  const centre = centreWants ? technicians.filter((c) => centreSites.has(c.site)) : [];
  return unique([...own, ...centre]);
}

/** The chairs in the directory: told of a lost link. */
export const chairRecipients = (contacts: readonly Contact[]): string[] => unique(contacts.filter((c) => c.kind === 'chair'));
