// The technician directory and equipment file: the shipped one covers every
// site of the registry; a bad one is refused naming the file and the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DirectoryError, loadDirectory, parseDirectory } from '@noc/shared/directory-loader';
import { loadRegistry } from '@noc/shared/sites-loader';

test('the shipped directory lists technicians and equipment for every site of the registry', async () => {
  const { sites } = await loadRegistry();
  const ids = new Set(sites.map((s) => s.id));
  const directory = await loadDirectory(undefined, ids);
  for (const id of ids) {
    assert.ok(
      directory.contacts.some((c) => c.site === id),
      `a contact at ${id}`,
    );
    const kinds = new Set((directory.equipment[id] ?? []).map((e) => e.kind));
    for (const kind of ['camera', 'microphone', 'speaker', 'display', 'codec-pc', 'ups']) assert.ok(kinds.has(kind), `${id} has a ${kind}`);
  }
});

test('a bad directory is refused naming the field', () => {
  const contact = { name: 'A', unit: 'B', duty: 'C', phone: '0218 3 000 999', email: 'a@hoabinh.edu.vn', site: 'da-bac' };
  const bad = (value: unknown, ids?: Set<string>) => () => parseDirectory(JSON.stringify(value), 'dir.json', ids);
  assert.throws(
    bad({ contacts: [{ ...contact, email: 'not-an-email' }], equipment: {} }),
    (err: unknown) => err instanceof DirectoryError && err.field === 'contacts[0].email',
  );
  assert.throws(
    bad({ contacts: [contact], equipment: {}, extra: 1 }),
    (err: unknown) => err instanceof DirectoryError && err.field === 'extra',
  );
  assert.throws(
    bad({ contacts: [contact], equipment: {} }, new Set(['mai-chau'])),
    /dir\.json: contacts\[0\]\.site: unknown site "da-bac"/,
  );
  assert.throws(() => parseDirectory('{', 'dir.json'), /dir\.json: invalid JSON/);
});
