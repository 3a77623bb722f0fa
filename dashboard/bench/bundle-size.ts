// The production bundle of the dashboard as a browser downloads it: each file
// of dashboard/dist, raw and gzipped (node:zlib at its default level, as a web
// server compresses). Builds it first when dist is missing or older than its
// sources (the same rule as `npm start`).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dashboard/dist');
const STAMP = join(DIST, 'index.html');
const SOURCES = ['dashboard/src', 'dashboard/index.html', 'dashboard/vite.config.ts', 'shared/src', 'shared/data'];

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) => files(join(path, e.name)));
}

function newestSource(): { file: string; mtimeMs: number } | null {
  let newest: { file: string; mtimeMs: number } | null = null;
  for (const file of SOURCES.flatMap((s) => files(join(ROOT, s)))) {
    const { mtimeMs } = statSync(file);
    if (!newest || mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest;
}

/**
 * Builds the dashboard (`npm run build`) unless dist is newer than every
 * source; says why it built. A failed build with an older dist present is a
 * warning: that dist is what gets measured.
 */
export function ensureBuilt(log: (line: string) => void): void {
  const stamp = existsSync(STAMP) ? statSync(STAMP).mtimeMs : null;
  const newest = newestSource();
  if (stamp !== null && (!newest || newest.mtimeMs <= stamp)) return;
  log(stamp === null ? 'dashboard/dist is missing: building it' : `${relative(ROOT, newest!.file)} is newer than dashboard/dist: building`);
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (err) {
    // Sources being edited may not build for a while; an older build can still be measured.
    if (stamp === null) throw err;
    log(`warning: the build failed (above); measuring the older dashboard/dist of ${new Date(stamp).toISOString()}`);
  }
}

export interface BundleFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** Every file of dashboard/dist with its size, largest gzipped first. */
export function bundleFiles(): BundleFile[] {
  return files(DIST)
    .map((path) => {
      const data = readFileSync(path);
      return { file: relative(DIST, path), bytes: data.length, gzipBytes: gzipSync(data).length };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
}
