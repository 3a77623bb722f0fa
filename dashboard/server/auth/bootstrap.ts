// Accounts made at start-up. With no user at all: `admin`, with a random
// password (or NOC_ADMIN_PASSWORD). With the simulator (NOC_SIMULATOR=1): the
// demo accounts that are missing (an operator, a chair and a technician per
// site, one password), and on every start a fresh demo wall display token
// (the previous one revoked). New passwords go to
// `<dataDir>/initial-credentials.txt` (mode 600), which `npm start` prints once
// and deletes; the demo wall token to `<dataDir>/demo-wall.txt`.
import { appendFile, chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Site } from '@noc/shared/sites';
import type { Auth } from './auth.ts';
import { hashPassword, randomPassword } from './passwords.ts';

export const CREDENTIALS_FILE = 'initial-credentials.txt';
export const DEMO_WALL_FILE = 'demo-wall.txt';
export const DEMO_WALL_LABEL = 'Màn hình NOC (mô phỏng)';

export interface BootstrapOptions {
  dataDir: string;
  sites: readonly Site[];
  adminPassword: string | null;
  simulator: boolean;
  demoPassword: string | null;
}

interface DemoAccount {
  username: string;
  displayName: string;
  role: 'operator' | 'chair' | 'technician';
  site: string | null;
}

export function demoAccounts(sites: readonly Site[]): DemoAccount[] {
  return [
    { username: 'dieuhanh', displayName: 'Tổ điều hành (mô phỏng)', role: 'operator', site: null },
    { username: 'chutri', displayName: 'Chủ trì phiên họp (mô phỏng)', role: 'chair', site: null },
    ...sites.map((s): DemoAccount => ({
      username: `kt-${s.id}`,
      displayName: `Kỹ thuật viên ${s.shortName} (mô phỏng)`,
      role: 'technician',
      site: s.id,
    })),
  ];
}

async function writePrivate(file: string, text: string, append: boolean): Promise<void> {
  if (append) await appendFile(file, text, { mode: 0o600 });
  else await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
}

export async function bootstrapAccounts(auth: Auth, opts: BootstrapOptions): Promise<void> {
  const lines: string[] = [];
  if (auth.users.count() === 0) {
    const password = opts.adminPassword ?? randomPassword();
    auth.users.insert('admin', {
      displayName: 'Quản trị hệ thống',
      role: 'admin',
      site: null,
      passwordHash: await hashPassword(password),
      disabled: false,
    });
    lines.push(`  Quản trị (admin)              admin / ${password}`);
  }
  if (opts.simulator) {
    const missing = demoAccounts(opts.sites).filter((a) => !auth.users.get(a.username));
    if (missing.length > 0) {
      const password = opts.demoPassword ?? randomPassword();
      // The demo accounts share one password on purpose, so they share one hash.
      const passwordHash = await hashPassword(password);
      for (const a of missing)
        auth.users.insert(a.username, { displayName: a.displayName, role: a.role, site: a.site, passwordHash, disabled: false }, true);
      const names = (role: DemoAccount['role']) => missing.filter((a) => a.role === role).map((a) => a.username);
      lines.push(`  Tài khoản mô phỏng (demo), mật khẩu chung: ${password}`);
      for (const [label, role] of [
        ['Điều hành (operator)', 'operator'],
        ['Chủ trì (chair)', 'chair'],
        ['Kỹ thuật viên (technician)', 'technician'],
      ] as const) {
        if (names(role).length) lines.push(`    ${label.padEnd(28)}${names(role).join(', ')}`);
      }
    }
    for (const id of auth.displayTokens.liveDemoTokens()) {
      auth.displayTokens.revoke(id);
      auth.sessions.endForDisplayToken(id);
    }
    const { token } = auth.displayTokens.create(DEMO_WALL_LABEL, true);
    await writePrivate(join(opts.dataDir, DEMO_WALL_FILE), `${token}\n`, false);
  }
  if (lines.length > 0) {
    const header = 'Tài khoản mới tạo (sign-in accounts just made): ghi lại rồi xóa tệp này\n';
    await writePrivate(join(opts.dataDir, CREDENTIALS_FILE), `${header}${lines.join('\n')}\n`, true);
  }
}
