// E-mail on the real path: a NOC server whose incidents come from probe samples
// sent through its ingest gateway, its messages sent by nodemailer to a real
// SMTP server on loopback (fixtures/smtp-server.ts) and read back with mailparser:
//   - a UPS on battery: the site's technicians get "opened" and "resolved" in
//     Vietnamese with the incident's link; the control centre does not below the
//     severity the admin set, and does from it;
//   - a lost link and "chair informed": the directory's chair gets the incident's mail;
//   - a server that refuses twice: the outbox shows the attempts and the error, then the delivery;
//   - the SMTP server down across a restart of the NOC: the message waits in noc.db and goes out after;
//   - the admin's view of the set-up, and a bad setting refused naming the field.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Incident, IncidentDetail, RuleId } from '@noc/shared/incidents';
import type { MailOutboxEntry, MailStatus } from '@noc/shared/mail';
import { waitFor } from '@noc/shared/wait';
import { fetchAs, signInNewUser } from '../fixtures/auth.ts';
import { writeFastRules } from '../fixtures/fast-rules.ts';
import { startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSmtpServer, type ReceivedMail, type SmtpFixture } from '../fixtures/smtp-server.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const PUBLIC_URL = 'http://noc.hoabinh.test:8080';
const SITES = [
  'so-gddt',
  'tp-hoa-binh',
  'tinh',
  'da-bac',
  'mai-chau',
  'tan-lac',
  'lac-son',
  'cao-phong',
  'kim-boi',
  'luong-son',
  'lac-thuy',
  'yen-thuy',
];
const CENTRE = ['hadtt.so@hoabinh.edu.vn', 'hungnv.so@hoabinh.edu.vn', 'lanqt.tphb@hoabinh.edu.vn', 'thangbv.tphb@hoabinh.edu.vn'];

let dir: Awaited<ReturnType<typeof tempDir>>;
let smtp: SmtpFixture;
let noc: NocFixture;
let nocPort: number;
let env: NodeJS.ProcessEnv;
let admin: string;
let beats: NodeJS.Timeout;
let seq = 0;
/** Sites whose probe has gone quiet. */
const quiet = new Set<string>();

const startNoc = () =>
  startTestNocServer({
    port: nocPort,
    env: { ...env, NOC_SMTP_URL: smtp.url },
    dataDir: `${dir.path}/noc`,
    secretFile: `${dir.path}/secret.key`,
  });

async function ingest(site: string, samples: unknown[]): Promise<void> {
  const res = await fetch(`${noc.url}/api/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${noc.tokenFor(site)}` },
    body: JSON.stringify({ samples }),
  });
  assert.equal(res.status, 202, await res.text());
}

/** Every site's probe beats once a second, but the quiet ones (a failed beat while the NOC restarts is dropped). */
function heartbeats(): NodeJS.Timeout {
  return setInterval(() => {
    seq++;
    for (const site of SITES) {
      if (!quiet.has(site)) ingest(site, [{ measurement: 'probe', tags: {}, fields: { seq, uptime_s: seq } }]).catch(() => {});
    }
  }, 1000);
}

const onBattery = (site: string) =>
  ingest(site, [{ measurement: 'power', tags: {}, fields: { on_mains: false, battery_pct: 80, runtime_s: 1500 } }]);
const onMains = (site: string) =>
  ingest(site, [{ measurement: 'power', tags: {}, fields: { on_mains: true, battery_pct: 100, runtime_s: 3600 } }]);

async function activeIncident(site: string, rule: RuleId): Promise<Incident> {
  let found: Incident | undefined;
  await waitFor(
    `a ${rule} incident at ${site}`,
    async () => {
      const res = await fetchAs(admin, `${noc.url}/api/incidents?site=${site}&state=active`);
      found = ((await res.json()) as { incidents: Incident[] }).incidents.find((i) => i.rule === rule);
      return found !== undefined;
    },
    { timeoutMs: 20_000, intervalMs: 100 },
  );
  return found!;
}

/** The messages about incident #id whose subject has `words`, once there are `n` of them. */
async function mailsAbout(id: number, words: string, n: number): Promise<ReceivedMail[]> {
  const about = () => smtp.received.filter((m) => m.subject.endsWith(`(#${id})`) && m.subject.includes(words));
  await waitFor(`${n} messages "${words}" about #${id}`, async () => about().length >= n, { timeoutMs: 20_000, intervalMs: 50 });
  return about();
}

const recipients = (mails: ReceivedMail[]) => mails.flatMap((m) => m.envelopeTo).sort();

async function status(): Promise<MailStatus> {
  const res = await fetchAs(admin, `${noc.url}/api/admin/mail`);
  assert.equal(res.status, 200);
  return (await res.json()) as MailStatus;
}

async function controlFrom(severity: string): Promise<void> {
  const res = await fetchAs(admin, `${noc.url}/api/admin/mail/settings`, { method: 'PUT', json: { controlMinSeverity: severity } });
  assert.equal(res.status, 200, await res.clone().text());
}

