// The room endpoint's media (media/room-media.ts) in Vue: its view as refs the
// room page reads, its camera and microphone released when the page goes.
import { computed, onUnmounted, shallowRef } from 'vue';
import { RoomMedia, type RoomMediaOptions } from '../media/room-media.ts';

export function useRoomMedia(opts: Omit<RoomMediaOptions, 'onChange'>) {
  const room = new RoomMedia({ ...opts, onChange: (next) => (view.value = next) });
  const view = shallowRef(room.view);
  onUnmounted(() => room.close());

  return {
    media: room,
    localStream: computed(() => view.value.localStream),
    /** Each remote site's camera, by site id. */
    remoteVideos: computed(() => view.value.remoteVideos),
    remoteAudios: computed(() => view.value.remoteAudios),
    mic: computed(() => view.value.mic),
    /** The content another site presents. */
    remoteContent: computed(() => view.value.remoteContent),
    /** The content this site presents. */
    localContent: computed(() => view.value.localContent),
    setMic: (open: boolean) => room.setMic(open),
    startContent: () => room.startContent(),
    stopContent: () => room.stopContent(),
    readStats: () => room.readStats(),
  };
}
