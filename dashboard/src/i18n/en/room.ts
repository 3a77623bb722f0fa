// English messages of the `room` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/room.ts';

export default {
  room: {
    title: 'Online room',
    present: 'Present content',
    stopPresenting: 'Stop presenting',
    contentBy: 'Presented content — {site}',
    checking: 'Looking for this site’s meeting…',
    waiting: 'No meeting has invited this site yet. The page checks again every {s} s.',
    choose: 'This site is invited to {n} meetings. Choose one to join:',
    join: 'Join',
    joining: 'Joining the meeting…',
    hasFloor: 'You have the floor',
    noFloor: 'Microphone off — waiting for the chair to give the floor',
    micOn: 'Microphone on',
    micOffSelf: 'Microphone off (muted by this site)',
    openMic: 'Open microphone',
    closeMic: 'Mute microphone',
    raise: 'Request to speak',
    raised: 'Request sent',
    queuePosition: 'Position in the queue: {pos}/{total}',
    notQueued: 'No speaking request',
    noVideo: 'No picture yet',
    offline: 'Not connected',
    self: 'Outgoing',
    emptySlot: 'Empty',
    enableSound: 'Turn sound on',
    soundBlocked: 'The browser is blocking the other sites’ sound.',
    readOnly: 'View only: attendees send no picture, sound or messages.',
    deviceFailed: 'Could not open the camera or microphone ({reason}); this site only receives.',
    layout: 'Layout: featured {featured}, grid of {grid}',
  },
} satisfies MessagesLike<typeof vi>;
