// English messages of the `account` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/account.ts';

export default {
  account: {
    product: 'Online-room monitoring — Hòa Bình Department of Education and Training',
    productShort: 'Online-room monitoring',
    owner: 'Hòa Bình Department of Education and Training',
    roles: {
      admin: 'Administrator',
      operator: 'Control-centre operator',
      chair: 'Chair',
      technician: 'Site technician',
      wall: 'Wall display',
    },
  },
} satisfies MessagesLike<typeof vi>;
