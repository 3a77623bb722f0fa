// Loads and validates the technician directory and equipment file
// (shared/data/directory.json). A bad file is refused with an error naming the
// file and the field; a contact or an equipment list for a site that is not in
// the registry is refused too.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { directorySchema, type Directory } from './directory.ts';
import { formatPath, issuePath } from './format-path.ts';

export const DEFAULT_DIRECTORY_FILE = fileURLToPath(new URL('../data/directory.json', import.meta.url));

export class DirectoryError extends Error {
  readonly file: string;
  readonly field: string;

  constructor(file: string, field: string, detail: string) {
    super(`${file}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'DirectoryError';
    this.file = file;
    this.field = field;
  }
}

/** Parses directory text; `file` only labels the errors. `siteIds`, when given, are the registry's sites. */
export function parseDirectory(text: string, file: string, siteIds?: ReadonlySet<string>): Directory {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DirectoryError(file, '', `invalid JSON (${(err as Error).message})`);
  }
  const result = directorySchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new DirectoryError(file, formatPath(issuePath(issue)), issue.message);
  }
  const directory = result.data;
  if (siteIds) {
    directory.contacts.forEach((c, i) => {
      if (!siteIds.has(c.site))
        throw new DirectoryError(file, `contacts[${i}].site`, `unknown site "${c.site}" (not in the site registry)`);
    });
    for (const site of Object.keys(directory.equipment)) {
      if (!siteIds.has(site)) throw new DirectoryError(file, `equipment.${site}`, `unknown site "${site}" (not in the site registry)`);
    }
  }
  return directory;
}

export async function loadDirectory(file: string = DEFAULT_DIRECTORY_FILE, siteIds?: ReadonlySet<string>): Promise<Directory> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DirectoryError(file, '', `cannot read the directory: ${(err as Error).message}`);
  }
  return parseDirectory(text, file, siteIds);
}