/** Nothing left to send: what a test queued is out before the next one counts. */
const outboxDrained = () =>
  waitFor('an empty outbox', async () => (await status()).outbox.every((e) => e.state !== 'pending'), {
    timeoutMs: 20_000,
    intervalMs: 100,
  });

before(async () => {
  dir = await tempDir('mail');
  smtp = await startSmtpServer();
  nocPort = await freePort();
  // Only the causes these tests make: the SFU is absent on purpose, and a site is offline after 8 s.
  const rules = await writeFastRules(dir.path, (r) => {
    r.rules.siteOffline.silentSeconds = 8;
    r.rules.sfuMainDown.enabled = false;
    r.rules.sfuBackupDown.enabled = false;
  });
  env = {
    NOC_INCIDENT_RULES_FILE: rules,
    NOC_MAIL_FROM: '"NOC Phòng trực tuyến" <noc@hoabinh.edu.vn>',
    NOC_MAIL_RETRY_MS: '300',
    NOC_PUBLIC_URL: PUBLIC_URL,
  };
  noc = await startNoc();
  beats = heartbeats();
  admin = await noc.adminCookie();
});

after(async () => {
  clearInterval(beats);
  await noc?.stop();
  await smtp?.close();
  await dir?.remove();
});

test('a UPS on battery: the site technicians get "opened" and "resolved" in Vietnamese with the link; not the centre below its severity', async () => {
  await controlFrom('critical');
  await onBattery('da-bac');
  const incident = await activeIncident('da-bac', 'onBattery');
  const opened = await mailsAbout(incident.id, 'Sự cố mới', 2);
  assert.deepEqual(recipients(opened), ['dungxv.dabac@hoabinh.edu.vn', 'huonglt.dabac@hoabinh.edu.vn']);
  const mail = opened[0]!;
  assert.equal(mail.subject, `[NOC][Cao] TTGDTX huyện Đà Bắc: Chạy pin UPS · Sự cố mới (#${incident.id})`);
  assert.equal(mail.from, '"NOC Phòng trực tuyến" <noc@hoabinh.edu.vn>');
  assert.equal(mail.charset?.toLowerCase(), 'utf-8');
  assert.match(mail.text, new RegExp(`Sự cố #${incident.id} tại TTGDTX huyện Đà Bắc`));
  assert.match(mail.text, /Nguyên nhân: Mất điện lưới, chạy pin UPS 80 % · còn 25 phút/);
  assert.match(mail.text, /Mức độ: Cao/);
  assert.ok(mail.text.includes(`Xem sự cố: ${PUBLIC_URL}/incidents/${incident.id}`), mail.text);

  await onMains('da-bac');
  const resolved = await mailsAbout(incident.id, 'Sự cố đã được xử lý', 2);
  assert.deepEqual(recipients(resolved), ['dungxv.dabac@hoabinh.edu.vn', 'huonglt.dabac@hoabinh.edu.vn']);
  assert.match(resolved[0]!.text, /Đã xử lý: .*tự hết/);
  const all = smtp.received.filter((m) => m.subject.endsWith(`(#${incident.id})`));
  assert.equal(all.length, 4, `only the site's technicians heard of it: ${recipients(all).join(', ')}`);

  const detail = (await (await fetchAs(admin, `${noc.url}/api/incidents/${incident.id}`)).json()) as IncidentDetail;
  const mailed = detail.timeline.filter((e) => (e.data as { say?: string } | null)?.say === 'mailedTo');
  assert.deepEqual(
    mailed.map((e) => (e.data as { event: string; n: number }).event + ':' + (e.data as { n: number }).n),
    ['opened:2', 'resolved:2'],
  );
});

test("from the severity the admin set, the control centre gets another site's incident too", async () => {
  await controlFrom('major');
  await onBattery('mai-chau');
  const incident = await activeIncident('mai-chau', 'onBattery');
  const opened = await mailsAbout(incident.id, 'Sự cố mới', 5);
  assert.deepEqual(recipients(opened), [...CENTRE, 'tuanhv.maichau@hoabinh.edu.vn'].sort());
  assert.ok(opened.every((m) => m.subject.includes('TTGDTX huyện Mai Châu')));
  await onMains('mai-chau');
  await mailsAbout(incident.id, 'Sự cố đã được xử lý', 5);
});

