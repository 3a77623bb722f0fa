// English messages of the `wall` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/wall.ts';

export default {
  wall: {
    title: 'Online room monitoring',
    subtitle: 'Hòa Bình Department of Education and its Continuing Education Centres',
    sitesOnline: '{online}/{total} sites online',
    feedLive: 'Live data',
    feedLost: 'Lost connection to the monitoring server',
    feedRetry: 'Lost connection to the monitoring server — retrying in {s} s',
    feedConnecting: 'Connecting to the monitoring server…',
    signedOut: 'The session has ended — going to the sign-in page',
    topology: 'Network',
    node: {
      main: 'Main server',
      backup: 'Backup server',
    },
    nodeState: {
      up: 'up',
      degraded: 'degraded',
      down: 'down',
      disabled: 'not configured',
      unknown: 'unknown',
    },
    alerts: 'Open alerts',
    alertsNone: 'No open alerts',
    alertsMore: 'and {n} more',
    since: 'since {time}',
    meeting: 'Running meeting',
    meetingNone: 'No meeting is running',
    meetingMore: 'and {n} more meetings',
    loadTest: {
      heading: 'Capacity test running',
      title: 'Capacity test',
      kind: 'Test, not a meeting',
      note: 'Simulated seats and sites load the SFU; no site is in a meeting.',
    },
    carriedBy: {
      main: 'On the main server',
      backup: 'On the backup server',
    },
    floor: 'Speaking',
    floorNone: 'Nobody has the floor',
    queue: 'Queue',
    queueEmpty: 'No requests',
    next: 'Next planned meeting',
    nextNone: 'No meeting planned',
    startsIn: {
      days: 'in {n} days',
      hours: 'in {n} h',
      minutes: 'in {n} min',
    },
  },
} satisfies MessagesLike<typeof vi>;
