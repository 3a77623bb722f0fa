// The meetings the SFU nodes carry now, as the wall sees them: read once from
// `GET /api/meetings`, then replaced by every `meetings` event of the live feed.
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { MeetingRecord } from '@noc/shared/meeting';
import { api, ApiError } from '../api.ts';

export const useMeetingsStore = defineStore('meetings', () => {
  const meetings = shallowRef<MeetingRecord[]>([]);

  /** Newest first. */
  const running = computed(() => [...meetings.value].sort((a, b) => b.createdAt - a.createdAt));

  function set(list: MeetingRecord[]): void {
    meetings.value = list;
  }

  async function load(): Promise<void> {
    try {
      set((await api('meetings')).meetings);
    } catch (err) {
      // A server without the meetings API yet: the live feed's events are the only source.
      if (err instanceof ApiError && err.status === 404) return;
      throw err;
    }
  }

  return { meetings, running, set, load };
});
