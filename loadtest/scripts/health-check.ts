// Checks the NOC server's health endpoint under a small, bounded load:
// every answer must be 200 and name each component.
//   k6 run -e BASE_URL=http://127.0.0.1:8080 loadtest/scripts/health-check.ts
import http from 'k6/http';
import { check, sleep } from 'k6';
import type { Options } from 'k6/options';

const BASE_URL = (__ENV.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');

export const options: Options = {
  scenarios: {
    health: {
      executor: 'shared-iterations',
      vus: 2,
      iterations: Number(__ENV.ITERATIONS ?? 20),
      maxDuration: '30s',
    },
  },
  thresholds: {
    checks: ['rate==1'],
    http_req_failed: ['rate==0'],
    'http_req_duration{name:health}': ['p(95)<500'],
  },
};

interface Health {
  status: string;
  components: Record<string, { state: string }>;
}

export default function (): void {
  const res = http.get(`${BASE_URL}/api/health`, { tags: { name: 'health' } });
  let body: Health | null = null;
  try {
    body = res.json() as unknown as Health;
  } catch {
    body = null;
  }
  check(res, {
    'status is 200': (r) => r.status === 200,
    'names store, sfu and simulator': () =>
      body !== null && ['store', 'sfu', 'simulator'].every((k) => typeof body.components[k]?.state === 'string'),
    'store is up': () => body?.components.store?.state === 'up',
  });
  sleep(0.05);
}

export function handleSummary(data: { metrics: Record<string, unknown> }): Record<string, string> {
  const out: Record<string, string> = { stdout: `health-check: ${JSON.stringify(data.metrics.checks)}\n` };
  if (__ENV.SUMMARY_FILE) out[__ENV.SUMMARY_FILE] = JSON.stringify(data, null, 2);
  return out;
}
