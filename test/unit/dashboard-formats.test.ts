// The dashboard's number and date-time formats (dashboard/src/i18n/formats.ts),
// as vue-i18n's d() and n() apply them: every time on the NOC's clock
// (Asia/Ho_Chi_Minh), whatever the machine's time zone; day before month in
// both languages.
process.env.TZ = 'America/New_York';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createI18n } from 'vue-i18n';
import { datetimeFormats, FORMAT_TAGS, numberFormats } from '../../dashboard/src/i18n/formats.ts';

const i18n = createI18n({ legacy: false, locale: 'vi', messages: { vi: {}, en: {} }, datetimeFormats, numberFormats });
const { d, n } = i18n.global;
/** 11:59:30 UTC on 3 December 2026: 18:59:30 in Hà Nội, 06:59:30 in New York. */
const AT = Date.UTC(2026, 11, 3, 11, 59, 30);

test('times and dates are on the NOC clock, not the machine', () => {
  assert.equal(new Date(AT).getHours(), 6, 'the machine runs on another zone');
  for (const tag of Object.values(FORMAT_TAGS)) {
    assert.equal(d(AT, 'time', tag), '18:59', tag);
    assert.equal(d(AT, 'clock', tag), '18:59:30', tag);
  }
  assert.equal(d(Date.UTC(2026, 11, 3, 17, 30), 'date', FORMAT_TAGS.vi), '04/12/2026', 'past midnight in Hà Nội is the next day');
  assert.equal(d(AT, 'date', FORMAT_TAGS.en), '03/12/2026');
  assert.equal(d(Date.UTC(2026, 11, 3, 17, 0), 'time', FORMAT_TAGS.en), '00:00', 'a 24-hour clock from 00');
});

test('numbers carry their language’s separators and fixed decimals', () => {
  assert.equal(n(1234.56, 'fixed1', FORMAT_TAGS.vi), '1.234,6');
  assert.equal(n(1234.56, 'fixed1', FORMAT_TAGS.en), '1,234.6');
  assert.equal(n(3, 'fixed2', FORMAT_TAGS.en), '3.00');
});
