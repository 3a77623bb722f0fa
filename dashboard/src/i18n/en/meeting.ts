// English messages of the `meeting` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/meeting.ts';

export default {
  meeting: {
    kinds: {
      hop: 'Meeting',
      'hoi-nghi': 'Conference',
      'giao-ban': 'Briefing',
      'tap-huan': 'Training',
      'sinh-hoat-chuyen-mon': 'Professional development',
      'du-gio': 'Class observation',
      'thi-giao-vien-gioi': 'Teaching contest',
    },
    speaking: 'Speaking: {site}',
    nobodySpeaking: 'Nobody has the floor',
    removed: 'This site left the meeting: {reason}',
    replaced: 'A new connection of the same site replaced this page; it will not rejoin by itself.',
    closed: 'The meeting has ended: {reason}',
    rejoin: 'Rejoin',
    startedAt: 'Started at {time}',
    auto: 'Automatic',
  },
} satisfies MessagesLike<typeof vi>;
