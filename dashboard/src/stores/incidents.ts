// The incidents not resolved yet that this user may see, newest first, as the
// live feed keeps them: the whole list after each greeting (`incidents`), then
// each change (`incident`). The wall lists them; the site page keeps its own
// site's the same way (`mergeIncident`).
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { Incident } from '@noc/shared/incidents';

export const newestFirst = (a: Incident, b: Incident): number => b.openedAt - a.openedAt || b.id - a.id;

/** The list after one incident changed: put in its place, or taken out once resolved. */
export function mergeIncident(list: readonly Incident[], change: Incident): Incident[] {
  const rest = list.filter((i) => i.id !== change.id);
  return change.state === 'resolved' ? rest : [...rest, change].sort(newestFirst);
}

export const useIncidentsStore = defineStore('incidents', () => {
  const active = shallowRef<Incident[]>([]);

  function setActive(list: readonly Incident[]): void {
    active.value = [...list].sort(newestFirst);
  }

  function apply(incident: Incident): void {
    active.value = mergeIncident(active.value, incident);
  }

  return { active, setActive, apply };
});
