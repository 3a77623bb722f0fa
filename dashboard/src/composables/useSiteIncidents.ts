// The incidents of one site not resolved yet, newest first: read from
// `GET /api/incidents?site=…&state=active` when the site is opened, then kept
// by the site's live feed (the whole list after each greeting, then each
// change). A change that comes while the read is on its way is laid over its
// answer, so the read never takes it back.
import { ref, shallowRef, watch, type Ref } from 'vue';
import type { Incident } from '@noc/shared/incidents';
import { api, reasonOf } from '../api.ts';
import { mergeIncident, newestFirst } from '../stores/incidents.ts';

export function useSiteIncidents(site: Ref<string>) {
  const incidents = shallowRef<Incident[]>([]);
  const loaded = ref(false);
  const error = ref<string | null>(null);
  /** Changes the feed brought while a read is on its way. */
  let during: Incident[] | null = null;
  let asked = 0;

  async function reload(): Promise<void> {
    const forSite = site.value;
    const mine = ++asked;
    during = [];
    try {
      const answer = await api('incidents', { query: { site: forSite, state: 'active' } });
      if (mine !== asked || forSite !== site.value) return;
      incidents.value = (during ?? []).reduce(mergeIncident, [...answer.incidents].sort(newestFirst));
      error.value = null;
    } catch (err) {
      if (mine === asked) error.value = reasonOf(err);
    } finally {
      if (mine === asked) {
        during = null;
        loaded.value = true;
      }
    }
  }

  /** The feed's whole list: newer than any read on its way. */
  function setActive(active: readonly Incident[]): void {
    asked++;
    during = null;
    incidents.value = [...active].sort(newestFirst);
    loaded.value = true;
    error.value = null;
  }

  function apply(change: Incident): void {
    during?.push(change);
    incidents.value = mergeIncident(incidents.value, change);
  }

  watch(
    site,
    () => {
      incidents.value = [];
      loaded.value = false;
      void reload();
    },
    { immediate: true },
  );

  return { incidents, loaded, error, reload, setActive, apply };
}
