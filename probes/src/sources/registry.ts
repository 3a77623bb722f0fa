// Every kind of source the probe agent has, in one list. A new measurement is
// a new file implementing SourcePlugin (source.ts) and one line here.
import { envPlugin } from './env.ts';
import { heartbeatPlugin } from './heartbeat.ts';
import { linkPlugin } from './link.ts';
import { powerPlugin } from './power.ts';
import type { Source, SourceContext, SourcePlugin } from './source.ts';

export const SOURCE_PLUGINS: readonly SourcePlugin[] = [heartbeatPlugin, linkPlugin, powerPlugin, envPlugin];

/**
 * Builds the sources the config enables; `contextFor` gives each its context
 * (its own scoped logger). If one fails to start, those already built are closed.
 */
export async function createSources(
  config: SourceContext['config'],
  contextFor: (plugin: SourcePlugin) => SourceContext,
): Promise<Source[]> {
  const sources: Source[] = [];
  try {
    for (const plugin of SOURCE_PLUGINS) {
      if (plugin.enabled(config)) sources.push(await plugin.create(contextFor(plugin)));
    }
  } catch (err) {
    await Promise.allSettled(sources.map((s) => s.close()));
    throw err;
  }
  return sources;
}
