// An ECharts chart in the desk pages' theme on a component's element: built
// with its first option when the component mounts, resized with its box, and
// disposed when the component goes.
import { onMounted, onUnmounted, type Ref } from 'vue';
import { init } from '../charts/echarts.ts';
import { DESK_THEME } from '../components/site/desk-chart.ts';

export type DeskChart = ReturnType<typeof init>;

/** `chart()` is null before mounting and after unmounting. */
export function useDeskChart(
  el: Ref<HTMLDivElement | null>,
  firstOption: () => Parameters<DeskChart['setOption']>[0],
): { chart: () => DeskChart | null } {
  let chart: DeskChart | null = null;
  let resizeObserver: ResizeObserver | null = null;
  onMounted(() => {
    chart = init(el.value!, DESK_THEME, { renderer: 'canvas' });
    chart.setOption(firstOption());
    resizeObserver = new ResizeObserver(() => chart?.resize());
    resizeObserver.observe(el.value!);
  });
  onUnmounted(() => {
    resizeObserver?.disconnect();
    chart?.dispose();
    chart = null;
  });
  return { chart: () => chart };
}
