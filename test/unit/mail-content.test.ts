// What the e-mail says and to whom, without a server: the recipients by site,
// severity and escalation (mail-recipients.ts), the Vietnamese subject and body
// of each kind of message (mail-templates.ts), and the mail settings read from
// the environment (mail-config.ts), a bad value refused naming the variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Contact } from '@noc/shared/directory';
import type { Incident } from '@noc/shared/incidents';
import type { Site } from '@noc/shared/sites';
import { readMailConfig, smtpServerName } from '../../dashboard/server/mail/mail-config.ts';
import { chairRecipients, incidentRecipients } from '../../dashboard/server/mail/mail-recipients.ts';
import { causeText, renderMail } from '../../dashboard/server/mail/mail-templates.ts';

const person = (email: string, site: string, kind: Contact['kind'] = 'technician'): Contact => ({
  name: email.split('@')[0]!,
  unit: 'x',
  duty: 'x',
  phone: '0218 3 000 000',
  email,
  site,
  kind,
});
const contacts: Contact[] = [
  person('a@so.vn', 'so-gddt'),
  person('chair@so.vn', 'so-gddt', 'chair'),
  person('isp@viettel.vn', 'so-gddt', 'isp'),
  person('b@tphb.vn', 'tp-hoa-binh'),
  person('c@dabac.vn', 'da-bac'),
  person('C@DABAC.VN', 'da-bac'),
  person('d@maichau.vn', 'mai-chau'),
];
const centre = new Set(['so-gddt', 'tp-hoa-binh']);
const daBac: Site = { id: 'da-bac', name: 'TTGDTX huyện Đà Bắc', shortName: 'Đà Bắc', role: 'site' };

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 42,
    site: 'da-bac',
    rule: 'lossHigh',
    severity: 'warning',
    state: 'open',
    params: { loss: 12.5 },
    openedAt: Date.UTC(2026, 11, 4, 1, 30, 0),
    lastSeenAt: Date.UTC(2026, 11, 4, 1, 30, 0),
    reopenCount: 0,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    resolveCause: null,
    suppressedBy: null,
    maintenanceWindow: null,
    meeting: null,
    isp: null,
    chairInformedAt: null,
    chairInformedBy: null,
    escalatedAt: null,
    ...over,
  } as Incident;
}

test("a site's technicians always; the control centre from its severity and on every escalation; one message per address", () => {
  const settings = { controlMinSeverity: 'major' as const };
  assert.deepEqual(incidentRecipients('opened', incident(), contacts, centre, settings), ['c@dabac.vn']);
  assert.deepEqual(incidentRecipients('opened', incident({ severity: 'major' }), contacts, centre, settings), [
    'c@dabac.vn',
    'a@so.vn',
    'b@tphb.vn',
  ]);
  assert.deepEqual(incidentRecipients('escalated', incident(), contacts, centre, settings), ['c@dabac.vn', 'a@so.vn', 'b@tphb.vn']);
  assert.deepEqual(incidentRecipients('opened', incident({ severity: 'major' }), contacts, centre, { controlMinSeverity: 'critical' }), [
    'c@dabac.vn',
  ]);
  // An incident at the Sở: its technicians once, though they are the centre's too; never the chair or the provider.
  assert.deepEqual(incidentRecipients('opened', incident({ site: 'so-gddt', severity: 'critical' }), contacts, centre, settings), [
    'a@so.vn',
    'b@tphb.vn',
  ]);
  assert.deepEqual(chairRecipients(contacts), ['chair@so.vn']);
});

