// What the audit log keeps of a change and how its page reads it: the values a
// rule edit changed, by path (changed-values.ts), and one line per entry's
// detail (audit-detail.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedValues } from '../../dashboard/server/incidents/changed-values.ts';
import { auditDetail } from '../../dashboard/src/components/audit/audit-detail.ts';

test('the values that differ between two documents, by their dotted path', () => {
  const before = { rules: { tempHigh: { threshold: 35, enabled: true }, lossHigh: { forSeconds: 30 } }, escalateAfterMinutes: 10 };
  const after = {
    rules: { tempHigh: { threshold: 33, enabled: true }, lossHigh: { forSeconds: 30, extra: [1] } },
    escalateAfterMinutes: 10,
  };
  assert.deepEqual(changedValues(before, after), [
    { path: 'rules.tempHigh.threshold', from: 35, to: 33 },
    { path: 'rules.lossHigh.extra', from: null, to: [1] },
  ]);
  assert.deepEqual(changedValues(before, structuredClone(before)), []);
});

test("an entry's detail in one line: changed values, a before/after, plain fields", () => {
  assert.equal(auditDetail(null), '');
  assert.equal(auditDetail({ changed: [{ path: 'rules.tempHigh.threshold', from: 35, to: 33 }] }), 'rules.tempHigh.threshold: 35 → 33');
  assert.equal(auditDetail({ from: { phone: '1', name: 'A' }, to: { phone: '2', name: 'A' } }), 'phone: 1 → 2');
  assert.equal(auditDetail({ comment: 'Đã gọi', password: undefined, n: 2 }), 'comment: Đã gọi; n: 2');
});
