// Who may call what: every role (admin, operator, chair, a technician of
// da-bac, a wall screen, nobody) against every API route and the live feed,
// on a real NOC server with a real SFU node carrying real meetings. A
// technician of one site gets 403 for another site's data by API and by feed
// subscription, and another site's samples never reach its feed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyAccessToken, issueAccessToken } from '@noc/shared/access-token';
import type { SessionUser, SignallingTokenAnswer } from '@noc/shared/auth';
import type { SiteProfile } from '@noc/shared/directory';
import type { LiveEvent, LiveSample } from '@noc/shared/live';
import type { MeetingRecord } from '@noc/shared/meeting';
import { nocApi, type NocRoute } from '@noc/shared/http-api';
import { issueNodeToken } from '@noc/shared/probe-token';
import { SignallingClient } from '@noc/shared/signalling-client';
import type { Site } from '@noc/shared/sites';
import { waitFor } from '@noc/shared/wait';
import { createDisplayToken, createUser, fetchAs, signIn, signInDisplay, signInNewUser, TEST_PASSWORD } from '../fixtures/auth.ts';
import { connectLive, isEvent, LiveRefusedError, type LiveClient } from '../fixtures/live-client.ts';
import { readServerConfig } from '../../dashboard/server/config.ts';
import { NOC_ADMIN_PASSWORD, startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { freePort } from '../fixtures/ports.ts';
import { startSfu, type SfuFixture } from '../fixtures/sfu.ts';

const ROLES = ['admin', 'operator', 'chair', 'technician', 'wall', 'anonymous'] as const;
type Who = (typeof ROLES)[number];
/** Expected status per role: one number for all, or per role. */
type Expect = number | Record<Who, number>;

const allSignedIn = (status: number): Record<Who, number> => ({
  admin: status,
  operator: status,
  chair: status,
  technician: status,
  wall: status,
  anonymous: 401,
});
const notForTechnician = (status: number): Record<Who, number> => ({ ...allSignedIn(status), technician: 403 });
const adminOnly = (status: number): Record<Who, number> => ({
  admin: status,
  operator: 403,
  chair: 403,
  technician: 403,
  wall: 403,
  anonymous: 401,
});

/** Replays: the control centre's people, a technician for its own site (REPLAY_VIEW); never the wall's display token. */
const replayers = (status: number, technician = status): Record<Who, number> => ({ ...allSignedIn(status), technician, wall: 403 });
/** Ten minutes ago, read when the row runs. */
const tenMinutesAgo = () => Date.now() - 600_000;

// ---- reports ----
/** Reports: admins, operators and the chair (REPORT_VIEW). */
const reportReaders = (status: number): Record<Who, number> => ({ ...adminOnly(status), operator: status, chair: status });

/** Capacity tests: admins and operators (LOAD_TEST_RUN). */
const loadTesters = (status: number): Record<Who, number> => ({ ...adminOnly(status), operator: status });

let noc: NocFixture;
let sfu: SfuFixture;
const cookies = new Map<Who, string | null>();
let displayTokenToRevoke = '';
/** The users the roles are signed in as (the admin and the wall have their own ways in). */
const USERNAMES = { operator: 'dieuhanh', chair: 'chutri', technician: 'kt-da-bac' } as const;

/** Another session of the role than the one the matrix shares (none for anonymous). */
async function freshSession(who: Who): Promise<string | null> {
  switch (who) {
    case 'anonymous':
      return null;
    case 'admin':
      return signIn(noc.url, 'admin', NOC_ADMIN_PASSWORD);
    case 'wall':
      return signInDisplay(noc.url, (await createDisplayToken(noc.url, cookies.get('admin')!, 'Màn hình tạm')).token);
    default:
      return signIn(noc.url, USERNAMES[who], TEST_PASSWORD);
  }
}

const link = (rtt: number) => ({ samples: [{ measurement: 'link', tags: { target: 'sfu' }, fields: { rtt_ms: rtt } }] });

async function ingest(token: string, body: unknown): Promise<void> {
  const res = await fetch(`${noc.url}/api/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 202, await res.text());
}

before(async () => {
  const sfuPort = await freePort();
  noc = await startTestNocServer({ sfuUrl: `http://127.0.0.1:${sfuPort}` });
  sfu = await startSfu({ port: sfuPort, secretFile: noc.secretFile });
  const admin = await noc.adminCookie();
  cookies.set('admin', admin);
  cookies.set('operator', await signInNewUser(noc.url, admin, { username: USERNAMES.operator, role: 'operator' }));
  cookies.set('chair', await signInNewUser(noc.url, admin, { username: USERNAMES.chair, role: 'chair' }));
  cookies.set('technician', await signInNewUser(noc.url, admin, { username: USERNAMES.technician, role: 'technician', site: 'da-bac' }));
  cookies.set('wall', await signInDisplay(noc.url, (await createDisplayToken(noc.url, admin, 'Màn hình NOC')).token));
  cookies.set('anonymous', null);
  // Something for the admin rows below to change and delete.
  for (const username of ['to-patch', 'to-delete']) await createUser(noc.url, admin, { username, role: 'chair' });
  displayTokenToRevoke = (await createDisplayToken(noc.url, admin, 'to revoke')).record.id;
  await ingest(noc.tokenFor('da-bac'), link(20));
  await ingest(noc.tokenFor('mai-chau'), link(30));
});

after(async () => {
  await noc?.stop();
  await sfu?.stop();
});

describe('every route × every role', () => {
  /**
   * One or more rows per route of the API table (`name`); `cookie` sends a row with another session
   * of the role than the one the other rows share (signing out ends the session it is sent with).
   */
  const rows: {
    name: NocRoute;
    route: string;
    method?: string;
    path: () => string;
    body?: unknown;
    cookie?: (who: Who) => Promise<string | null>;
    expect: Expect;
  }[] = [
    { name: 'health', route: 'health (public liveness probe)', path: () => '/api/health', expect: 200 },
    { name: 'auth.me', route: 'who am I', path: () => '/api/auth/me', expect: allSignedIn(200) },
    { name: 'auth.signallingToken', route: 'signalling token', path: () => '/api/auth/signalling-token', expect: allSignedIn(200) },
    {
      name: 'auth.signallingToken',
      route: 'signalling token for a meeting the SFU does not carry',
      path: () => '/api/auth/signalling-token?meeting=no-such-meeting',
      expect: allSignedIn(404),
    },
    { name: 'config', route: 'client config', path: () => '/api/config', expect: allSignedIn(200) },
    { name: 'sites', route: 'sites', path: () => '/api/sites', expect: allSignedIn(200) },
    { name: 'sites.profile', route: 'own site profile', path: () => '/api/sites/da-bac/profile', expect: allSignedIn(200) },
    { name: 'sites.profile', route: 'another site profile', path: () => '/api/sites/mai-chau/profile', expect: notForTechnician(200) },
    { name: 'sites.profile', route: 'unknown site profile', path: () => '/api/sites/atlantis/profile', expect: notForTechnician(404) },
    {
      name: 'history',
      route: 'history of own site',
      path: () => '/api/history?measurement=link&field=rtt_ms&site=da-bac',
      expect: allSignedIn(200),
    },
    {
      name: 'history',
      route: 'history of another site',
      path: () => '/api/history?measurement=link&field=rtt_ms&site=mai-chau',
      expect: notForTechnician(200),
    },
    {
      name: 'history',
      route: 'history of an unknown site',
      path: () => '/api/history?measurement=link&field=rtt_ms&site=atlantis',
      expect: notForTechnician(400),
    },
    {
      name: 'history',
      route: 'history of every site',
      path: () => '/api/history?measurement=link&field=rtt_ms',
      expect: notForTechnician(200),
    },
    {
      name: 'history',
      route: 'history of the SFU nodes',
      path: () => '/api/history?measurement=sfu&field=cpu_pct',
      expect: notForTechnician(200),
    },
    {
      name: 'history.last',
      route: 'last values of own site',
      path: () => '/api/history/last?measurement=link&field=rtt_ms&site=da-bac',
      expect: allSignedIn(200),
    },
    {
      name: 'history.last',
      route: 'last values of another site',
      path: () => '/api/history/last?measurement=link&field=rtt_ms&site=mai-chau',
      expect: notForTechnician(200),
    },
    {
      name: 'history.last',
      route: 'last values of every site',
      path: () => '/api/history/last?measurement=link&field=rtt_ms',
      expect: notForTechnician(200),
    },
    {
      name: 'history.last',
      route: 'last values of the SFU nodes',
      path: () => '/api/history/last?measurement=sfu&field=cpu_pct',
      expect: notForTechnician(200),
    },
    {
      name: 'replay.state',
      route: 'replay of own site',
      path: () => `/api/replay/state?at=${tenMinutesAgo()}&site=da-bac`,
      expect: replayers(200),
    },
    {
      name: 'replay.state',
      route: 'replay of another site',
      path: () => `/api/replay/state?at=${tenMinutesAgo()}&site=mai-chau`,
      expect: replayers(200, 403),
    },
    {
      name: 'replay.state',
      route: 'replay of every site',
      path: () => `/api/replay/state?at=${tenMinutesAgo()}`,
      expect: replayers(200, 403),
    },
    {
      name: 'replay.state',
      route: 'replay of a moment in the future',
      path: () => `/api/replay/state?at=${Date.now() + 3_600_000}&site=da-bac`,
      expect: replayers(400),
    },
    { name: 'meetings', route: 'meetings', path: () => '/api/meetings', expect: allSignedIn(200) },
    { name: 'users.list', route: 'list users', path: () => '/api/admin/users', expect: adminOnly(200) },
    {
      name: 'users.create',
      route: 'create a user',
      method: 'POST',
      path: () => '/api/admin/users',
      body: { username: 'kt-tan-lac', displayName: 'KTV Tân Lạc', role: 'technician', site: 'tan-lac', password: 'tan-lac-pass-1' },
      expect: adminOnly(201),
    },
    {
      name: 'users.update',
      route: 'change a user',
      method: 'PATCH',
      path: () => '/api/admin/users/to-patch',
      body: { displayName: 'Đã đổi' },
      expect: adminOnly(200),
    },
    // The admin row runs first and deletes; the others are refused before the handler looks.
    { name: 'users.delete', route: 'delete a user', method: 'DELETE', path: () => '/api/admin/users/to-delete', expect: adminOnly(204) },
    { name: 'displayTokens.list', route: 'list display tokens', path: () => '/api/admin/display-tokens', expect: adminOnly(200) },
    {
      name: 'displayTokens.create',
      route: 'create a display token',
      method: 'POST',
      path: () => '/api/admin/display-tokens',
      body: { label: 'Màn hình mới' },
      expect: adminOnly(201),
    },
    {
      name: 'displayTokens.revoke',
      route: 'revoke a display token',
      method: 'DELETE',
      path: () => `/api/admin/display-tokens/${displayTokenToRevoke}`,
      expect: adminOnly(204),
    },
    { name: 'incidents', route: "incidents (a technician: its own site's)", path: () => '/api/incidents', expect: allSignedIn(200) },
    { name: 'incidents', route: 'incidents of own site', path: () => '/api/incidents?site=da-bac', expect: allSignedIn(200) },
    { name: 'incidents', route: 'incidents of another site', path: () => '/api/incidents?site=mai-chau', expect: notForTechnician(200) },
    { name: 'incidents.detail', route: 'an unknown incident', path: () => '/api/incidents/999999', expect: allSignedIn(404) },
    {
      name: 'incidents.ack',
      route: 'acknowledge an unknown incident',
      method: 'POST',
      path: () => '/api/incidents/999999/ack',
      body: {},
      expect: { admin: 404, operator: 404, chair: 403, technician: 404, wall: 403, anonymous: 401 },
    },
    { name: 'maintenance.list', route: 'maintenance windows', path: () => '/api/maintenance-windows', expect: allSignedIn(200) },
    {
      name: 'maintenance.create',
      route: 'a maintenance window for the whole network',
      method: 'POST',
      path: () => '/api/maintenance-windows',
      body: { site: null, reason: 'kiểm tra', startsAt: 1, endsAt: 2 },
      expect: { admin: 201, operator: 201, chair: 403, technician: 403, wall: 403, anonymous: 401 },
    },
    { name: 'rules.get', route: 'incident rules', path: () => '/api/incident-rules', expect: allSignedIn(200) },
    {
      name: 'rules.replace',
      route: 'replace the incident rules (with a bad body)',
      method: 'PUT',
      path: () => '/api/incident-rules',
      body: {},
      expect: adminOnly(400),
    },
    { name: 'webhooks.list', route: 'webhooks', path: () => '/api/admin/webhooks', expect: adminOnly(200) },
    { name: 'loadTests.list', route: 'load tests', path: () => '/api/load-tests', expect: loadTesters(200) },
    { name: 'loadTests.get', route: 'an unknown load test', path: () => '/api/load-tests/999999', expect: loadTesters(404) },
    {
      name: 'loadTests.start',
      route: 'start a load test (with a bad body)',
      method: 'POST',
      path: () => '/api/load-tests',
      body: { sites: ['da-bac'], seats: 41, durationS: 15 },
      expect: loadTesters(400),
    },
    {
      name: 'loadTests.stop',
      route: 'stop an unknown load test',
      method: 'POST',
      path: () => '/api/load-tests/999999/stop',
      expect: loadTesters(404),
    },
    { name: 'audit', route: 'audit log', path: () => '/api/admin/audit', expect: adminOnly(200) },
    // ---- reports ----
    { name: 'reports.yearly', route: 'yearly report', path: () => '/api/reports/yearly?year=2026', expect: reportReaders(200) },
    {
      name: 'reports.yearlyExport',
      route: 'yearly report as CSV',
      path: () => '/api/reports/yearly/export?year=2026&format=csv',
      expect: reportReaders(200),
    },
    { name: 'reports.meetings', route: "a year's meetings", path: () => '/api/reports/meetings?year=2026', expect: reportReaders(200) },
    {
      name: 'reports.meeting',
      route: 'an unknown meeting report',
      path: () => '/api/reports/meeting?meeting=nope',
      expect: reportReaders(404),
    },
    {
      name: 'reports.meetingExport',
      route: 'an unknown meeting report as PDF',
      path: () => '/api/reports/meeting/export?meeting=nope&format=pdf',
      expect: reportReaders(404),
    },
    {
      name: 'ingest',
      route: 'ingest without a sender token (a session is no sender)',
      method: 'POST',
      path: () => '/api/ingest',
      body: link(1),
      expect: 401,
    },
    { name: 'auth.login', route: 'sign in (with a bad body)', method: 'POST', path: () => '/api/auth/login', body: {}, expect: 400 },
    {
      name: 'auth.display',
      route: 'display sign-in (with a bad body)',
      method: 'POST',
      path: () => '/api/auth/display',
      body: {},
      expect: 400,
    },
    {
      name: 'auth.logout',
      route: 'sign out (each role with a session of its own for this row)',
      method: 'POST',
      path: () => '/api/auth/logout',
      cookie: freshSession,
      expect: 204,
    },
    {
      name: 'incidents.comment',
      route: 'comment on an unknown incident',
      method: 'POST',
      path: () => '/api/incidents/999999/comments',
      body: { text: 'ghi chú' },
      expect: { admin: 404, operator: 404, chair: 404, technician: 404, wall: 403, anonymous: 401 },
    },
    {
      name: 'incidents.resolve',
      route: 'resolve an unknown incident',
      method: 'POST',
      path: () => '/api/incidents/999999/resolve',
      body: { cause: 'đã sửa' },
      expect: { admin: 404, operator: 404, chair: 403, technician: 404, wall: 403, anonymous: 401 },
    },
    {
      name: 'incidents.isp',
      route: 'the ISP ticket of an unknown incident',
      method: 'PUT',
      path: () => '/api/incidents/999999/isp',
      body: {},
      expect: { admin: 404, operator: 404, chair: 403, technician: 404, wall: 403, anonymous: 401 },
    },
    {
      name: 'incidents.chairInformed',
      route: '"chair informed" on an unknown incident',
      method: 'POST',
      path: () => '/api/incidents/999999/chair-informed',
      body: {},
      expect: { admin: 404, operator: 404, chair: 404, technician: 404, wall: 403, anonymous: 401 },
    },
    {
      name: 'maintenance.end',
      route: 'end an unknown maintenance window',
      method: 'DELETE',
      path: () => '/api/maintenance-windows/999999',
      expect: { admin: 404, operator: 404, chair: 403, technician: 404, wall: 403, anonymous: 401 },
    },
    {
      name: 'webhooks.create',
      route: 'create a webhook (with a bad body)',
      method: 'POST',
      path: () => '/api/admin/webhooks',
      body: {},
      expect: adminOnly(400),
    },
    {
      name: 'webhooks.update',
      route: 'change an unknown webhook',
      method: 'PATCH',
      path: () => '/api/admin/webhooks/999999',
      body: { enabled: false },
      expect: adminOnly(404),
    },
    {
      name: 'webhooks.delete',
      route: 'delete an unknown webhook',
      method: 'DELETE',
      path: () => '/api/admin/webhooks/999999',
      expect: adminOnly(404),
    },
    {
      name: 'webhooks.deliveries',
      route: 'deliveries of an unknown webhook',
      path: () => '/api/admin/webhooks/999999/deliveries',
      expect: adminOnly(404),
    },
    {
      name: 'webhooks.test',
      route: 'test an unknown webhook',
      method: 'POST',
      path: () => '/api/admin/webhooks/999999/test',
      expect: adminOnly(404),
    },
    // ---- E-mail and the editable directory ----
    { name: 'mail.status', route: 'e-mail status and outbox', path: () => '/api/admin/mail', expect: adminOnly(200) },
    {
      name: 'mail.settings',
      route: 'mail settings (with a bad severity)',
      method: 'PUT',
      path: () => '/api/admin/mail/settings',
      body: { controlMinSeverity: 'urgent' },
      expect: adminOnly(400),
    },
    { name: 'directory.list', route: 'the directory', path: () => '/api/admin/directory', expect: adminOnly(200) },
    {
      name: 'directory.create',
      route: 'add a contact (with a bad body)',
      method: 'POST',
      path: () => '/api/admin/directory',
      body: {},
      expect: adminOnly(400),
    },
    {
      name: 'directory.update',
      route: 'change an unknown contact',
      method: 'PUT',
      path: () => '/api/admin/directory/999999',
      body: {
        name: 'Nguyễn Văn A',
        unit: 'TTGDTX huyện Đà Bắc',
        duty: 'Kỹ thuật viên điểm cầu',
        phone: '0218 3 000 999',
        email: 'a@hoabinh.edu.vn',
        site: 'da-bac',
      },
      expect: adminOnly(404),
    },
    {
      name: 'directory.delete',
      route: 'remove an unknown contact',
      method: 'DELETE',
      path: () => '/api/admin/directory/999999',
      expect: adminOnly(404),
    },
    // ---- Meeting plans (Điều 7) ----
    { name: 'plans.list', route: 'meeting plans', path: () => '/api/plans', expect: allSignedIn(200) },
    {
      name: 'plans.create',
      route: 'make a meeting plan (with a bad body)',
      method: 'POST',
      path: () => '/api/plans',
      body: {},
      expect: { admin: 400, operator: 400, chair: 403, technician: 403, wall: 403, anonymous: 401 },
    },
    {
      name: 'plans.update',
      route: 'change an unknown meeting plan',
      method: 'PUT',
      path: () => '/api/plans/999999',
      body: {
        kind: 'hop',
        title: 'Họp',
        chair: 'Lãnh đạo Sở',
        invitedSites: ['da-bac'],
        attendees: {},
        timing: { type: 'once', start: 1, end: 2 },
      },
      expect: { admin: 404, operator: 404, chair: 403, technician: 403, wall: 403, anonymous: 401 },
    },
    {
      name: 'plans.delete',
      route: 'delete an unknown meeting plan',
      method: 'DELETE',
      path: () => '/api/plans/999999',
      expect: { admin: 404, operator: 404, chair: 403, technician: 403, wall: 403, anonymous: 401 },
    },
    {
      name: 'plans.occurrences',
      route: 'planned meetings of a month',
      path: () => `/api/plans/occurrences?from=${Date.now()}&to=${Date.now() + 31 * 86_400_000}`,
      expect: allSignedIn(200),
    },
    { name: 'plans.next', route: 'the next planned meeting', path: () => '/api/plans/next', expect: allSignedIn(200) },
    { name: 'plans.calendar', route: 'the plans calendar', path: () => '/api/plans/calendar', expect: adminOnly(200) },
    {
      name: 'plans.setCalendar',
      route: 'set the plans calendar (with a bad body)',
      method: 'PUT',
      path: () => '/api/plans/calendar',
      body: {},
      expect: adminOnly(400),
    },
    // ---- Readiness before a meeting (Điều 8.2) ----
    {
      name: 'readiness.get',
      route: 'readiness of an unknown planned meeting',
      path: () => '/api/readiness/999999@once',
      expect: allSignedIn(404),
    },
    {
      name: 'readiness.run',
      route: 'check an unknown planned meeting now',
      method: 'POST',
      path: () => '/api/readiness/999999@once/run',
      expect: loadTesters(404),
    },
    { name: 'readiness.settings', route: 'the readiness settings', path: () => '/api/readiness-settings', expect: loadTesters(200) },
    {
      name: 'readiness.setSettings',
      route: 'set the readiness settings (with a bad body)',
      method: 'PUT',
      path: () => '/api/readiness-settings',
      body: {},
      expect: adminOnly(400),
    },
    // --- checklists
    {
      name: 'checklists.get',
      route: "own site's checklist of an unknown occurrence",
      path: () => '/api/checklists/999%40once/da-bac/pre',
      expect: allSignedIn(404),
    },
    {
      name: 'checklists.get',
      route: "another site's checklist",
      path: () => '/api/checklists/999%40once/mai-chau/pre',
      expect: notForTechnician(404),
    },
    {
      name: 'checklists.save',
      route: "tick own site's checklist of an unknown occurrence",
      method: 'PUT',
      path: () => '/api/checklists/999%40once/da-bac/pre',
      body: { items: { sound: { ok: true } } },
      expect: { admin: 404, operator: 404, chair: 403, technician: 404, wall: 403, anonymous: 401 },
    },
    {
      name: 'checklists.save',
      route: "tick another site's checklist",
      method: 'PUT',
      path: () => '/api/checklists/999%40once/mai-chau/pre',
      body: { items: { sound: { ok: true } } },
      expect: { admin: 404, operator: 404, chair: 403, technician: 403, wall: 403, anonymous: 401 },
    },
    { name: 'checklists.site', route: "own site's checklists", path: () => '/api/sites/da-bac/checklists', expect: allSignedIn(200) },
    {
      name: 'checklists.site',
      route: "another site's checklists",
      path: () => '/api/sites/mai-chau/checklists',
      expect: notForTechnician(200),
    },
    { name: 'readiness.board', route: 'readiness board', path: () => '/api/readiness-board', expect: notForTechnician(200) },
    {
      name: 'timeline',
      route: 'timeline of an unknown occurrence',
      path: () => '/api/timeline?occurrence=999%40once',
      expect: notForTechnician(404),
    },
  ];
  /** Routes this matrix covers with a test of its own below. */
  const coveredBelow: NocRoute[] = ['live'];

  for (const row of rows) {
    test(`${row.method ?? 'GET'} ${row.route}`, async () => {
      const got: Record<string, number> = {};
      const want: Record<string, number> = {};
      for (const who of ROLES) {
        const cookie = row.cookie ? await row.cookie(who) : cookies.get(who)!;
        const res = await fetchAs(cookie, `${noc.url}${row.path()}`, {
          method: row.method ?? 'GET',
          ...(row.body ? { json: row.body } : {}),
        });
        await res.arrayBuffer();
        got[who] = res.status;
        want[who] = typeof row.expect === 'number' ? row.expect : row.expect[who];
      }
      assert.deepEqual(got, want);
    });
  }

  test('every route the server registered is in the API table and in this matrix, and nothing else is', () => {
    const key = (method: string, path: string) => `${method} ${path}`;
    // Read from the Fastify instance as routes were added: outside /api/ only the built dashboard's files.
    const staticDir = readServerConfig({}).staticDir;
    for (const r of noc.server.routes.filter((x) => !x.url.startsWith('/api/'))) {
      assert.equal(r.method, 'GET', `${key(r.method, r.url)}: a route outside /api/ is one of the dashboard's files`);
      assert.ok(existsSync(join(staticDir, r.url.endsWith('/') ? `${r.url}index.html` : r.url)), `${r.url}: a file of ${staticDir}`);
    }
    const registered = noc.server.routes
      .filter((r) => r.url.startsWith('/api/'))
      .map((r) => key(r.method, r.url))
      .sort();
    const table = Object.values(nocApi)
      .map((r) => key(r.method, r.path))
      .sort();
    assert.deepEqual(registered, table, 'the routes the server registered are those of the table');
    const covered = [...new Set([...rows.map((r) => r.name), ...coveredBelow])].sort();
    assert.deepEqual(covered, Object.keys(nocApi).sort(), 'every route of the table has a row here');
    // A row is about the route it names: the same method, and an address its path matches.
    for (const row of rows) {
      const spec = nocApi[row.name];
      const pattern = new RegExp(`^${spec.path.replace(/:[A-Za-z0-9_]+/g, '[^/]+')}(\\?.*)?$`);
      assert.equal(row.method ?? 'GET', spec.method, `${row.route}: the method of ${row.name}`);
      assert.match(row.path(), pattern, `${row.route}: the path of ${row.name}`);
    }
  });

  test('live feed: connect, subscribe to own site, subscribe to another site', async () => {
    const outcome: Record<string, string> = {};
    for (const who of ROLES) {
      let feed: LiveClient;
      try {
        feed = await connectLive(noc.url, cookies.get(who)!);
      } catch (err) {
        outcome[who] = err instanceof LiveRefusedError ? `connect ${err.status}` : String(err);
        continue;
      }
      try {
        const hello = feed.events.find(isEvent('hello'))!;
        feed.send({ type: 'subscribe', sites: ['da-bac'] });
        const own = await feed.next((e) => (e.type === 'hello' && e !== hello) || e.type === 'refused', { from: 1 });
        const mark = feed.events.length;
        feed.send({ type: 'subscribe', sites: ['mai-chau'] });
        const other = await feed.next((e) => e.type === 'hello' || e.type === 'refused', { from: mark });
        const describe = (e: LiveEvent) =>
          e.type === 'refused' ? `refused ${e.status}` : e.type === 'hello' ? `subscribed ${e.subscribed.join(',')}` : e.type;
        outcome[who] = `${describe(own)}; ${describe(other)}`;
      } finally {
        feed.close();
      }
    }
    const ok = 'subscribed da-bac; subscribed mai-chau';
    assert.deepEqual(outcome, {
      admin: ok,
      operator: ok,
      chair: ok,
      wall: ok,
      technician: 'subscribed da-bac; refused 403',
      anonymous: 'connect 401',
    });
  });
});

test('the live feed serves pages of its own origin only', async () => {
  const admin = cookies.get('admin')!;
  const own = await connectLive(noc.url, admin, { origin: noc.url });
  own.close();
  await assert.rejects(
    connectLive(noc.url, admin, { origin: 'http://other.hoabinh.edu.vn' }),
    (err: unknown) => err instanceof LiveRefusedError && err.status === 403,
  );
});

test("a change sent with the session cookie by a page of another origin is refused; reads and this server's pages are not", async () => {
  const admin = cookies.get('admin')!;
  const url = `${noc.url}/api/admin/webhooks/999999`;
  const other = await fetchAs(admin, url, {
    method: 'PATCH',
    json: { enabled: false },
    headers: { origin: 'http://other.hoabinh.edu.vn' },
  });
  assert.equal(other.status, 403);
  assert.match(((await other.json()) as { error: string }).error, /not from http:\/\/other\.hoabinh\.edu\.vn/);
  assert.equal(
    (await fetchAs(admin, url, { method: 'PATCH', json: { enabled: false }, headers: { origin: noc.url } })).status,
    404,
    'its own page gets on to the route',
  );
  assert.equal(
    (await fetchAs(admin, `${noc.url}/api/admin/webhooks`, { headers: { origin: 'http://other.hoabinh.edu.vn' } })).status,
    200,
    'a read is not a change',
  );
});

describe('a technician sees only its own site', () => {
  test('the profile and history hold only its site (the registry of names is the same for all); asking for another is a 403 that says why', async () => {
    const tech = cookies.get('technician')!;
    const { sites } = (await (await fetchAs(tech, `${noc.url}/api/sites`)).json()) as { sites: Site[] };
    assert.equal(sites.length, 12, 'the registry: names and roles of the network points');
    assert.ok(
      sites.every((s) => Object.keys(s).sort().join() === 'id,name,role,shortName'),
      'and nothing measured',
    );

    const profile = (await (await fetchAs(tech, `${noc.url}/api/sites/da-bac/profile`)).json()) as SiteProfile;
    assert.equal(profile.site.id, 'da-bac');
    assert.ok(profile.equipment.some((e) => e.kind === 'camera') && profile.equipment.some((e) => e.kind === 'ups'));
    assert.deepEqual(
      [...new Set(profile.contacts.map((c) => c.site))],
      ['da-bac', 'so-gddt', 'tp-hoa-binh'],
      'its own technicians first, then the control centre',
    );
    assert.ok(profile.contacts.every((c) => c.email.endsWith('@hoabinh.edu.vn')));

    const other = await fetchAs(tech, `${noc.url}/api/sites/mai-chau/profile`);
    assert.deepEqual(await other.json(), { error: 'a technician of "da-bac" sees only its own site, not "mai-chau"' });
    const noSite = (await (await fetchAs(tech, `${noc.url}/api/history?measurement=link&field=rtt_ms`)).json()) as { error: string };
    assert.match(noSite.error, /add site=da-bac/);
    const history = (await (await fetchAs(tech, `${noc.url}/api/history?measurement=link&field=rtt_ms&site=da-bac`)).json()) as {
      series: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(history.series), ['da-bac']);
  });

  test('another site’s samples and the SFU nodes’ load never reach its live feed', async () => {
    const tech = await connectLive(noc.url, cookies.get('technician')!);
    const operator = await connectLive(noc.url, cookies.get('operator')!);
    try {
      const hello = tech.events.find(isEvent('hello'))!;
      assert.deepEqual(hello.user.site, 'da-bac');
      assert.deepEqual(
        hello.sites.map((s) => s.id),
        ['da-bac'],
      );
      assert.deepEqual(hello.subscribed, ['da-bac']);
      const before = Date.now();
      // Another site, the SFU node's own load, then the technician's site: the feed keeps order, so
      // whatever was to reach the technician before its own sample has arrived by then.
      await ingest(noc.tokenFor('mai-chau'), link(111));
      await ingest(issueNodeToken(noc.server.ctx.secret, 'main'), {
        samples: [{ measurement: 'sfu', tags: { node: 'main', worker: '1' }, fields: { cpu_pct: 12 } }],
      });
      await ingest(noc.tokenFor('da-bac'), link(222));
      const samples = (feed: LiveClient) => feed.events.flatMap((e) => (e.type === 'samples' ? e.samples : []));
      const own = await waitFor('da-bac on the technician feed', () => samples(tech).find((s) => s.fields.rtt_ms === 222));
      await waitFor('all three on the operator feed', () => samples(operator).length >= 3);
      assert.deepEqual(
        samples(tech).map((s) => s.site),
        ['da-bac'],
      );
      assert.deepEqual(
        samples(operator).map((s: LiveSample) => s.site),
        ['mai-chau', '', 'da-bac'],
      );
      assert.ok(own.receivedAt >= before && own.receivedAt <= Date.now(), 'samples carry the gateway’s arrival time');

      // Refused subscriptions change nothing, and the connection stays open.
      const mark = tech.events.length;
      tech.send({ type: 'subscribe', sites: ['da-bac', 'mai-chau'] });
      tech.send('not json');
      tech.send({ type: 'subscribe', sites: [] });
      tech.send({ type: 'subscribe', sites: ['atlantis'] });
      tech.send(JSON.stringify({ type: 'unsubscribe' }));
      await waitFor('five refusals', () => tech.events.slice(mark).filter((e) => e.type === 'refused').length === 5);
      const refusals = tech.events.slice(mark).flatMap((e) => (e.type === 'refused' ? [`${e.status} ${e.message}`] : []));
      assert.deepEqual(refusals, [
        '403 a technician of "da-bac" may not follow site "mai-chau"; nothing changed',
        '400 the message is not JSON text',
        '400 invalid message: sites: Too small: expected array to have >=1 items',
        '400 invalid message: sites[0]: unknown site "atlantis"',
        "400 invalid message: type: Invalid discriminator value. Expected 'subscribe'",
      ]);
      await ingest(noc.tokenFor('mai-chau'), link(333));
      await ingest(noc.tokenFor('da-bac'), link(444));
      await waitFor('the next own sample', () => samples(tech).find((s) => s.fields.rtt_ms === 444));
      assert.deepEqual(
        samples(tech).map((s) => s.site),
        ['da-bac', 'da-bac'],
      );
    } finally {
      tech.close();
      operator.close();
    }
  });

  test('an operator narrowed to one site gets only that site, and the SFU nodes’ load', async () => {
    const feed = await connectLive(noc.url, cookies.get('operator')!);
    try {
      feed.send({ type: 'subscribe', sites: ['mai-chau'] });
      await feed.next((e) => e.type === 'hello' && e.subscribed.join() === 'mai-chau');
      await ingest(noc.tokenFor('da-bac'), link(1));
      await ingest(noc.tokenFor('mai-chau'), link(2));
      await feed.next((e) => e.type === 'samples' && e.samples.some((s) => s.fields.rtt_ms === 2));
      assert.deepEqual(
        feed.events.flatMap((e) => (e.type === 'samples' ? e.samples.map((s) => s.site) : [])),
        ['mai-chau'],
      );
    } finally {
      feed.close();
    }
  });
});

describe('meetings and signalling tokens', () => {
  let ours: string;
  let theirs: string;
  let control: SignallingClient;

  before(async () => {
    // The operator's desk gets its SFU token from the NOC, with no token in its address.
    const answer = (await (
      await fetchAs(cookies.get('operator')!, `${noc.url}/api/auth/signalling-token`)
    ).json()) as SignallingTokenAnswer;
    control = await SignallingClient.connect(sfu.signallingUrl, answer.token);
    ours = (
      await control.request('meeting.create', {
        kind: 'giao-ban',
        title: 'Giao ban tháng',
        invitedSites: ['so-gddt', 'da-bac', 'mai-chau'],
      })
    ).meetingId;
    theirs = (await control.request('meeting.create', { kind: 'hop', title: 'Họp riêng Mai Châu', invitedSites: ['so-gddt', 'mai-chau'] }))
      .meetingId;
  });
  after(() => control?.close());

  test('the meetings the SFU carries, as each role may see them, by API and on the live feed', async () => {
    const ids = async (who: Who) =>
      ((await (await fetchAs(cookies.get(who)!, `${noc.url}/api/meetings`)).json()) as { meetings: MeetingRecord[] }).meetings.map(
        (m) => m.id,
      );
    await waitFor('both meetings seen by the NOC', async () => (await ids('operator')).length === 2);
    assert.deepEqual(await ids('operator'), [ours, theirs]);
    assert.deepEqual(await ids('wall'), [ours, theirs]);
    assert.deepEqual(await ids('technician'), [ours]);

    const tech = await connectLive(noc.url, cookies.get('technician')!);
    const wall = await connectLive(noc.url, cookies.get('wall')!);
    try {
      const meetingsOf = (feed: LiveClient) =>
        feed.next((e): e is Extract<LiveEvent, { type: 'meetings' }> => e.type === 'meetings' && e.meetings.length > 0);
      assert.deepEqual(
        (await meetingsOf(tech)).meetings.map((m) => m.title),
        ['Giao ban tháng'],
      );
      assert.deepEqual(
        (await meetingsOf(wall)).meetings.map((m) => m.title),
        ['Giao ban tháng', 'Họp riêng Mai Châu'],
      );
      // A change reaches the feeds as it happens.
      const [techMark, wallMark] = [tech.events.length, wall.events.length];
      await control.request('meeting.close', { meetingId: theirs });
      const closed = (e: LiveEvent) => e.type === 'meetings' && e.meetings.length === 1;
      await wall.next(closed, { from: wallMark });
      assert.equal(
        tech.events.slice(techMark).some((e) => e.type === 'meetings' && e.meetings.some((m) => m.id === theirs)),
        false,
      );
    } finally {
      tech.close();
      wall.close();
    }
  });

  test('each role gets the SFU token of its role, for 12 hours; a technician only for its site’s meetings', async () => {
    const claimsOf = async (who: Who, query = '') => {
      const res = await fetchAs(cookies.get(who)!, `${noc.url}/api/auth/signalling-token${query}`);
      const body = (await res.json()) as SignallingTokenAnswer & { error?: string };
      if (res.status !== 200) return { status: res.status, error: body.error };
      const check = verifyAccessToken(noc.server.ctx.secret, body.token);
      assert.ok(check.ok);
      assert.ok(Math.abs(body.expiresAt - (Date.now() + 12 * 3600_000)) < 60_000);
      assert.equal(check.claims.exp, body.expiresAt);
      const { role, site, meeting } = check.claims;
      return { role, site, meeting };
    };
    assert.deepEqual(await claimsOf('admin'), { role: 'operator', site: undefined, meeting: undefined });
    assert.deepEqual(await claimsOf('operator'), { role: 'operator', site: undefined, meeting: undefined });
    assert.deepEqual(await claimsOf('chair', `?meeting=${ours}`), { role: 'chair', site: undefined, meeting: ours });
    assert.deepEqual(await claimsOf('wall'), { role: 'wall', site: undefined, meeting: undefined });
    assert.deepEqual(await claimsOf('technician', `?meeting=${ours}`), { role: 'site', site: 'da-bac', meeting: ours });
    const meetingTheyAreNotIn = (
      await control.request('meeting.create', { kind: 'hop', title: 'Không mời Đà Bắc', invitedSites: ['tan-lac'] })
    ).meetingId;
    await waitFor('the new meeting seen by the NOC', async () => {
      const res = await fetchAs(cookies.get('operator')!, `${noc.url}/api/meetings`);
      return ((await res.json()) as { meetings: MeetingRecord[] }).meetings.some((m) => m.id === meetingTheyAreNotIn);
    });
    // Not invited, or no such meeting: the same 404 for a technician, naming the meeting.
    assert.deepEqual(await claimsOf('technician', `?meeting=${meetingTheyAreNotIn}`), {
      status: 404,
      error: `no meeting "${meetingTheyAreNotIn}" of site "da-bac" on the SFU: it is not carried now, or the site is not invited to it`,
    });
    assert.deepEqual(await claimsOf('technician', '?meeting=m-unknown'), {
      status: 404,
      error: 'no meeting "m-unknown" of site "da-bac" on the SFU: it is not carried now, or the site is not invited to it',
    });
    // The control centre and the wall: any meeting the SFU carries, none it does not.
    assert.deepEqual(await claimsOf('chair', `?meeting=${meetingTheyAreNotIn}`), {
      role: 'chair',
      site: undefined,
      meeting: meetingTheyAreNotIn,
    });
    assert.deepEqual(await claimsOf('wall', `?meeting=${meetingTheyAreNotIn}`), {
      role: 'wall',
      site: undefined,
      meeting: meetingTheyAreNotIn,
    });
    for (const who of ['admin', 'operator', 'chair', 'wall'] as const) {
      assert.deepEqual(await claimsOf(who, '?meeting=m-unknown'), {
        status: 404,
        error: 'no meeting "m-unknown" on the SFU: it is not carried now',
      });
    }
    // A meeting ended is no longer one to get a token for.
    await control.request('meeting.close', { meetingId: meetingTheyAreNotIn });
    await waitFor('the closed meeting gone from the NOC', async () => {
      const res = await fetchAs(cookies.get('operator')!, `${noc.url}/api/meetings`);
      return !((await res.json()) as { meetings: MeetingRecord[] }).meetings.some((m) => m.id === meetingTheyAreNotIn);
    });
    assert.equal((await claimsOf('chair', `?meeting=${meetingTheyAreNotIn}`)).status, 404);
    // A meeting opened a moment ago, before the NOC's next look at the SFU, is found by asking the SFU again.
    const justOpened = (await control.request('meeting.create', { kind: 'hop', title: 'Họp vừa mở', invitedSites: ['da-bac'] })).meetingId;
    assert.deepEqual(await claimsOf('technician', `?meeting=${justOpened}`), { role: 'site', site: 'da-bac', meeting: justOpened });
    await control.request('meeting.close', { meetingId: justOpened });
    assert.equal((await claimsOf('operator', '?meeting=')).status, 400);
  });

  test('a room page opened with a token link reads the client config with its token', async () => {
    const token = issueAccessToken(noc.server.ctx.secret, { role: 'site', site: 'da-bac', exp: Date.now() + 60_000 });
    const ok = await fetch(`${noc.url}/api/config`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    assert.match(((await ok.json()) as { signallingUrl: string }).signallingUrl, /^ws:\/\/127\.0\.0\.1:\d+\/signalling$/);
    const forged = await fetch(`${noc.url}/api/config`, { headers: { authorization: `Bearer ${token.slice(0, -2)}xx` } });
    assert.equal(forged.status, 401);
    const expired = issueAccessToken(noc.server.ctx.secret, { role: 'site', site: 'da-bac', exp: Date.now() - 1 });
    assert.equal((await fetch(`${noc.url}/api/config`, { headers: { authorization: `Bearer ${expired}` } })).status, 401);
    // The registry of names too (a room names the other sites of its meeting) …
    const sites = await fetch(`${noc.url}/api/sites`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(sites.status, 200);
    assert.equal(((await sites.json()) as { sites: { id: string }[] }).sites.length, 12);
    // … and nothing else.
    for (const path of [
      '/api/meetings',
      '/api/history?measurement=link&field=rtt_ms&site=da-bac',
      '/api/sites/da-bac/profile',
      '/api/auth/me',
    ]) {
      assert.equal((await fetch(`${noc.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).status, 401, path);
    }
  });
});

test('who am I: each signed-in role as the pages see it', async () => {
  const me = async (who: Who) =>
    ((await (await fetchAs(cookies.get(who)!, `${noc.url}/api/auth/me`)).json()) as { user: SessionUser }).user;
  assert.deepEqual(await me('technician'), { username: 'kt-da-bac', displayName: 'kt-da-bac', role: 'technician', site: 'da-bac' });
  assert.equal((await me('wall')).role, 'wall');
});
