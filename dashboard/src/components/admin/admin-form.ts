// The admin forms' errors, per field: the form's own check (the same zod
// schemas the server uses, in the interface's words) and the server's refusal,
// shown next to the field it names; and sending a form with both kept.
import { ref } from 'vue';
import { formatPath, issuePath } from '@noc/shared/format-path';
import { ApiError, reasonOf } from '../../api.ts';

export type FieldErrors = Partial<Record<string, string>>;
type Translate = (key: string) => string;

const MESSAGE_KEYS: Record<string, string> = {
  username: 'admin.invalid.username',
  displayName: 'admin.invalid.displayName',
  password: 'admin.invalid.password',
  role: 'admin.invalid.role',
};

/** The first problem of each field, in the interface's language. */
export function formErrors(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  role: string | null,
  t: Translate,
): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const first = issue.path[0];
    const field = typeof first === 'string' ? first : '';
    if (!field || out[field]) continue;
    if (field === 'site') out.site = t(role === 'technician' ? 'admin.invalid.siteNeeded' : 'admin.invalid.siteNotAllowed');
    else out[field] = MESSAGE_KEYS[field] ? t(MESSAGE_KEYS[field]) : issue.message;
  }
  return out;
}

/**
 * The first problem of each field, named by its path (`weekly.start`; an
 * array's index is dropped, `weekly.days[2]` is `weekly.days`), in the words
 * `messages` gives for the field, else the schema's own.
 */
export function issueErrors(
  error: { issues: readonly { code: string; path: PropertyKey[]; message: string; keys?: readonly string[] }[] },
  messages: Partial<Record<string, string>>,
  t: Translate,
): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = formatPath(issuePath(issue)).replace(/\[\d+\]$/, '');
    if (!field || out[field]) continue;
    const key = messages[field];
    out[field] = key ? t(key) : issue.message;
  }
  return out;
}

/** A refusal of the server: at its field when it names one of `fields`, otherwise for the whole form. */
export function serverErrors(err: unknown, fields: readonly string[]): { fields: FieldErrors; general: string | null } {
  if (err instanceof ApiError && err.field && fields.includes(err.field)) return { fields: { [err.field]: err.message }, general: null };
  return { fields: {}, general: reasonOf(err) };
}

/** The roles a person can have; `wall` belongs to display tokens. */
export const HUMAN_ROLES = ['admin', 'operator', 'chair', 'technician'] as const;
export type HumanRole = (typeof HUMAN_ROLES)[number];

/** A form's errors and busy state; `send` runs its request and puts a refusal at its field, or on the form. */
export function useAdminForm(fields: readonly string[]) {
  const errors = ref<FieldErrors>({});
  const general = ref<string | null>(null);
  const busy = ref(false);

  async function send(request: () => Promise<void>): Promise<void> {
    errors.value = {};
    general.value = null;
    busy.value = true;
    try {
      await request();
    } catch (err) {
      const answer = serverErrors(err, fields);
      errors.value = answer.fields;
      general.value = answer.general;
    } finally {
      busy.value = false;
    }
  }

  return { errors, general, busy, send };
}
