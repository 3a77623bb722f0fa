// When a shutdown checklist is overdue, when the board shows which meeting by
// default, and which items a checklist got wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checklistComplete, itemsFoundWrong, itemsNotOf } from '@noc/shared/checklists';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import { occurrencePhase } from '@noc/shared/readiness-board';
import { SHUTDOWN_GRACE_MS, shutdownDueAt, shutdownOverdue } from '@noc/shared/shutdown-overdue';
import { defaultOccurrence } from '../../dashboard/server/checklists/readiness-board.ts';

const MIN = 60_000;

test('a shutdown checklist is overdue 30 minutes after the end unless ticked', () => {
  const end = 1_000_000_000;
  assert.equal(SHUTDOWN_GRACE_MS, 30 * MIN);
  assert.equal(shutdownDueAt(end), end + 30 * MIN);
  assert.equal(shutdownOverdue(end, null, end + 30 * MIN - 1), false);
  assert.equal(shutdownOverdue(end, null, end + 30 * MIN), true);
  assert.equal(shutdownOverdue(end, { at: end + 45 * MIN }, end + 50 * MIN), false, 'ticked late: no longer overdue');
  assert.equal(shutdownOverdue(end, null, end + 2 * MIN, MIN), true, 'a shorter grace');
});

const occ = (key: string, start: number, minutes: number) => ({ key, start, end: start + minutes * MIN }) as PlanOccurrence;

test('the board shows the running meeting, else one just ended, else the next', () => {
  const a = occ('a', 0, 60);
  const b = occ('b', 400 * MIN, 60);
  assert.equal(defaultOccurrence([a, b], 30 * MIN, 30 * MIN)?.key, 'a');
  assert.equal(defaultOccurrence([a, b], 100 * MIN, 30 * MIN)?.key, 'a', 'ended 40 min ago: its shutdowns are due');
  assert.equal(defaultOccurrence([a, b], 211 * MIN, 30 * MIN)?.key, 'b', 'over two hours past its due time: the next one');
  assert.equal(defaultOccurrence([a], 211 * MIN, 30 * MIN), null);
  assert.equal(occurrencePhase(a, -1), 'before');
  assert.equal(occurrencePhase(a, 0), 'during');
  assert.equal(occurrencePhase(a, 60 * MIN), 'after');
});

test('items: those not of the list, those found wrong, complete lists', () => {
  assert.deepEqual(itemsNotOf('pre', { sound: { ok: true }, 'power-cut': { ok: true } }), ['power-cut']);
  assert.deepEqual(itemsNotOf('shutdown', { 'power-cut': { ok: true } }), []);
  const pre = { kind: 'pre' as const, items: { sound: { ok: false, note: 'rè' }, picture: { ok: true } } };
  assert.deepEqual(itemsFoundWrong(pre), ['sound']);
  assert.equal(checklistComplete(pre), false);
  const all = { kind: 'shutdown' as const, items: { 'equipment-off': { ok: true }, 'power-cut': { ok: true } } };
  assert.equal(checklistComplete(all), true);
  assert.equal(checklistComplete({ kind: 'shutdown', items: { 'equipment-off': { ok: true } } }), false);
});
