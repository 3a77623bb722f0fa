// The senders' one rule for the gateway's answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayMessage, ingestVerdict, keepsBatch } from '@noc/shared/ingest-answer';

test('every answer has one verdict: kept and retried unless accepted or malformed', () => {
  const cases: [number | null, string, boolean][] = [
    [202, 'accepted', false],
    [null, 'unavailable', true],
    [500, 'unavailable', true],
    [503, 'unavailable', true],
    [429, 'unavailable', true],
    [401, 'credentials', true],
    [403, 'credentials', true],
    [400, 'malformed', false],
    [413, 'malformed', false],
  ];
  for (const [status, verdict, kept] of cases) {
    assert.equal(ingestVerdict(status), verdict, `status ${status}`);
    assert.equal(keepsBatch(ingestVerdict(status)), kept, `status ${status} keeps the batch`);
  }
});

test("the gateway's message is its error and field, or the start of the text", () => {
  assert.equal(gatewayMessage('{"error":"invalid sample","field":"samples[0].fields"}'), 'invalid sample (field samples[0].fields)');
  assert.equal(gatewayMessage('{"error":"the probe token is not valid"}'), 'the probe token is not valid');
  assert.equal(gatewayMessage('<html>bad gateway</html>'), '<html>bad gateway</html>');
  assert.equal(gatewayMessage(''), '(empty answer)');
});
