// A list an admin panel manages: read from the API when the panel mounts, its
// loading and failed states, one row put in place after a change, and the
// status line and busy flag of the actions taken on it.
import { onMounted, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { api, reasonOf } from '../api.ts';

export function useAdminList<T>(path: string, key: string, same: (a: T, b: T) => boolean) {
  const { t } = useI18n();
  const items = ref<T[]>([]) as Ref<T[]>;
  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  const status = ref<{ text: string; error: boolean } | null>(null);
  const busy = ref(false);

  async function load(): Promise<void> {
    try {
      items.value = (await api<Record<string, T[]>>(path))[key] ?? [];
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
  return { items, loaded, loadError, status, busy, load, replace, run };
}
