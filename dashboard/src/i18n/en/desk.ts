// English messages of the `desk` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/desk.ts';

export default {
  desk: {
    dateTime: {
      placeholder: 'day/month/year hh:mm',
      select: 'Select',
      cancel: 'Cancel',
      now: 'Now',
    },
    product: 'Online rooms of the Hòa Bình Department of Education',
    connecting: 'Connecting to the conference server…',
    connected: 'Connected',
    reconnectIn: 'Lost the conference server — retrying in {s} s',
    reconnectNow: 'Lost the conference server — retrying…',
    noToken: 'No access code. Open this page with the link (?token=…) the IT team of the Department gave you.',
    tokenRefused: 'The conference server refused the access code ({reason}). Ask for a new link.',
    wrongRole: 'This access code is for “{role}” and cannot be used on this page.',
    node: {
      main: 'Main server (Department)',
      backup: 'Backup server (City centre)',
    },
    dismiss: 'Dismiss',
    detail: 'Details',
    roles: {
      operator: 'Control-centre operator',
      chair: 'Chair',
      site: 'Site endpoint',
      seat: 'Attendee (view only)',
      wall: 'Wall screen',
    },
  },
} satisfies MessagesLike<typeof vi>;
