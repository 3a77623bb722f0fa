// English messages of the `common` namespace: exactly the keys of the Vietnamese ones.
import type { MessagesLike } from '../merge.ts';
import type vi from '../vi/common.ts';

export default {
  common: {
    save: 'Save',
    cancel: 'Cancel',
    delete: 'Delete',
    edit: 'Edit',
    close: 'Close',
    copy: 'Copy',
    copied: 'Copied',
    yes: 'Yes',
    no: 'No',
    none: '—',
    loading: 'Loading…',
    loadFailed: 'Could not load the data: {reason}',
    retry: 'Retry',
    actionFailed: 'Failed: {reason}',
  },
} satisfies MessagesLike<typeof vi>;
