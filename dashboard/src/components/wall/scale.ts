// The wall is drawn for 1920×1080 and scales with the screen (3840×2160 is the
// same picture at twice the size). CSS does it with `--u` (WallPage.vue); charts
// size their text in pixels, so they read the same factor from here.
import { onMounted, onUnmounted, ref } from 'vue';

export const DESIGN_WIDTH = 1920;
export const DESIGN_HEIGHT = 1080;

const factor = (): number => Math.min(window.innerWidth / DESIGN_WIDTH, window.innerHeight / DESIGN_HEIGHT);

/** One design pixel in screen pixels. */
export function useWallScale() {
  const scale = ref(factor());
  const update = () => (scale.value = factor());
  onMounted(() => window.addEventListener('resize', update));
  onUnmounted(() => window.removeEventListener('resize', update));
  return scale;
}
