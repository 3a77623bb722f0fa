// The rules' settings an admin edits: read at start from `<dataDir>/incident-rules.json`
// when an admin saved one, else from the defaults (shared/data/incident-rules.json,
// or NOC_INCIDENT_RULES_FILE). A new version is validated whole before anything
// changes and written atomically (temporary file, then rename), so a bad edit
// or a crash leaves the last good settings in force.
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseIncidentRules, type IncidentRules } from '@noc/shared/incident-rules';

export const DEFAULT_RULES_FILE = fileURLToPath(new URL('../../../shared/data/incident-rules.json', import.meta.url));

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${file}: cannot read the incident rules: ${(err as Error).message}`, { cause: err });
  }
}

export class RuleSettings {
  #current: IncidentRules;
  #savedFile: string;
  #source: string;

  /** `defaultsFile`: the shipped or configured defaults; `savedFile`: where an admin's version is kept. */
  constructor(defaultsFile: string, savedFile: string) {
    this.#savedFile = savedFile;
    const saved = read(savedFile);
    this.#source = saved === null ? defaultsFile : savedFile;
    const text = saved ?? read(defaultsFile);
    if (text === null) throw new Error(`${defaultsFile}: the incident rules file does not exist`);
    this.#current = parseIncidentRules(text, this.#source);
  }

  get current(): IncidentRules {
    return this.#current;
  }

  /** The file the settings in force came from. */
  get source(): string {
    return this.#source;
  }

  /** Validates and saves a whole new version; throws RulesError naming the field, changing nothing. */
  async replace(value: unknown): Promise<IncidentRules> {
    const next = parseIncidentRules(value);
    const tmp = `${this.#savedFile}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o644 });
    await rename(tmp, this.#savedFile);
    this.#current = next;
    this.#source = this.#savedFile;
    return next;
  }
}
