// Every query a dashboard's JSON makes Grafana run: each panel's targets
// (rows' nested panels too) and each query variable, with the panel's title
// and the language of its datasource.
import { languageOf, type QueryLanguage } from './datasources.ts';

export interface DashboardQuery {
  dashboard: string;
  /** The panel's title, or `variable $name`. */
  panel: string;
  refId: string;
  language: QueryLanguage;
  query: string;
}

interface JsonTarget {
  refId?: string;
  datasource?: { uid?: string };
  query?: string;
}
interface JsonPanel {
  type?: string;
  title?: string;
  datasource?: { uid?: string };
  targets?: JsonTarget[];
  panels?: JsonPanel[];
}
interface JsonVariable {
  type?: string;
  name?: string;
  datasource?: { uid?: string };
  query?: string | { query?: string };
}
export interface JsonDashboard {
  title?: string;
  panels?: JsonPanel[];
  templating?: { list?: JsonVariable[] };
}

/** A label for a dashboard's query in messages: `"<panel>" (dashboard "<title>")`. */
export const whereIs = (q: Pick<DashboardQuery, 'dashboard' | 'panel'>): string => `panel "${q.panel}" (dashboard "${q.dashboard}")`;

function panelQueries(dashboard: string, panels: JsonPanel[], out: DashboardQuery[]): void {
  for (const p of panels) {
    if (p.panels) panelQueries(dashboard, p.panels, out);
    if (p.type === 'row') continue;
    const panel = p.title ?? '(untitled)';
    if (!p.targets?.length) throw new Error(`${whereIs({ dashboard, panel })} has no query`);
    for (const t of p.targets) {
      const refId = t.refId ?? '?';
      if (typeof t.query !== 'string' || t.query.trim() === '') throw new Error(`${whereIs({ dashboard, panel })} query ${refId} is empty`);
      let language: QueryLanguage;
      try {
        language = languageOf(t.datasource?.uid ?? p.datasource?.uid);
      } catch (err) {
        throw new Error(`${whereIs({ dashboard, panel })} query ${refId}: ${(err as Error).message}`, { cause: err });
      }
      out.push({ dashboard, panel, refId, language, query: t.query });
    }
  }
}

/** The panels' and query variables' queries of one dashboard, in the order Grafana lists them. */
export function dashboardQueries(json: JsonDashboard): DashboardQuery[] {
  const dashboard = json.title ?? '(untitled)';
  const out: DashboardQuery[] = [];
  for (const v of json.templating?.list ?? []) {
    if (v.type !== 'query') continue;
    const panel = `variable $${v.name}`;
    const query = typeof v.query === 'string' ? v.query : v.query?.query;
    if (!query) throw new Error(`${whereIs({ dashboard, panel })} has no query`);
    out.push({ dashboard, panel, refId: v.name ?? '?', language: languageOf(v.datasource?.uid), query });
  }
  panelQueries(dashboard, json.panels ?? [], out);
  return out;
}
