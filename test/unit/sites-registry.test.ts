import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRegistry, parseRegistry, RegistryError } from '@noc/shared/sites-loader';
import { tempDir } from '../fixtures/temp-dir.ts';

test('the default registry has the 12 sites with one main and one backup point', async () => {
  const { sites } = await loadRegistry();
  assert.equal(sites.length, 12);
  assert.deepEqual(
    sites.filter((s) => s.role === 'main').map((s) => s.id),
    ['so-gddt'],
  );
  assert.deepEqual(
    sites.filter((s) => s.role === 'backup').map((s) => s.name),
    ['TTGDTX Thành phố Hòa Bình'],
  );
  assert.equal(new Set(sites.map((s) => s.id)).size, 12);
  assert.ok(sites.some((s) => s.id === 'da-bac' && s.name === 'TTGDTX huyện Đà Bắc'));
});

const good = (sites: string) => `{\n  "sites": [\n${sites}\n  ]\n}\n`;
const main = '    { "id": "so", "name": "Sở", "shortName": "Sở", "role": "main" },';
const backup = '    { "id": "tp", "name": "TP", "shortName": "TP", "role": "backup" }';

function expectError(text: string, line: number, field: string, detail: RegExp): void {
  assert.throws(
    () => parseRegistry(text, 'sites.json'),
    (err: unknown) => {
      assert.ok(err instanceof RegistryError, `expected RegistryError, got ${String(err)}`);
      assert.equal(err.line, line, err.message);
      assert.equal(err.field, field, err.message);
      assert.match(err.message, detail);
      assert.ok(err.message.startsWith(`sites.json:${line}: `), err.message);
      return true;
    },
  );
}

test('a wrong role is refused naming the line and the field', () => {
  const text = good(`${main}\n${backup},\n    { "id": "x", "name": "X", "shortName": "X", "role": "district" }`);
  expectError(text, 5, 'sites[2].role', /main|backup|site/);
});

test('a missing field is refused naming the site entry', () => {
  const text = good(`${main}\n${backup},\n    { "id": "x", "shortName": "X", "role": "site" }`);
  expectError(text, 5, 'sites[2].name', /expected string/);
});

test('a duplicate id is refused', () => {
  const text = good(`${main}\n${backup},\n    { "id": "so", "name": "X", "shortName": "X", "role": "site" }`);
  expectError(text, 5, 'sites[2].id', /duplicate id "so"/);
});

test('a second main point is refused', () => {
  const text = good(`${main}\n${backup},\n    { "id": "x", "name": "X", "shortName": "X", "role": "main" }`);
  expectError(text, 5, 'sites[2].role', /exactly one site must have role "main"/);
});

test('an id that is not a slug is refused', () => {
  const text = good(`    { "id": "Đà Bắc", "name": "Sở", "shortName": "Sở", "role": "main" },\n${backup}`);
  expectError(text, 3, 'sites[0].id', /lower-case/);
});

test('an unknown field is refused', () => {
  const text = good(`    { "id": "so", "name": "Sở", "shortName": "Sở", "role": "main", "seat": 3 },\n${backup}`);
  expectError(text, 3, 'sites[0]', /Unrecognized key: "seat"/);
});

test('broken JSON is refused with the line of the mistake', () => {
  const text = good(`${main}\n${backup}\n    { "id": "x" }`);
  expectError(text, 5, '', /invalid JSON/);
});

test('a registry file that cannot be read names the file', async () => {
  const dir = await tempDir('registry');
  try {
    const file = join(dir.path, 'sites.json');
    await assert.rejects(loadRegistry(file), (err: Error) => err.message.includes(file) && /cannot read/.test(err.message));
    await writeFile(file, good(`${main}\n${backup}`));
    const registry = await loadRegistry(file);
    assert.deepEqual(
      registry.sites.map((s) => s.role),
      ['main', 'backup'],
    );
  } finally {
    await dir.remove();
  }
});
