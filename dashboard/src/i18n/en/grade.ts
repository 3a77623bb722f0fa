// English messages of the `grade` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/grade.ts';

export default {
  grade: {
    good: 'Good',
    ok: 'Fair',
    bad: 'Poor',
    terrible: 'Very poor',
    none: 'No data',
  },
} satisfies MessagesLike<typeof vi>;
