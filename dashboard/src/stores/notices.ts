// What the desk pages tell the user: refused requests and failures, in the
// words of the interface (Vietnamese first), never swallowed. A notice keeps the
// server's own message as its detail, for the technician.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { SignallingRequestError } from '@noc/shared/signalling-client';

/** What the user was doing; each has a label under `errors.action`. */
export type ActionKey =
  | 'create'
  | 'list'
  | 'join'
  | 'media'
  | 'content'
  | 'micOpen'
  | 'micClose'
  | 'raise'
  | 'grant'
  | 'revoke'
  | 'dismiss'
  | 'layout'
  | 'chat'
  | 'invite'
  | 'remove';

export interface Notice {
  id: number;
  level: 'error' | 'info';
  /** An i18n key and its parameters; parameters in `paramKeys` are i18n keys themselves. */
  key: string;
  params: Record<string, string | number>;
  paramKeys: Record<string, string>;
  /** The signalling error code, when the server refused. */
  code: string | null;
  /** The server's or the browser's own words. */
  detail: string | null;
  at: number;
}

const KEEP = 5;

export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([]);
  let nextId = 1;

  function push(notice: Omit<Notice, 'id' | 'at' | 'params' | 'paramKeys' | 'code' | 'detail'> & Partial<Notice>): Notice {
    const full: Notice = { params: {}, paramKeys: {}, code: null, detail: null, ...notice, id: nextId++, at: Date.now() };
    notices.value = [...notices.value, full].slice(-KEEP);
    return full;
  }

  /** Shows a failed action: a refusal of the server by its code, anything else as a connection error. */
  function failed(action: ActionKey, err: unknown): void {
    if (err instanceof SignallingRequestError) {
      if (action === 'micOpen' && err.code === 'unauthorised') {
        push({ level: 'error', key: 'errors.micWithoutFloor', code: err.code, detail: err.message });
        return;
      }
      push({
        level: 'error',
        key: 'errors.failed',
        paramKeys: { action: `errors.action.${action}`, reason: `errors.code.${err.code}` },
        code: err.code,
        detail: err.message,
      });
      return;
    }
    push({
      level: 'error',
      key: 'errors.failed',
      paramKeys: { action: `errors.action.${action}`, reason: 'errors.code.network' },
      code: 'network',
      detail: err instanceof Error ? err.message : String(err),
    });
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  return { notices, push, failed, dismiss };
});
