// Sends one message through the configured SMTP server with nodemailer: plain
// text in UTF-8 (Vietnamese names and words as they are), one recipient each.
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export type SendMail = (mail: OutgoingMail) => Promise<void>;

export interface SmtpSender {
  send: SendMail;
  close(): void;
}

export function smtpSender(smtpUrl: string, from: string, timeoutMs = 15_000): SmtpSender {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async send({ to, subject, text }) {
      const info = await transport.sendMail({ from, to, subject, text, textEncoding: 'quoted-printable' });
      if (info.rejected.length > 0) throw new Error(`the server refused ${info.rejected.map(String).join(', ')}`);
    },
    close: () => transport.close(),
  };
}
