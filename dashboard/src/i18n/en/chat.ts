// English messages of the `chat` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/chat.ts';

export default {
  chat: {
    title: 'Chat',
    placeholder: 'Type a message…',
    send: 'Send',
    empty: 'No messages yet.',
    readOnly: 'Attendees can read the chat only.',
    roles: {
      operator: 'control',
      chair: 'chair',
      site: 'site',
      seat: 'attendee',
      wall: 'wall',
    },
  },
} satisfies MessagesLike<typeof vi>;
