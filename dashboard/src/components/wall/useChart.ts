// One ECharts instance bound to an element for the component's life: built once
// on mount, resized with its box, disposed on unmount. Updates go through
// `chart()?.setOption(...)` with only what changed.
import { onMounted, onUnmounted, type Ref } from 'vue';
import { init, type EChart } from '../../charts/echarts.ts';

/** `onResize`: after the chart took its box's new size (a chart laid out in pixels places itself again). */
export function useChart(el: Ref<HTMLElement | null>, first: () => Parameters<EChart['setOption']>[0], onResize?: () => void) {
  let instance: EChart | null = null;
  let observer: ResizeObserver | null = null;

  onMounted(() => {
    instance = init(el.value!, undefined, { renderer: 'canvas' });
    instance.setOption(first());
    observer = new ResizeObserver(() => {
      instance?.resize();
      onResize?.();
    });
    observer.observe(el.value!);
  });

  onUnmounted(() => {
    observer?.disconnect();
    instance?.dispose();
    instance = null;
  });

  return { chart: (): EChart | null => instance };
}
