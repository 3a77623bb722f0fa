// The e-mail set-up, read from the environment: the SMTP server
// (NOC_SMTP_URL, e.g. smtp://user:pass@mail.example:587, smtps:// for TLS from
// the start; nodemailer's options may follow as a query, e.g. ?ignoreTLS=true),
// the sender (NOC_MAIL_FROM), the first retry (NOC_MAIL_RETRY_MS) and the
// address people open the incident pages at (NOC_PUBLIC_URL). Without
// NOC_SMTP_URL no mail is sent.
import { envNumber } from '@noc/shared/env-number';
import { z } from 'zod';

export interface MailConfig {
  /** Null: e-mail is off. */
  smtpUrl: string | null;
  /** The From of every message, e.g. `"NOC Phòng trực tuyến" <noc@hoabinh.edu.vn>`. */
  from: string | null;
  /** First retry of a failed send after this long, doubling (at most 10 minutes, 8 attempts). */
  retryMs: number;
  /** The dashboard's address in the links of the messages; null: the server's own listening address. */
  publicUrl: string | null;
}

const address = z.email();

/** The address inside `Name <address>`, or the whole value. */
const bareAddress = (from: string): string => /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();

export function readMailConfig(env: NodeJS.ProcessEnv): MailConfig {
  const raw = env.NOC_SMTP_URL?.trim() || null;
  let smtpUrl: string | null = null;
  if (raw) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(`NOC_SMTP_URL "${raw}" is not a URL: write smtp://host:port or smtps://host:port`);
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
      throw new Error(`NOC_SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`);
    if (!url.hostname) throw new Error('NOC_SMTP_URL names no host');
    smtpUrl = raw;
  }
  const from = env.NOC_MAIL_FROM?.trim() || null;
  if (smtpUrl && !from) throw new Error('NOC_MAIL_FROM is unset: with NOC_SMTP_URL the messages need a sender address');
  if (from && !address.safeParse(bareAddress(from)).success)
    throw new Error(`NOC_MAIL_FROM "${from}" is not an e-mail address (write noc@example.vn or "Name" <noc@example.vn>)`);
  const publicUrl = env.NOC_PUBLIC_URL?.trim().replace(/\/+$/, '') || null;
  if (publicUrl && !/^https?:\/\/[^/\s]+/.test(publicUrl))
    throw new Error(`NOC_PUBLIC_URL "${publicUrl}" is not an http:// or https:// address`);
  return {
    smtpUrl,
    from,
    retryMs: envNumber(env, 'NOC_MAIL_RETRY_MS', 5000, { min: 1, max: 3600 * 1000, integer: true, unit: 'milliseconds' }),
    publicUrl,
  };
}

/** The SMTP server as host:port, for the admin page and the log (never its credentials). */
export function smtpServerName(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  return `${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`;
}
