// Signing in and out, the session cookie, the sign-in limits, wall display
// tokens, the admin API for users and the accounts made on first start, on a
// real NOC server (embedded store).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionUser, UserRecord } from '@noc/shared/auth';
import { loadRegistry } from '@noc/shared/sites-loader';
import {
  createDisplayToken,
  createUser,
  fetchAs,
  sessionCookieOf,
  signIn,
  signInDisplay,
  signInNewUser,
  TEST_PASSWORD,
} from '../fixtures/auth.ts';
import { connectLive } from '../fixtures/live-client.ts';
import { NOC_ADMIN_PASSWORD, startTestNocServer, type NocFixture } from '../fixtures/noc-server.ts';
import { tempDir } from '../fixtures/temp-dir.ts';

const login = (noc: NocFixture, username: string, password: string) =>
  fetchAs(null, `${noc.url}/api/auth/login`, { method: 'POST', json: { username, password } });

async function errorOf(res: Response): Promise<{ status: number; error: string; field?: string }> {
  const body = (await res.json()) as { error: string; field?: string };
  return { status: res.status, ...body };
}

describe('signing in and out', () => {
  let noc: NocFixture;
  before(async () => {
    noc = await startTestNocServer();
  });
  after(async () => {
    await noc?.stop();
  });

  test('a person signs in, is known by the cookie, and signs out', async () => {
    assert.equal((await fetch(`${noc.url}/api/auth/me`)).status, 401);
    const res = await login(noc, 'admin', NOC_ADMIN_PASSWORD);
    assert.equal(res.status, 200);
    const { user } = (await res.json()) as { user: SessionUser };
    assert.deepEqual({ ...user, displayName: undefined }, { username: 'admin', role: 'admin', site: null, displayName: undefined });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('noc_session='))!;
    assert.ok(setCookie, 'the answer sets the session cookie');
    assert.match(setCookie, /; HttpOnly/i);
    assert.match(setCookie, /; SameSite=Strict/i);
    assert.match(setCookie, /; Path=\//);
    assert.doesNotMatch(setCookie, /; Secure/i, 'no Secure on plain http unless NOC_COOKIE_SECURE=1');
    const cookie = sessionCookieOf(res)!;
    assert.ok(cookie.length > 'noc_session='.length + 40, 'a 32-byte random id');

    const me = await fetchAs(cookie, `${noc.url}/api/auth/me`);
    assert.equal(me.status, 200);
    assert.deepEqual(((await me.json()) as { user: SessionUser }).user, user);

    const out = await fetchAs(cookie, `${noc.url}/api/auth/logout`, { method: 'POST' });
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie().join('\n'), /noc_session=;/, 'the cookie is cleared');
    assert.equal((await fetchAs(cookie, `${noc.url}/api/auth/me`)).status, 401, 'the session is gone on the server');
    // Usernames are lower-case; what a person types is taken as such.
    await signIn(noc.url, ' Admin', NOC_ADMIN_PASSWORD);
  });

  test('the database (mode 600) keeps only a hash of the session id', async () => {
    const cookie = await signIn(noc.url, 'admin', NOC_ADMIN_PASSWORD);
    const id = cookie.split('=')[1]!;
    const db = await readFile(join(noc.dataDir, 'noc.db'));
    const wal = await readFile(join(noc.dataDir, 'noc.db-wal')).catch(() => Buffer.alloc(0));
    assert.equal(db.includes(id), false);
    assert.equal(wal.includes(id), false);
    assert.equal((await stat(join(noc.dataDir, 'noc.db'))).mode & 0o777, 0o600, 'owner only');
  });

  test('a wrong password and an unknown user get the same answer', async () => {
    await createUser(noc.url, await noc.adminCookie(), { username: 'same-answer', role: 'operator' });
    const wrong = await login(noc, 'same-answer', 'not-the-password');
    const unknown = await login(noc, 'nobody-here', 'not-the-password');
    assert.deepEqual(await errorOf(wrong), await errorOf(unknown));
    assert.equal(wrong.status, 401);
  });

  test('bad sign-in input is a 400 naming the field', async () => {
    const res = await fetchAs(null, `${noc.url}/api/auth/login`, { method: 'POST', json: { username: 'admin' } });
    assert.deepEqual(await errorOf(res), {
      status: 400,
      error: 'invalid sign-in: password: Invalid input: expected string, received undefined',
      field: 'password',
    });
    const extra = await fetchAs(null, `${noc.url}/api/auth/login`, {
      method: 'POST',
      json: { username: 'admin', password: 'x', remember: true },
    });
    assert.equal((await errorOf(extra)).field, 'remember');
    const raw = await fetch(`${noc.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":',
    });
    assert.equal(raw.status, 400);
  });

  test('after 5 failures an account is locked for 15 minutes, even with the right password', async () => {
    await createUser(noc.url, await noc.adminCookie(), { username: 'forgetful', role: 'chair' });
    for (let i = 0; i < 5; i++) assert.equal((await login(noc, 'forgetful', `wrong-${i}`)).status, 401, `failure ${i + 1}`);
    const locked = await login(noc, 'forgetful', TEST_PASSWORD);
    assert.equal(locked.status, 429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    assert.ok(retryAfter > 14 * 60 && retryAfter <= 15 * 60, `Retry-After ${retryAfter} s`);
    assert.match((await errorOf(locked)).error, /too many failed sign-ins; try again in 15 minutes \(after \d\d:\d\d, Vietnam time\)/);
    // The lock is per username: another account from the same address still signs in.
    await signIn(noc.url, 'admin', NOC_ADMIN_PASSWORD);
  });

  test('guesses sent all at once are counted at once: five are checked, the rest refused', async () => {
    // A server of its own: this address's count must not carry into the other tests.
    const own = await startTestNocServer();
    try {
      await createUser(own.url, await own.adminCookie(), { username: 'hurried', role: 'chair' });
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login(own, 'hurried', `guess-${i}`)));
      const statuses = answers.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 401).length, 5, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 429).length, 25, statuses.join(','));
      assert.equal((await login(own, 'hurried', TEST_PASSWORD)).status, 429, 'and the username is locked');
    } finally {
      await own.stop();
    }
  });

  test('a successful sign-in clears the failures counted for the username', async () => {
    await createUser(noc.url, await noc.adminCookie(), { username: 'typo-prone', role: 'chair' });
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) assert.equal((await login(noc, 'typo-prone', 'wrong-password')).status, 401);
      assert.equal((await login(noc, 'typo-prone', TEST_PASSWORD)).status, 200, `round ${round + 1}`);
    }
  });

  test('a wall screen signs in with its display token until the token is revoked', async () => {
    const adminCookie = await noc.adminCookie();
    const { record, token } = await createDisplayToken(noc.url, adminCookie, 'Màn hình phòng họp tầng 2');
    assert.equal(record.revoked, false);
    assert.equal(record.lastUsedAt, null);
    const wall = await signInDisplay(noc.url, token);
    const me = (await (await fetchAs(wall, `${noc.url}/api/auth/me`)).json()) as { user: SessionUser };
    assert.deepEqual(me.user, { username: `display:${record.id}`, displayName: 'Màn hình phòng họp tầng 2', role: 'wall', site: null });
    assert.equal((await fetchAs(wall, `${noc.url}/api/sites`)).status, 200);
    assert.equal((await fetchAs(wall, `${noc.url}/api/admin/users`)).status, 403, 'a wall is read-only');
    const listed = (await (await fetchAs(adminCookie, `${noc.url}/api/admin/display-tokens`)).json()) as {
      tokens: { id: string; lastUsedAt: number | null }[];
    };
    assert.ok(listed.tokens.find((t) => t.id === record.id)?.lastUsedAt, 'the last use is recorded');
    assert.equal(JSON.stringify(listed).includes(token), false, 'the token is never listed');

    const feed = await connectLive(noc.url, wall);
    const revoke = await fetchAs(adminCookie, `${noc.url}/api/admin/display-tokens/${record.id}`, { method: 'DELETE' });
    assert.equal(revoke.status, 204);
    assert.equal((await feed.closed).code, 4401, 'the screen’s live feed is closed');
    assert.equal((await fetchAs(wall, `${noc.url}/api/auth/me`)).status, 401, 'its session ended');
    const again = await fetchAs(null, `${noc.url}/api/auth/display`, { method: 'POST', json: { token } });
    assert.equal(again.status, 401);
    const after = (await (await fetchAs(adminCookie, `${noc.url}/api/admin/display-tokens`)).json()) as {
      tokens: { id: string; revoked: boolean }[];
    };
    assert.equal(after.tokens.find((t) => t.id === record.id)?.revoked, true);
    assert.equal((await fetchAs(adminCookie, `${noc.url}/api/admin/display-tokens/nope`, { method: 'DELETE' })).status, 404);
    assert.equal((await fetchAs(null, `${noc.url}/api/auth/display`, { method: 'POST', json: { token: 'short' } })).status, 400);
  });
});

describe('the admin API for users', () => {
  let noc: NocFixture;
  let admin: string;
  const users = () => `${noc.url}/api/admin/users`;
  before(async () => {
    noc = await startTestNocServer();
    admin = await noc.adminCookie();
  });
  after(async () => {
    await noc?.stop();
  });

  const good = { username: 'kt-mai-chau', displayName: 'Hà Văn Tuấn', role: 'technician', site: 'mai-chau', password: 'mai-chau-pass-1' };

  test('an admin creates a user who can then sign in; the list never shows a hash', async () => {
    const res = await fetchAs(admin, users(), { method: 'POST', json: good });
    assert.equal(res.status, 201);
    const { user } = (await res.json()) as { user: UserRecord };
    assert.equal(user.site, 'mai-chau');
    assert.equal(user.disabled, false);
    assert.equal(user.lastLoginAt, null);
    const cookie = await signIn(noc.url, 'kt-mai-chau', 'mai-chau-pass-1');
    const me = (await (await fetchAs(cookie, `${noc.url}/api/auth/me`)).json()) as { user: SessionUser };
    assert.deepEqual(me.user, { username: 'kt-mai-chau', displayName: 'Hà Văn Tuấn', role: 'technician', site: 'mai-chau' });
    const list = await (await fetchAs(admin, users())).text();
    assert.match(list, /"kt-mai-chau"/);
    assert.doesNotMatch(list, /scrypt|password/i);
    const listed = (JSON.parse(list) as { users: UserRecord[] }).users.find((u) => u.username === 'kt-mai-chau')!;
    assert.ok(listed.lastLoginAt, 'the last sign-in is recorded');
  });

  test('bad input is a 400 naming the field, and nothing is created', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, username: 'Bad Name!' }, 'username'],
      [{ ...good, username: 'short-pass', password: 'short' }, 'password'],
      [{ ...good, username: 'no-site', site: null }, 'site'],
      [{ ...good, username: 'wrong-site', site: 'atlantis' }, 'site'],
      [{ ...good, username: 'op-with-site', role: 'operator' }, 'site'],
      [{ ...good, username: 'wall-user', role: 'wall', site: null }, 'role'],
      [{ ...good, username: 'extra', admin: true }, 'admin'],
      [{ ...good, username: 'no-name', displayName: '   ' }, 'displayName'],
    ];
    for (const [body, field] of cases) {
      const res = await errorOf(await fetchAs(admin, users(), { method: 'POST', json: body }));
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.error}`);
      assert.equal(res.field, field, res.error);
    }
    const unknownSite = await errorOf(
      await fetchAs(admin, users(), { method: 'POST', json: { ...good, username: 'kt-x', site: 'atlantis' } }),
    );
    assert.match(unknownSite.error, /unknown site "atlantis"/);
    const dup = await errorOf(await fetchAs(admin, users(), { method: 'POST', json: good }));
    assert.deepEqual([dup.status, dup.field], [409, 'username']);
    const list = (await (await fetchAs(admin, users())).json()) as { users: UserRecord[] };
    assert.deepEqual(list.users.map((u) => u.username).sort(), ['admin', 'kt-mai-chau']);
  });

  test('an admin changes a user: name, role and site together; a bad change names the field', async () => {
    await createUser(noc.url, admin, { username: 'changing', role: 'technician', site: 'tan-lac' });
    const patch = (body: unknown, who = 'changing') => fetchAs(admin, `${users()}/${who}`, { method: 'PATCH', json: body });
    const toOperator = await patch({ role: 'operator', displayName: 'Người thay đổi' });
    assert.equal(toOperator.status, 200);
    const { user } = (await toOperator.json()) as { user: UserRecord };
    assert.deepEqual(
      [user.role, user.site, user.displayName],
      ['operator', null, 'Người thay đổi'],
      'leaving the technician role leaves the site',
    );
    assert.deepEqual(await errorOf(await patch({ role: 'technician' })), {
      status: 400,
      error: 'site: a technician must be bound to a site',
      field: 'site',
    });
    assert.equal((await errorOf(await patch({ role: 'technician', site: 'nowhere' }))).field, 'site');
    assert.equal((await errorOf(await patch({ disabled: 'yes' }))).field, 'disabled');
    assert.equal((await patch({ role: 'technician', site: 'lac-son' })).status, 200);
    assert.equal((await patch({ displayName: 'x' }, 'ghost')).status, 404);
  });

  test('a new password signs the user out everywhere; the new one works', async () => {
    const cookie = await signInNewUser(noc.url, admin, { username: 'resetting', role: 'chair' });
    const res = await fetchAs(admin, `${users()}/resetting`, { method: 'PATCH', json: { password: 'a-brand-new-password' } });
    assert.equal(res.status, 200);
    assert.equal((await fetchAs(cookie, `${noc.url}/api/auth/me`)).status, 401);
    assert.equal((await login(noc, 'resetting', TEST_PASSWORD)).status, 401);
    await signIn(noc.url, 'resetting', 'a-brand-new-password');
  });

  test('a disabled user is signed out, cannot sign in, and signs in again once enabled', async () => {
    const cookie = await signInNewUser(noc.url, admin, { username: 'leaving', role: 'operator' });
    const feed = await connectLive(noc.url, cookie);
    assert.equal((await fetchAs(admin, `${users()}/leaving`, { method: 'PATCH', json: { disabled: true } })).status, 200);
    assert.equal((await feed.closed).code, 4401);
    assert.equal((await fetchAs(cookie, `${noc.url}/api/auth/me`)).status, 401);
    const refused = await login(noc, 'leaving', TEST_PASSWORD);
    assert.deepEqual(await errorOf(refused), { status: 403, error: 'this account is disabled; ask an admin' });
    assert.equal((await fetchAs(admin, `${users()}/leaving`, { method: 'PATCH', json: { disabled: false } })).status, 200);
    await signIn(noc.url, 'leaving', TEST_PASSWORD);
  });

  test('an admin cannot delete, demote or disable their own account, and one enabled admin always remains', async () => {
    const self = (method: string, body?: unknown) => fetchAs(admin, `${users()}/admin`, { method, ...(body ? { json: body } : {}) });
    assert.equal((await self('DELETE')).status, 409);
    assert.deepEqual(await errorOf(await self('PATCH', { role: 'operator' })), {
      status: 409,
      error: 'role: you cannot change your own role; ask another admin',
      field: 'role',
    });
    assert.equal((await errorOf(await self('PATCH', { disabled: true }))).field, 'disabled');
    // A second admin may disable the first; then the second is the last enabled one.
    const second = await signInNewUser(noc.url, admin, { username: 'admin2', role: 'admin' });
    assert.equal((await fetchAs(second, `${users()}/admin`, { method: 'PATCH', json: { disabled: true } })).status, 200);
    assert.equal((await fetchAs(admin, `${noc.url}/api/auth/me`)).status, 401, 'the disabled admin is signed out');
    assert.equal((await fetchAs(second, `${users()}/admin2`, { method: 'DELETE' })).status, 409);
    assert.equal((await fetchAs(second, `${users()}/admin2`, { method: 'PATCH', json: { role: 'chair' } })).status, 409);
    // Enabled again, the first admin may delete the second.
    assert.equal((await fetchAs(second, `${users()}/admin`, { method: 'PATCH', json: { disabled: false } })).status, 200);
    admin = await signIn(noc.url, 'admin', NOC_ADMIN_PASSWORD);
    assert.equal((await fetchAs(admin, `${users()}/admin2`, { method: 'DELETE' })).status, 204);
    assert.equal((await fetchAs(second, `${noc.url}/api/auth/me`)).status, 401, 'a deleted user is signed out');
    assert.equal((await login(noc, 'admin2', TEST_PASSWORD)).status, 401);
    assert.equal((await fetchAs(admin, `${users()}/admin2`, { method: 'DELETE' })).status, 404);
  });

  test('two admins disabling each other at the same moment leave one enabled admin', async () => {
    const second = await signInNewUser(noc.url, admin, { username: 'admin3', role: 'admin' });
    // A new password with each change: its hash takes a while, which is where the two overlap.
    const [byFirst, bySecond] = await Promise.all([
      fetchAs(admin, `${users()}/admin3`, { method: 'PATCH', json: { disabled: true, password: 'a-new-password-1' } }),
      fetchAs(second, `${users()}/admin`, { method: 'PATCH', json: { disabled: true, password: 'a-new-password-2' } }),
    ]);
    // One wins; the other is refused as the last admin (409), or, if it came in after the winner's
    // write, finds its own session ended (401).
    const statuses = [byFirst.status, bySecond.status];
    assert.equal(statuses.filter((x) => x === 200).length, 1, statuses.join(','));
    assert.ok(
      statuses.every((x) => x === 200 || x === 409 || x === 401),
      statuses.join(','),
    );
    const winner = byFirst.status === 200 ? admin : second;
    console.log(`the ${winner === admin ? 'first' : 'second'} admin's change won; the other got ${statuses.find((x) => x !== 200)}`);
    const list = ((await (await fetchAs(winner, users())).json()) as { users: UserRecord[] }).users;
    assert.deepEqual(list.filter((u) => u.role === 'admin' && !u.disabled).length, 1, 'one enabled admin');
    if (winner === second) {
      // The first admin was disabled with a new password: both are set back.
      assert.equal(
        (await fetchAs(second, `${users()}/admin`, { method: 'PATCH', json: { disabled: false, password: NOC_ADMIN_PASSWORD } })).status,
        200,
      );
      admin = await signIn(noc.url, 'admin', NOC_ADMIN_PASSWORD);
    }
    assert.equal((await fetchAs(admin, `${users()}/admin3`, { method: 'DELETE' })).status, 204);
  });

  test('only an admin may use the admin API', async () => {
    const chair = await signInNewUser(noc.url, admin, { username: 'just-a-chair', role: 'chair' });
    const res = await errorOf(await fetchAs(chair, users()));
    assert.equal(res.status, 403);
    assert.match(res.error, /a chair may not use GET \/api\/admin\/users \(for: admin\)/);
    assert.equal((await fetchAs(null, users())).status, 401);
  });
});