test('a lost link and "chair informed": the chair in the directory gets the incident\'s mail with the note', async () => {
  const chair = await signInNewUser(noc.url, admin, { username: 'chutri-mail', role: 'chair' });
  quiet.add('lac-son');
  try {
    const incident = await activeIncident('lac-son', 'siteOffline');
    // Critical: the site's technician and the control centre.
    const opened = await mailsAbout(incident.id, 'Sự cố mới', 5);
    assert.deepEqual(recipients(opened), [...CENTRE, 'sonqv.lacson@hoabinh.edu.vn'].sort());
    assert.match(opened[0]!.subject, /^\[NOC\]\[Nghiêm trọng\] TTGDTX huyện Lạc Sơn: Mất kết nối điểm cầu/);

    const note = 'Điểm cầu Lạc Sơn mất đường truyền, Viettel hẹn khắc phục trong 30 phút';
    const res = await fetchAs(chair, `${noc.url}/api/incidents/${incident.id}/chair-informed`, { method: 'POST', json: { comment: note } });
    assert.equal(res.status, 200, await res.clone().text());
    const told = await mailsAbout(incident.id, 'Báo cáo chủ trì cuộc họp', 1);
    assert.deepEqual(recipients(told), ['phuonghm.so@hoabinh.edu.vn']);
    assert.match(told[0]!.text, /^Kính gửi chủ trì cuộc họp,/);
    assert.match(told[0]!.text, /Cán bộ kỹ thuật \(chutri-mail\) báo cáo sự cố đường truyền tại TTGDTX huyện Lạc Sơn/);
    assert.ok(told[0]!.text.includes(`Ghi chú: ${note}`), told[0]!.text);
    assert.ok(told[0]!.text.includes(`${PUBLIC_URL}/incidents/${incident.id}`));
  } finally {
    quiet.delete('lac-son');
  }
});

test('a server that refuses twice: the outbox shows the attempts and the error, then the delivery', async () => {
  await outboxDrained();
  await controlFrom('critical');
  smtp.refuseNext(2);
  await onBattery('tan-lac');
  const incident = await activeIncident('tan-lac', 'onBattery');
  const entry = async (): Promise<MailOutboxEntry | undefined> =>
    (await status()).outbox.find((e) => e.incident === incident.id && e.event === 'opened');
  let failing: MailOutboxEntry | undefined;
  await waitFor(
    'a failed attempt in the outbox',
    async () => {
      const e = await entry();
      if (e && e.state === 'pending' && e.attempts >= 1) failing = e;
      return failing !== undefined;
    },
    { timeoutMs: 10_000, intervalMs: 30 },
  );
  assert.equal(failing!.recipient, 'ngocbt.tanlac@hoabinh.edu.vn');
  assert.match(failing!.lastError ?? '', /451.*mailbox busy/);
  assert.ok(failing!.nextAttemptAt !== null);

  const [mail] = await mailsAbout(incident.id, 'Sự cố mới', 1);
  assert.deepEqual(mail!.envelopeTo, ['ngocbt.tanlac@hoabinh.edu.vn']);
  assert.equal(smtp.refused, 2);
  await waitFor('the outbox entry sent', async () => (await entry())?.state === 'sent', { timeoutMs: 5000, intervalMs: 50 });
  const sent = (await entry())!;
  assert.equal(sent.attempts, 3);
  assert.equal(sent.lastError, null);
  assert.ok(sent.sentAt !== null);
  await onMains('tan-lac');
});

test('the SMTP server down across a restart of the NOC: the message waits in noc.db and goes out after', async () => {
  await outboxDrained();
  await controlFrom('critical');
  const smtpPort = smtp.port;
  await smtp.close();
  await onBattery('kim-boi');
  const incident = await activeIncident('kim-boi', 'onBattery');
  let waiting: MailOutboxEntry | undefined;
  await waitFor(
    'a failed attempt to reach the SMTP server',
    async () => {
      waiting = (await status()).outbox.find((e) => e.incident === incident.id && e.attempts >= 1);
      return waiting !== undefined;
    },
    { timeoutMs: 10_000, intervalMs: 50 },
  );
  assert.equal(waiting!.state, 'pending');
  assert.match(waiting!.lastError ?? '', /ECONNREFUSED/);

  await noc.server.close();
  smtp = await startSmtpServer(smtpPort);
  noc = await startNoc();
  admin = await noc.adminCookie();
  const [mail] = await mailsAbout(incident.id, 'Sự cố mới', 1);
  assert.deepEqual(mail!.envelopeTo, ['minhdc.kimboi@hoabinh.edu.vn']);
  await waitFor(
    'the same outbox entry sent',
    async () => {
      const e = (await status()).outbox.find((x) => x.id === waiting!.id);
      return e?.state === 'sent';
    },
    { timeoutMs: 5000, intervalMs: 50 },
  );
});

test('the admin sees the SMTP server and the sender, never its credentials; a bad setting is refused naming the field', async () => {
  const s = await status();
  assert.equal(s.configured, true);
  assert.equal(s.server, `127.0.0.1:${smtp.port}`);
  assert.equal(s.from, '"NOC Phòng trực tuyến" <noc@hoabinh.edu.vn>');
  assert.ok(s.outbox.length > 0 && s.outbox.every((e) => e.subject.startsWith('[NOC]')));
  const res = await fetchAs(admin, `${noc.url}/api/admin/mail/settings`, { method: 'PUT', json: { controlMinSeverity: 'urgent' } });
  assert.equal(res.status, 400);
  const body = (await res.json()) as { error: string; field?: string };
  assert.equal(body.field, 'controlMinSeverity');
  assert.match(body.error, /^invalid mail settings: controlMinSeverity:/);
  assert.equal((await status()).settings.controlMinSeverity, 'critical', 'unchanged');
});
