// An audit entry's detail as one line a person reads: a rule change as each
// value's path with before → after, a change's `from`/`to` as the fields that
// differ, anything else as `field: value` pairs.

const text = (v: unknown): string => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function auditDetail(detail: unknown): string {
  if (detail === null || detail === undefined) return '';
  if (!isRecord(detail)) return text(detail);
  const changed = detail.changed;
  if (Array.isArray(changed)) {
    return changed
      .filter(isRecord)
      .map((c) => `${text(c.path)}: ${text(c.from)} → ${text(c.to)}`)
      .join('; ');
  }
  if (isRecord(detail.to) && (isRecord(detail.from) || detail.from === null)) {
    const from = (detail.from ?? {}) as Record<string, unknown>;
    return Object.entries(detail.to)
      .filter(([k, v]) => JSON.stringify(from[k]) !== JSON.stringify(v))
      .map(([k, v]) => `${k}: ${text(from[k])} → ${text(v)}`)
      .join('; ');
  }
  return Object.entries(detail)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${text(v)}`)
    .join('; ');
}
