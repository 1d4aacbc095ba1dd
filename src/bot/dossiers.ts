import type { Dossier, Prisma } from '../generated/prisma/client.js';
import type { Reply } from '../channels/types.js';
import type { DossierStatus } from '../kb/schemas.js';
import { canonicalDossierCode } from '../nlu/entities.js';
import { reply } from './context.js';
import { STATUS_LABELS, STATUS_NEXT, T, formatDate, maskName } from './texts.js';

type Tx = Prisma.TransactionClient;
const FINISHED = new Set<string>(['done', 'returned', 'rejected', 'withdrawn']);

export async function findDossier(tx: Tx, code: string): Promise<Dossier | null> {
  return tx.dossier.findFirst({ where: { code: { equals: canonicalDossierCode(code), mode: 'insensitive' } } });
}

/** Counts this use of `key`; false when it was already used `limit` times in the last `windowMs`. */
export async function allowRate(tx: Tx, key: string, limit: number, windowMs: number, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - windowMs);
  const recent = await tx.rateHit.count({ where: { key, at: { gte: since } } });
  if (recent >= limit) return false;
  await tx.rateHit.create({ data: { key, at: now } });
  return true;
}

export function isOverdue(d: Pick<Dossier, 'dueAt' | 'status'>, now: Date): boolean {
  return d.dueAt < now && !FINISHED.has(d.status);
}

/** The status card: never the phone number, never the full name. */
export function dossierStatusText(d: Dossier, now: Date): string {
  const status = d.status as DossierStatus;
  const lines = [
    `Dạ, thông tin hồ sơ ${d.code}:`,
    `• Thủ tục: ${d.procedureName}`,
    `• Người nộp: ${maskName(d.applicantName)}`,
    `• Ngày tiếp nhận: ${formatDate(d.receivedAt)}`,
    `• Ngày hẹn trả: ${formatDate(d.dueAt)}`,
    `• Trạng thái: ${STATUS_LABELS[status] ?? d.status}`,
    `• Nơi giải quyết: ${d.office}`,
  ];
  if (d.note) lines.push(`• Ghi chú: ${d.note}`);
  lines.push('', STATUS_NEXT[status] ?? '');
  if (isOverdue(d, now)) {
    lines.push('Hồ sơ đã quá ngày hẹn trả. Bộ phận Một cửa thành thật xin lỗi anh/chị; cán bộ sẽ thông báo ngày hẹn mới sớm nhất.');
  }
  return lines.join('\n').trim();
}

export async function dossierStatusReply(tx: Tx, code: string, now: Date, subscribed: boolean): Promise<Reply> {
  const d = await findDossier(tx, code);
  if (!d) return reply(T.dossierNotFound(code));
  const buttons = [];
  if (!subscribed && !FINISHED.has(d.status)) buttons.push({ title: 'Nhận thông báo', payload: `#sub:${d.code}` });
  if (d.status === 'returned' || d.status === 'done') buttons.push({ title: 'Đánh giá', payload: `#rate:${d.code}` });
  buttons.push({ title: 'Gặp cán bộ', payload: '#menu:human' });
  const text = dossierStatusText(d, now) + (!subscribed && !FINISHED.has(d.status) ? `\n\n${T.offerNotify}` : '');
  return reply(text, buttons);
}

export async function subscribe(tx: Tx, dossier: Dossier, channel: string, userId: string): Promise<void> {
  await tx.subscription.upsert({
    where: { dossierId_channel_userId: { dossierId: dossier.id, channel, userId } },
    create: { dossierId: dossier.id, channel, userId },
    update: { active: true },
  });
}

export async function unsubscribe(tx: Tx, channel: string, userId: string, dossierId?: number): Promise<number> {
  const r = await tx.subscription.updateMany({ where: { channel, userId, active: true, ...(dossierId ? { dossierId } : {}) }, data: { active: false } });
  return r.count;
}

export async function isSubscribed(tx: Tx, code: string, channel: string, userId: string): Promise<boolean> {
  const d = await findDossier(tx, code);
  if (!d) return false;
  return (await tx.subscription.count({ where: { dossierId: d.id, channel, userId, active: true } })) > 0;
}
