// English messages of the `access` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/access.ts';

export default {
  access: {
    deniedTitle: 'Access denied',
    denied: 'The account {user} ({role}) may not open {path}.',
    deniedSite: 'A technician sees only their own site.',
    missingTitle: 'Page not found',
    missing: 'There is no page {path}.',
    home: 'Go to my home page',
  },
} satisfies MessagesLike<typeof vi>;
