// Breaches of the meeting rules that the server refused (a microphone opened
// without the floor, a join or a call outside the dial policy).
import type { NodeEvent, PolicyEvent } from '@noc/shared/meeting';
import { EventLog } from './event-log.ts';

export type PolicyLog = EventLog<PolicyEvent>;
export type NodeEventLog = EventLog<NodeEvent>;

export function createPolicyLog(log: (msg: string) => void): PolicyLog {
  return new EventLog<PolicyEvent>((e) => `[site:${e.site}] policy: ${e.type}: ${e.detail}`, log);
}

export function createNodeEventLog(log: (msg: string) => void): NodeEventLog {
  return new EventLog<NodeEvent>((e) => `[meeting:${e.meeting}] ${e.type}: ${e.detail}`, log);
}