test('an opened incident: Vietnamese subject and body with the site, the cause, the time in Vietnam and the link', () => {
  const { subject, text } = renderMail({ incident: incident(), site: daBac, link: 'http://noc.vn/incidents/42', event: 'opened' });
  assert.equal(subject, '[NOC][Chú ý] TTGDTX huyện Đà Bắc: Mất gói · Sự cố mới (#42)');
  assert.match(text, /^Sự cố mới\.\n\nSự cố #42 tại TTGDTX huyện Đà Bắc\n/);
  assert.match(text, /Nguyên nhân: Mất gói 12,5 % trên đường truyền\n/);
  assert.match(text, /\nBắt đầu: 08:30:00 ngày 04\/12\/2026 \(giờ Việt Nam\)\n/);
  assert.match(text, /Xem sự cố: http:\/\/noc\.vn\/incidents\/42\n/);
});

test('resolved, with the provider ticket; the chair told; a site not ready in words of its own', () => {
  const resolved = renderMail({
    incident: incident({
      state: 'resolved',
      resolvedAt: Date.UTC(2026, 11, 4, 2, 0, 0),
      resolvedBy: 'kt-da-bac',
      resolveCause: 'Viettel thay bộ chia quang',
      isp: { provider: 'Viettel', ticket: 'HB-1234', cause: 'Đứt cáp', fix: 'Hàn lại cáp', expectedAt: null },
    }),
    site: daBac,
    link: 'http://noc.vn/incidents/42',
    event: 'resolved',
  });
  assert.match(resolved.subject, /Sự cố đã được xử lý \(#42\)$/);
  assert.match(resolved.text, /Đã xử lý: .*, bởi kt-da-bac\nNguyên nhân đã xác định: Viettel thay bộ chia quang\n/);
  assert.match(resolved.text, /Nhà mạng: Viettel, phiếu HB-1234\n.*\n.*\nDự kiến khắc phục: chưa xác định/);

  const chair = renderMail({
    incident: incident(),
    site: daBac,
    link: 'http://noc.vn/incidents/42',
    event: 'chair-informed',
    note: { by: 'dieuhanh', comment: 'Dời phần báo cáo của Đà Bắc xuống cuối' },
  });
  assert.match(chair.subject, /Báo cáo chủ trì cuộc họp \(#42\)$/);
  assert.match(
    chair.text,
    /^Kính gửi chủ trì cuộc họp,\n\nCán bộ kỹ thuật \(dieuhanh\) báo cáo sự cố đường truyền tại TTGDTX huyện Đà Bắc/,
  );
  assert.match(chair.text, /Ghi chú: Dời phần báo cáo của Đà Bắc xuống cuối\n/);

  const notReady = renderMail({
    incident: incident({
      rule: 'notReady',
      severity: 'major',
      params: { meeting: 'Giao ban tháng 12', date: '24/12/2026 08:00', count: 2 },
    }),
    site: daBac,
    link: 'http://noc.vn/incidents/42',
    event: 'opened',
  });
  assert.equal(notReady.subject, '[NOC][Cao] TTGDTX huyện Đà Bắc: Điểm cầu chưa sẵn sàng · Sự cố mới (#42)');
  assert.match(notReady.text, /\nĐiểm cầu chưa sẵn sàng cho cuộc họp «Giao ban tháng 12» \(24\/12\/2026 08:00\): 2 điểm chưa đạt\.\n/);
  assert.match(notReady.text, /Điều 8 Quy chế\) chưa đạt; đề nghị cán bộ kỹ thuật của điểm cầu khắc phục/);
});

test('a UPS that does not say its charge reads a dash, not its placeholder', () => {
  assert.equal(causeText({ rule: 'onBattery', params: {} }), 'Mất điện lưới, chạy pin UPS — % · còn — phút');
});

test('the mail settings from the environment; a bad one refused naming the variable', () => {
  assert.deepEqual(readMailConfig({}), { smtpUrl: null, from: null, retryMs: 5000, publicUrl: null });
  const on = readMailConfig({
    NOC_SMTP_URL: 'smtp://noc:bí-mật@mail.hoabinh.edu.vn:587',
    NOC_MAIL_FROM: 'NOC <noc@hoabinh.edu.vn>',
    NOC_PUBLIC_URL: 'https://noc.hoabinh.edu.vn/',
    NOC_MAIL_RETRY_MS: '1000',
  });
  assert.equal(on.publicUrl, 'https://noc.hoabinh.edu.vn');
  assert.equal(on.retryMs, 1000);
  assert.equal(smtpServerName(on.smtpUrl!), 'mail.hoabinh.edu.vn:587');
  assert.equal(smtpServerName('smtps://mail.example'), 'mail.example:465');
  assert.throws(() => readMailConfig({ NOC_SMTP_URL: 'http://mail' }), /NOC_SMTP_URL must start with smtp:\/\/ or smtps:\/\//);
  assert.throws(() => readMailConfig({ NOC_SMTP_URL: 'smtp://mail:25' }), /NOC_MAIL_FROM is unset/);
  assert.throws(() => readMailConfig({ NOC_MAIL_FROM: 'noc' }), /NOC_MAIL_FROM "noc" is not an e-mail address/);
  assert.throws(() => readMailConfig({ NOC_MAIL_RETRY_MS: '0' }), /NOC_MAIL_RETRY_MS must be a whole number from 1/);
  assert.throws(() => readMailConfig({ NOC_PUBLIC_URL: 'noc.vn' }), /NOC_PUBLIC_URL "noc.vn" is not an http/);
});
