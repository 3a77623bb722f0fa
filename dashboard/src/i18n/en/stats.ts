// English messages of the `stats` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/stats.ts';

export default {
  stats: {
    title: 'Connection diagnostics',
    every: 'updated every {s} s',
    site: 'Site',
    framesDecoded: 'Frames decoded',
    fps: 'fps',
    resolution: 'Resolution',
    freezes: 'Freezes',
    jitter: 'Video jitter (ms)',
    loss: 'Loss (%)',
    bitrate: 'Bitrate (kbps)',
    audioPackets: 'Audio packets in',
    audioLevel: 'Audio level',
    thisSite: 'This site (sending)',
    thisDevice: 'This device’s connection',
    rtt: 'RTT',
    path: 'Media path',
    sentVideo: 'Video out',
    sentAudio: 'Audio out',
    noData: 'No figures yet.',
  },
} satisfies MessagesLike<typeof vi>;
