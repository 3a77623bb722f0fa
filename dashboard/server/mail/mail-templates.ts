// What the messages say, in Vietnamese (the operators' language): the
// incident's cause as the dashboard words it (its Vietnamese messages), the
// site's full name, times in Vietnam's time, and the link to the incident's
// page. A site not ready for a meeting (the readiness run a day before, Điều
// 8.2) has its own wording; "chair informed" tells the chair of a lost link
// (Điều 9.2).
import type { Incident, NotificationEvent, RuleId } from '@noc/shared/incidents';
import type { Site } from '@noc/shared/sites';
import { NOC_TIME_ZONE, wallClock } from '@noc/shared/zoned-time';
// The dashboard's Vietnamese incident messages: one wording for the pages and the mail.
import viIncident from '../../src/i18n/vi/incident.ts';

export interface MailContent {
  subject: string;
  text: string;
}

/** What a message is about: an incident's notification, or the chair told of it. */
export type MailEvent = NotificationEvent | 'chair-informed';

export interface MailContext {
  incident: Incident;
  site: Site | undefined;
  /** The incident page, absolute. */
  link: string;
  event: MailEvent;
  /** Who told the chair, and what they added. */
  note?: { by: string; comment: string };
}

/** The readiness check's "site not ready" rule (Điều 8.2): a message of its own. */
export const SITE_NOT_READY_RULE: RuleId = 'notReady';

const EVENT_WORDS: Record<MailEvent, string> = {
  opened: 'Sự cố mới',
  reopened: 'Sự cố tái diễn',
  severity: 'Sự cố tăng mức độ',
  acknowledged: 'Sự cố đã được tiếp nhận',
  resolved: 'Sự cố đã được xử lý',
  unsuppressed: 'Sự cố mới',
  escalated: 'Sự cố nghiêm trọng chưa được tiếp nhận, báo cấp trên',
  test: 'Thư thử',
  'chair-informed': 'Báo cáo chủ trì cuộc họp',
};

const SIGNATURE = [
  '—',
  'Trung tâm điều hành mạng phòng họp trực tuyến (NOC), Sở Giáo dục và Đào tạo Hòa Bình.',
  'Thư gửi tự động, xin không trả lời thư này.',
].join('\n');

const two = (n: number): string => String(n).padStart(2, '0');
/** "08:30:00 ngày 04/12/2026 (giờ Việt Nam)": on the NOC's clock, whatever the server's zone. */
const at = (ms: number): string => {
  const c = wallClock(NOC_TIME_ZONE, ms);
  return `${two(c.hour)}:${two(c.minute)}:${two(c.second)} ngày ${two(c.day)}/${two(c.month)}/${c.year} (giờ Việt Nam)`;
};

const number = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });

/** The rule's message with its figures, as the incident page shows it. */
export function causeText(incident: Pick<Incident, 'rule' | 'params'>): string {
  const messages = viIncident.incident.rule as Record<string, string>;
  const template = messages[incident.rule];
  if (!template) return `${incident.rule} ${JSON.stringify(incident.params)}`;
  const values: Record<string, string> = { pct: '—', minutes: '—', status: '' };
  for (const [k, v] of Object.entries(incident.params)) values[k] = typeof v === 'number' ? number.format(v) : v;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

const ruleName = (rule: string): string => (viIncident.incident.ruleName as Record<string, string>)[rule] ?? rule;

function facts(c: MailContext): string[] {
  const { incident: i } = c;
  const siteName = c.site?.name ?? i.site;
  const lines = [
    `Sự cố #${i.id} tại ${siteName}`,
    `Nguyên nhân: ${causeText(i)}`,
    `Mức độ: ${viIncident.incident.severity[i.severity]}`,
    `Trạng thái: ${viIncident.incident.state[i.state]}`,
    `Bắt đầu: ${at(i.openedAt)}`,
  ];
  if (i.meeting) lines.push(`Cuộc họp đang diễn ra khi đó: ${i.meeting.title}`);
  if (i.acknowledgedAt !== null) lines.push(`Đã tiếp nhận: ${at(i.acknowledgedAt)}, bởi ${i.acknowledgedBy ?? '—'}`);
  if (i.escalatedAt !== null) lines.push(`Báo cấp trên: ${at(i.escalatedAt)}`);
  if (i.resolvedAt !== null) {
    lines.push(`Đã xử lý: ${at(i.resolvedAt)}, ${i.resolvedBy ? `bởi ${i.resolvedBy}` : 'tự hết'}`);
    if (i.resolveCause) lines.push(`Nguyên nhân đã xác định: ${i.resolveCause}`);
  }
  if (i.isp) {
    lines.push(`Nhà mạng: ${i.isp.provider}${i.isp.ticket ? `, phiếu ${i.isp.ticket}` : ''}`);
    if (i.isp.cause) lines.push(`Nguyên nhân (nhà mạng): ${i.isp.cause}`);
    if (i.isp.fix) lines.push(`Giải pháp: ${i.isp.fix}`);
    lines.push(`Dự kiến khắc phục: ${i.isp.expectedAt === null ? 'chưa xác định' : at(i.isp.expectedAt)}`);
  }
  return lines;
}

function notReadyFacts(c: MailContext): string[] {
  const { incident: i } = c;
  const lines = [
    `${causeText(i)}.`,
    `Điểm cầu: ${c.site?.name ?? i.site}`,
    'Kết quả kiểm tra hệ thống, đường truyền, âm thanh, hình ảnh trước cuộc họp (Điều 8 Quy chế) chưa đạt; đề nghị cán bộ kỹ thuật của điểm cầu khắc phục và kiểm tra lại trước giờ họp.',
    `Mức độ: ${viIncident.incident.severity[i.severity]}`,
    `Phát hiện lúc: ${at(i.openedAt)}`,
  ];
  if (i.resolvedAt !== null) lines.push(`Đã xử lý: ${at(i.resolvedAt)}, ${i.resolvedBy ? `bởi ${i.resolvedBy}` : 'kiểm tra lại đã đạt'}`);
  return lines;
}

export function renderMail(c: MailContext): MailContent {
  const { incident: i } = c;
  const siteName = c.site?.name ?? i.site;
  const severity = viIncident.incident.severity[i.severity];
  const notReady = i.rule === SITE_NOT_READY_RULE;
  const what = notReady ? 'Điểm cầu chưa sẵn sàng' : ruleName(i.rule);
  const subject = `[NOC][${severity}] ${siteName}: ${what} · ${EVENT_WORDS[c.event]} (#${i.id})`;
  const opening =
    c.event === 'chair-informed'
      ? [
          `Kính gửi chủ trì cuộc họp,`,
          '',
          `Cán bộ kỹ thuật (${c.note?.by ?? '—'}) báo cáo sự cố đường truyền tại ${siteName} để chủ trì điều chỉnh nội dung, thời gian cuộc họp cho phù hợp (Điều 9 Quy chế).`,
          ...(c.note?.comment ? [`Ghi chú: ${c.note.comment}`] : []),
          '',
        ]
      : [`${EVENT_WORDS[c.event]}.`, ''];
  const text = [...opening, ...(notReady ? notReadyFacts(c) : facts(c)), '', `Xem sự cố: ${c.link}`, '', SIGNATURE, ''].join('\n');
  return { subject, text };
}
