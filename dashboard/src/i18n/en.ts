import type { Messages } from './vi.ts';

export const en: Messages = {
  wall: {
    title: 'Online room monitoring',
    subtitle: 'Hòa Bình Department of Education and its Continuing Education Centres',
    sitesOnline: '{online}/{total} sites online',
    feedLive: 'Live data',
    feedLost: 'Lost connection to the monitoring server',
  },
  site: {
    role: { main: 'Main point', backup: 'Backup point', site: 'Site' },
    online: 'Online',
    offline: 'No signal',
    waiting: 'Waiting for data',
    rtt: 'Round-trip time',
    heartbeat: 'Last heard',
    never: 'never',
    secondsAgo: '{n} s ago',
    minutesAgo: '{n} min ago',
    last15: 'last 15 minutes',
  },
};
