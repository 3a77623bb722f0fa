// English messages of the `readiness` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/readiness.ts';

export default {
  readiness: {
    state: {
      ready: 'Ready',
      'not-ready': 'Not ready',
      'not-checked': 'Not checked',
    },
    direction: {
      send: 'sending',
      recv: 'receiving',
    },
    reason: {
      'call-not-opened': 'The test call could not be opened: {error}',
      'not-joined': 'The site did not join its test call',
      'no-media': 'No picture or sound ({direction})',
      'loss-high': 'Packet loss {value} % ({direction}; threshold {threshold} %)',
      'jitter-high': 'Jitter {value} ms ({direction}; threshold {threshold} ms)',
      'fps-low': 'Picture at {value} frames/s ({direction}; at least {threshold})',
      'audio-silent': 'No sound heard ({direction})',
      'rtt-high': 'Round trip {value} ms (threshold {threshold} ms)',
      'power-unknown': 'No power or UPS readings',
      'on-battery': 'Mains lost: running on the UPS battery',
      'battery-low': 'UPS battery {value} % (at least {threshold} %)',
      'runtime-short': 'UPS runtime only {minutes} min (at least {threshold} min)',
      'room-unknown': 'No room temperature or humidity readings',
      'temp-high': 'Room at {value} °C (threshold {threshold} °C)',
      'humidity-high': 'Room humidity {value} % (threshold {threshold} %)',
      'checklist-item': 'Checklist item found wrong: {item} {note}',
      'capacity-untested': 'No capacity test before a big meeting',
      'capacity-failed': 'Capacity test #{run} did not hold: {failed}',
    },
  },
} satisfies MessagesLike<typeof vi>;
