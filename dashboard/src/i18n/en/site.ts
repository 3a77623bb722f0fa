// English messages of the `site` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/site.ts';

export default {
  site: {
    role: {
      main: 'Main point',
      backup: 'Backup point',
      site: 'Site',
    },
    roleShort: {
      main: 'Main',
      backup: 'Backup',
    },
    ok: 'Online',
    stale: 'No signal',
    waiting: 'Waiting for data',
    rtt: 'RTT',
    loss: 'Loss',
    jitter: 'Jitter',
    video: 'Video',
    resolution: 'Resolution',
    audio: 'Audio',
    fps: 'fps',
    staleValue: 'Old value — the site stopped reporting',
    heartbeat: 'Last heard',
    never: 'never',
    secondsAgo: '{n} s ago',
    minutesAgo: '{n} min ago',
    hoursAgo: '{n} h ago',
    mains: 'Mains power',
    battery: 'UPS {pct}% · {minutes} min left',
    upsLost: 'UPS not readable',
    powerUnknown: 'Power unknown',
    mos: 'MOS',
  },
} satisfies MessagesLike<typeof vi>;
