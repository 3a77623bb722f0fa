// Loads and validates the site registry file. A bad file is refused with an
// error that names the file, the line and the field.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { findNodeAtLocation, parseTree, type ParseError, printParseErrorCode } from 'jsonc-parser';
import { formatPath } from './format-path.ts';
import { registrySchema, type SiteRegistry } from './sites.ts';

export const DEFAULT_SITES_FILE = fileURLToPath(new URL('../data/sites.json', import.meta.url));

export class RegistryError extends Error {
  readonly file: string;
  readonly line: number;
  readonly field: string;

  constructor(file: string, line: number, field: string, detail: string) {
    super(`${file}:${line}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'RegistryError';
    this.file = file;
    this.line = line;
    this.field = field;
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Parses registry text; `file` only labels the errors. */
export function parseRegistry(text: string, file: string): SiteRegistry {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const syntax = errors[0];
  if (syntax || !tree) {
    const offset = syntax?.offset ?? 0;
    const detail = syntax ? `invalid JSON (${printParseErrorCode(syntax.error)})` : 'the file is empty';
    throw new RegistryError(file, lineAt(text, offset), '', detail);
  }
  const result = registrySchema.safeParse(JSON.parse(text));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  // Point at the deepest part of the path that exists in the file.
  let node = tree;
  for (let depth = issue.path.length; depth >= 0; depth--) {
    const found = findNodeAtLocation(tree, issue.path.slice(0, depth) as (string | number)[]);
    if (found) {
      node = found.parent?.type === 'property' ? found.parent : found;
      break;
    }
  }
  throw new RegistryError(file, lineAt(text, node.offset), formatPath(issue.path), issue.message);
}

export async function loadRegistry(file: string = DEFAULT_SITES_FILE): Promise<SiteRegistry> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new RegistryError(file, 0, '', `cannot read the site registry: ${(err as Error).message}`);
  }
  return parseRegistry(text, file);
}
