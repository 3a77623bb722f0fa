/** Writes a validation path the way a person reads it: `samples[0].fields.rtt_ms`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`))
    .join('');
}

/** The path a validation problem is about; an unknown key is named itself, not the object holding it. */
export function issuePath(issue: { code: string; path: ReadonlyArray<PropertyKey>; keys?: readonly string[] }): PropertyKey[] {
  const key = issue.code === 'unrecognized_keys' ? issue.keys?.[0] : undefined;
  return key ? [...issue.path, key] : [...issue.path];
}
