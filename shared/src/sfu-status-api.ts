// The SFU node's status endpoints, one table like the NOC's API: what each
// answers, as zod schemas. The node serves them (sfu/src/status-server.ts) to
// the NOC server only: a request carries the NOC's token (`issueNocToken` of
// ./probe-token.ts) as `Authorization: Bearer <token>`. The NOC's pollers
// (health, meetings, policy breaches, presence, workers) read the answers
// through `readSfuStatus`, so an answer of another shape is an error that says
// where, not a cast.
import { z } from 'zod';
import type { SfuNodeStatus } from './health.ts';
import {
  LAYOUT_GRIDS,
  MEETING_KINDS,
  NODE_EVENT_TYPES,
  POLICY_EVENT_TYPES,
  SFU_NODES,
  type MeetingRecord,
  type NodeEvent,
  type PolicyEvent,
} from './meeting.ts';
import { formatPath, issuePath } from './format-path.ts';

export const sfuNodeStatusSchema = z.object({
  node: z.string(),
  mediasoupVersion: z.string(),
  workers: z.array(z.object({ pid: z.number(), routers: z.number(), died: z.boolean() })),
});

export const policyEventSchema = z.object({
  type: z.enum(POLICY_EVENT_TYPES),
  site: z.string(),
  meeting: z.string().nullable(),
  detail: z.string(),
  at: z.number(),
});

export const nodeEventSchema = z.object({
  type: z.enum(NODE_EVENT_TYPES),
  meeting: z.string(),
  from: z.enum(SFU_NODES),
  to: z.enum(SFU_NODES),
  detail: z.string(),
  at: z.number(),
});

export const meetingRecordSchema = z.object({
  id: z.string(),
  kind: z.enum(MEETING_KINDS),
  title: z.string(),
  invitedSites: z.array(z.string()),
  floor: z.string().nullable(),
  queue: z.array(z.object({ site: z.string(), at: z.number(), by: z.enum(['site', 'operator', 'chair']) })),
  layout: z.object({
    featuredSite: z.string().nullable(),
    grid: z.union(LAYOUT_GRIDS.map((g) => z.literal(g))),
    followSpeaker: z.boolean(),
  }),
  createdAt: z.number(),
  // A node of the release before load tests sends none: its meetings are real ones.
  loadTest: z.boolean().default(false),
  // A readiness test call; a node of the release before them sends none.
  testCall: z.boolean().optional(),
  activeOn: z.enum(SFU_NODES),
});

/** One mediasoup worker's load: CPU over the last interval, and what it carries. */
export const workerLoadSchema = z.object({
  pid: z.number(),
  /** CPU of the worker process over the last sampling interval (about 1 s), % of one core. */
  cpuPct: z.number(),
  /** Meetings with a router on this worker. */
  rooms: z.number(),
  transports: z.number(),
  producers: z.number(),
  consumers: z.number(),
});
export type WorkerLoad = z.output<typeof workerLoadSchema>;

/** Who is connected to a meeting now, and who has the floor: the NOC records joins, drops and floor grants from it. */
export const meetingPresenceSchema = z.object({
  id: z.string(),
  loadTest: z.boolean(),
  /** A readiness test call (Điều 8.2), not a meeting. */
  testCall: z.boolean().default(false),
  floor: z.string().nullable(),
  present: z.array(z.object({ site: z.string(), endpoint: z.boolean(), seats: z.number() })),
});
export type MeetingPresence = z.output<typeof meetingPresenceSchema>;

export const sfuStatusApi = {
  /** The node's workers; 503 when none is alive. */
  health: { method: 'GET', path: '/health', answer: sfuNodeStatusSchema },
  /** The refused breaches of the meeting rules and the meetings' moves between nodes. */
  events: { method: 'GET', path: '/events', answer: z.object({ policy: z.array(policyEventSchema), node: z.array(nodeEventSchema) }) },
  /** The meetings the node carries and the copies it keeps of the other node's. */
  meetings: {
    method: 'GET',
    path: '/meetings',
    answer: z.object({ node: z.enum(SFU_NODES), carried: z.array(meetingRecordSchema), copies: z.array(meetingRecordSchema) }),
  },
  /** The meetings the node carries: who is connected to each and who has the floor. */
  presence: {
    method: 'GET',
    path: '/presence',
    answer: z.object({ node: z.enum(SFU_NODES), meetings: z.array(meetingPresenceSchema) }),
  },
  /** Each live worker's load, fresh within about 2 s (the load-test runner polls it on both nodes). */
  workers: {
    method: 'GET',
    path: '/workers',
    answer: z.object({ node: z.enum(SFU_NODES), workers: z.array(workerLoadSchema) }),
  },
} as const;

export type SfuStatusRoute = keyof typeof sfuStatusApi;
export type SfuStatusAnswer<N extends SfuStatusRoute> = z.output<(typeof sfuStatusApi)[N]['answer']>;

// The schemas describe the types the rest of the code uses, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(): T | undefined => undefined;
same<Same<z.output<typeof sfuNodeStatusSchema>, SfuNodeStatus>>();
same<Same<z.output<typeof policyEventSchema>, PolicyEvent>>();
same<Same<z.output<typeof nodeEventSchema>, NodeEvent>>();
same<Same<z.output<typeof meetingRecordSchema>, MeetingRecord>>();

/** The answer of route `name` checked against its schema, or an error naming the route and the field. */
export function parseSfuStatus<N extends SfuStatusRoute>(name: N, body: unknown): SfuStatusAnswer<N> {
  const parsed = sfuStatusApi[name].answer.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = formatPath(issuePath(issue));
    throw new Error(`GET ${sfuStatusApi[name].path} answered an unexpected shape: ${field ? `${field}: ` : ''}${issue.message}`);
  }
  return parsed.data as SfuStatusAnswer<N>;
}

/**
 * Reads route `name` of the node at `base` with the NOC's `token`; rejects on a
 * failed request, a status that is no success (with the node's reason), or a wrong shape.
 */
export async function readSfuStatus<N extends SfuStatusRoute>(
  base: string,
  name: N,
  timeoutMs: number,
  token: string,
): Promise<SfuStatusAnswer<N>> {
  const res = await fetch(`${base}${sfuStatusApi[name].path}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) {
    const reason = await res
      .json()
      .then((b: unknown) => (b && typeof b === 'object' && 'error' in b && typeof b.error === 'string' ? `: ${b.error}` : ''))
      .catch(() => '');
    throw new Error(`answered ${res.status}${reason}`);
  }
  return parseSfuStatus(name, await res.json());
}
