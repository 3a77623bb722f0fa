// When a shutdown checklist is overdue, which meeting the board shows by
// default, which items a checklist got wrong, and how a site's checklist as it
// stands now changes the readiness check's result on the board.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checklistComplete, itemsFoundWrong, itemsNotOf } from '@noc/shared/checklists';
import type { PlanOccurrence } from '@noc/shared/meeting-plans';
import { occurrencePhase } from '@noc/shared/readiness-board';
import { SHUTDOWN_GRACE_MS, shutdownDueAt, shutdownOverdue } from '@noc/shared/shutdown-overdue';
import type { SavedChecklist } from '@noc/shared/checklists';
import type { SiteReadiness } from '@noc/shared/readiness';
import { defaultOccurrence, withChecklist } from '../../dashboard/server/checklists/readiness-board.ts';

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

const checked = (state: SiteReadiness['state'], reasons: SiteReadiness['reasons'] = []): SiteReadiness => ({
  occurrence: '1@once',
  site: 'da-bac',
  state,
  reasons,
  checkedBy: state === 'not-checked' ? null : 'tự động',
  checkedAt: state === 'not-checked' ? null : 1000,
  testCall: null,
  checklist: null,
  shutdown: null,
  shutdownOverdue: false,
});
const list = (items: SavedChecklist['items']): SavedChecklist => ({
  occurrence: '1@once',
  site: 'da-bac',
  kind: 'pre',
  items,
  by: 'kt-da-bac',
  byName: 'KTV',
  byRole: 'technician',
  at: 5000,
});
const allFine = list({
  equipment: { ok: true },
  'mains-power': { ok: true },
  'backup-power': { ok: true },
  sound: { ok: true },
  picture: { ok: true },
  'camera-frame': { ok: true },
});

test("the board row: the check's result with the site's checklist as it stands now", () => {
  const none = withChecklist(checked('not-checked'), null);
  assert.equal(none.state, 'not-checked');
  assert.deepEqual(
    none.reasons.map((r) => r.code),
    ['no-readiness-run', 'checklist-missing'],
  );

  const wrong = withChecklist(checked('ready'), list({ sound: { ok: false, note: 'rè' } }));
  assert.equal(wrong.state, 'not-ready', 'an item found wrong since the check: not ready');
  assert.deepEqual(wrong.reasons, [{ code: 'checklist-item', params: { item: 'sound', note: 'rè' } }]);
  assert.equal(wrong.checkedBy, 'kt-da-bac', 'who found it wrong, and when');
  assert.equal(wrong.checkedAt, 5000);

  const stillBad = withChecklist(
    checked('not-ready', [{ code: 'loss-high' }, { code: 'checklist-item', params: { item: 'sound' } }]),
    allFine,
  );
  assert.equal(stillBad.state, 'not-ready', 'the link is still what the check found');
  assert.deepEqual(
    stillBad.reasons.map((r) => r.code),
    ['loss-high'],
  );
  assert.equal(stillBad.checkedBy, 'tự động');

  const mended = withChecklist(checked('not-ready', [{ code: 'checklist-item', params: { item: 'sound' } }]), allFine);
  assert.equal(mended.state, 'ready', 'not ready for its checklist alone, now complete and fine');
  const partly = withChecklist(
    checked('not-ready', [{ code: 'checklist-item', params: { item: 'sound' } }]),
    list({ sound: { ok: true } }),
  );
  assert.equal(partly.state, 'not-ready', 'an incomplete list mends nothing');
});