describe('the sign-in limit per client address', () => {
  test('20 failures from one address lock every account from it, and display sign-ins count apart', async () => {
    const noc = await startTestNocServer();
    try {
      for (let i = 0; i < 20; i++) assert.equal((await login(noc, `guess-${i}`, 'password-guess')).status, 401);
      const res = await login(noc, 'admin', NOC_ADMIN_PASSWORD);
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) > 0);
      // Display tokens are limited on their own count.
      for (let i = 0; i < 20; i++) {
        const bad = await fetchAs(null, `${noc.url}/api/auth/display`, {
          method: 'POST',
          json: { token: `not-a-real-token-${i}-xxxxxxxx` },
        });
        assert.equal(bad.status, 401);
      }
      const locked = await fetchAs(null, `${noc.url}/api/auth/display`, {
        method: 'POST',
        json: { token: 'not-a-real-token-xxxxxxxxxxxx' },
      });
      assert.equal(locked.status, 429);
      assert.ok(locked.headers.get('retry-after'));
    } finally {
      await noc.stop();
    }
  });
});

describe('accounts made on first start', () => {
  test('the first admin gets a random password, written once to initial-credentials.txt (mode 600)', async () => {
    const noc = await startTestNocServer({ env: { NOC_ADMIN_PASSWORD: '' } });
    try {
      const file = join(noc.dataDir, 'initial-credentials.txt');
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const text = await readFile(file, 'utf8');
      const password = /admin \/ (\S+)/.exec(text)?.[1];
      assert.ok(password && password !== NOC_ADMIN_PASSWORD && password.length >= 16, text);
      await signIn(noc.url, 'admin', password);
    } finally {
      await noc.stop();
    }
  });

  test('with the simulator: demo accounts once, and a fresh demo wall token on every start', async () => {
    const dir = await tempDir('noc-demo');
    const env = { NOC_SIMULATOR: '1', NOC_DEMO_PASSWORD: 'demo-password-1' };
    const { sites } = await loadRegistry();
    try {
      let noc = await startTestNocServer({ dataDir: dir.path, env });
      let firstToken: string;
      try {
        const text = await readFile(join(dir.path, 'initial-credentials.txt'), 'utf8');
        assert.match(text, new RegExp(`admin / ${NOC_ADMIN_PASSWORD}`));
        assert.match(text, /demo-password-1/);
        for (const name of ['dieuhanh', 'chutri', ...sites.map((s) => `kt-${s.id}`)]) assert.match(text, new RegExp(`\\b${name}\\b`));
        const tech = await signIn(noc.url, 'kt-da-bac', 'demo-password-1');
        const me = (await (await fetchAs(tech, `${noc.url}/api/auth/me`)).json()) as { user: SessionUser };
        assert.deepEqual([me.user.role, me.user.site], ['technician', 'da-bac']);
        const op = (await (await fetchAs(await signIn(noc.url, 'dieuhanh', 'demo-password-1'), `${noc.url}/api/auth/me`)).json()) as {
          user: SessionUser;
        };
        assert.equal(op.user.role, 'operator');
        firstToken = (await readFile(join(dir.path, 'demo-wall.txt'), 'utf8')).trim();
        assert.equal((await stat(join(dir.path, 'demo-wall.txt'))).mode & 0o777, 0o600);
        await signInDisplay(noc.url, firstToken);
      } finally {
        await noc.stop();
      }
      // npm start prints the credentials once and deletes the file; the next start writes none.
      await rm(join(dir.path, 'initial-credentials.txt'));
      noc = await startTestNocServer({ dataDir: dir.path, env });
      try {
        await assert.rejects(stat(join(dir.path, 'initial-credentials.txt')), { code: 'ENOENT' });
        const token = (await readFile(join(dir.path, 'demo-wall.txt'), 'utf8')).trim();
        assert.notEqual(token, firstToken);
        assert.equal(
          (await fetchAs(null, `${noc.url}/api/auth/display`, { method: 'POST', json: { token: firstToken } })).status,
          401,
          'the previous demo token is revoked',
        );
        const wall = await signInDisplay(noc.url, token);
        const me = (await (await fetchAs(wall, `${noc.url}/api/auth/me`)).json()) as { user: SessionUser };
        assert.deepEqual([me.user.role, me.user.displayName], ['wall', 'Màn hình NOC (mô phỏng)']);
        await signIn(noc.url, 'chutri', 'demo-password-1');
      } finally {
        await noc.stop();
      }
    } finally {
      await dir.remove();
    }
  });
});
