// English messages of the `errors` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/errors.ts';

export default {
  errors: {
    failed: '{action} failed: {reason}.',
    micWithoutFloor: 'The server refused to open the microphone: a site may open it only when the chair gives it the floor (article 9.2).',
    connection: 'Could not reach the conference server.',
    transportFailed: 'The media connection broke; reconnecting.',
    load: 'Could not load the page configuration ({reason}).',
    code: {
      'bad-message': 'malformed message',
      'too-large': 'message too large',
      'unknown-method': 'the server does not support this',
      'invalid-data': 'invalid data',
      unauthorised: 'not allowed',
      'not-found': 'not found',
      conflict: 'not possible in this state',
      'limit-reached': 'limit reached',
      internal: 'server error',
      network: 'connection error',
    },
    action: {
      create: 'Creating the meeting',
      list: 'Listing meetings',
      join: 'Joining the meeting',
      media: 'Connecting picture and sound',
      content: 'Presenting content',
      micOpen: 'Opening the microphone',
      micClose: 'Muting the microphone',
      raise: 'Requesting to speak',
      grant: 'Giving the floor',
      revoke: 'Taking the floor back',
      dismiss: 'Skipping the request',
      layout: 'Changing the layout',
      chat: 'Sending the message',
      invite: 'Inviting the site',
      remove: 'Removing the site',
    },
  },
} satisfies MessagesLike<typeof vi>;
