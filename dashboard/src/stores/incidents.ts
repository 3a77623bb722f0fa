// The incidents not resolved yet that this user may see, newest first, as the
// live feed keeps them: the whole list after each greeting (`incidents`), then
// each change (`incident`). Pages that show one incident or a filtered list
// watch `rev` (or `lastChange`) and read again from the API.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Incident } from '@noc/shared/incidents';

const newestFirst = (a: Incident, b: Incident): number => b.openedAt - a.openedAt || b.id - a.id;

export const useIncidentsStore = defineStore('incidents', () => {
  const active = shallowRef<Incident[]>([]);
  /** The newest change the feed brought. */
  const lastChange = shallowRef<Incident | null>(null);
  /** Changes whenever `active` or any incident changed. */
  const rev = ref(0);
  /** The feed has sent the list at least once. */
  const loaded = ref(false);

  function setActive(list: readonly Incident[]): void {
    active.value = [...list].sort(newestFirst);
    loaded.value = true;
    rev.value++;
  }

  function apply(incident: Incident): void {
    const rest = active.value.filter((i) => i.id !== incident.id);
    active.value = incident.state === 'resolved' ? rest : [...rest, incident].sort(newestFirst);
    lastChange.value = incident;
    rev.value++;
  }

  return { active, lastChange, rev, loaded, setActive, apply };
});
