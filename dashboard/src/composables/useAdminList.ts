// A list an admin panel manages: read from the API when the panel mounts, its
// loading and failed states, one row put in place or taken out after a change,
// the status line and busy flag of the actions taken on it, and the one row
// open at a time below its line (a form, a log, a confirmation: `W` names them).
import { onMounted, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { reasonOf } from '../api.ts';

/** `read` fetches the rows (`async () => (await api('users.list')).users`). */
export function useAdminList<T, W extends string = never>(read: () => Promise<T[]>, same: (a: T, b: T) => boolean) {
  const { t } = useI18n();
  const items = ref<T[]>([]) as Ref<T[]>;
  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  const status = ref<{ text: string; error: boolean } | null>(null);
  const busy = ref(false);
  const open = ref<{ item: T; what: W } | null>(null) as Ref<{ item: T; what: W } | null>;

  async function load(): Promise<void> {
    try {
      items.value = await read();
      loadError.value = null;
    } catch (err) {
      loadError.value = reasonOf(err);
    } finally {
      loaded.value = true;
    }
  }

  /** Puts a changed or new row in place. */
  function replace(item: T): void {
    const i = items.value.findIndex((x) => same(x, item));
    if (i === -1) items.value.push(item);
    else items.value[i] = item;
  }

  /** The status line, in the interface's words. */
  function say(message: string, params: Record<string, string>, error = false): void {
    status.value = { text: t(message, params), error };
  }

  /** A row changed or made: put in place, its open row closed, and said. */
  function placed(item: T, message: string, params: Record<string, string>): void {
    replace(item);
    open.value = null;
    say(message, params);
  }

  /** A row deleted: taken out, and said. */
  function removed(item: T, message: string, params: Record<string, string>): void {
    items.value = items.value.filter((x) => !same(x, item));
    open.value = null;
    say(message, params);
  }

  /** Whether `item`'s row is open (showing `what`, when given). */
  const isOpen = (item: T, what?: W): boolean =>
    open.value !== null && same(open.value.item, item) && (what === undefined || open.value.what === what);
  const showRow = (item: T, what: W): void => {
    open.value = { item, what };
  };
  /** Opens `what` under the row, or closes it when it is the one open. */
  const toggleRow = (item: T, what: W): void => {
    open.value = isOpen(item, what) ? null : { item, what };
  };
  const closeRow = (): void => {
    open.value = null;
  };

  /** Runs an action on the list, one at a time; a failure goes to the status line. */
  async function run(action: () => Promise<void>): Promise<void> {
    busy.value = true;
    try {
      await action();
    } catch (err) {
      status.value = { text: t('common.actionFailed', { reason: reasonOf(err) }), error: true };
    } finally {
      busy.value = false;
    }
  }

  onMounted(load);
  return { items, loaded, loadError, status, busy, load, replace, run, say, placed, removed, isOpen, showRow, toggleRow, closeRow };
}
