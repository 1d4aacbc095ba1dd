import express from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import type { AuditLog, Prisma } from '../generated/prisma/client.js';
import { STATUS_LABELS } from '../bot/texts.js';
import { parseBody, requireRole } from './auth.js';
import { fieldLabel } from './field-labels.js';
import { formatDate } from './imports/columns.js';
import { writeTables } from './table-file.js';
import { CONTENT_TYPES } from './imports/export.js';

// The audit log in Vietnamese: what each code means ("ticket.answer" -> "Trả lời phản ánh"), the entry it
// touched by name, the details in words; filtered by who, what, when and entity; exported as CSV or XLSX.

export const AUDIT_PATHS = ['/api/audit'];

export const ENTITY_NAMES: Record<string, string> = {
  faq: 'Câu hỏi thường gặp', procedure: 'Thủ tục', model: 'Mô hình cải cách', office: 'Cơ quan',
  user: 'Tài khoản', api_key: 'Khóa API', dossier: 'Hồ sơ', ticket: 'Phản ánh, kiến nghị',
  home_service: 'Phục vụ tại nhà', conversation: 'Cuộc trò chuyện', message: 'Tin nhắn', intent: 'Ý định',
};
const VERBS: Record<string, string> = {
  create: 'Tạo', update: 'Sửa', delete: 'Xóa', restore: 'Khôi phục', revoke: 'Thu hồi', import: 'Nhập từ tệp',
};
/** Actions whose verb alone would read wrongly. */
const ACTIONS: Record<string, string> = {
  'review.attach': 'Gắn câu bot chưa hiểu vào mục', 'review.faq': 'Tạo câu hỏi thường gặp từ câu bot chưa hiểu',
  'review.dismiss': 'Bỏ qua câu bot chưa hiểu', 'handoff.reply': 'Cán bộ trả lời người dân',
  'handoff.handback': 'Trả cuộc trò chuyện cho bot', 'handoff.escalated': 'Báo yêu cầu gặp cán bộ chờ quá lâu',
  'ticket.answer': 'Trả lời phản ánh', 'home_service.schedule': 'Hẹn lịch phục vụ tại nhà',
  'home_service.done': 'Hoàn thành phục vụ tại nhà', 'home_service.cancel': 'Hủy yêu cầu phục vụ tại nhà',
  'dossier.create': 'Thêm hồ sơ', 'dossier.status': 'Cập nhật trạng thái hồ sơ', 'dossier.correct': 'Sửa hồ sơ bằng tay',
  'user.update': 'Sửa tài khoản', 'api_key.create': 'Tạo khóa API', 'api_key.revoke': 'Thu hồi khóa API',
};
const ROLE_NAMES: Record<string, string> = { admin: 'Quản trị', editor: 'Biên tập', agent: 'Hỗ trợ trực tuyến', viewer: 'Chỉ xem' };
const ACTORS: Record<string, string> = { system: 'hệ thống', cli: 'dòng lệnh quản trị' };

export function actionName(action: string): string {
  if (ACTIONS[action]) return ACTIONS[action];
  const [type, verb] = action.split('.');
  const entity = ENTITY_NAMES[type];
  return entity && VERBS[verb] ? `${VERBS[verb]} ${entity.toLowerCase()}` : `Thao tác khác (${action})`;
}

type Detail = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The entry by name ("Đăng ký khai sinh", "hồ sơ 000.00.19…"), never "#null". */
export function targetName(e: Pick<AuditLog, 'entityType' | 'entityId' | 'detail'>): string {
  const d = (e.detail ?? {}) as Detail;
  const name = str(d.name) || str(d.username) || str(d.code) || str(d.target) || str(d.questions && (d.questions as string[])[0]);
  if (name) return name;
  const entity = ENTITY_NAMES[e.entityType ?? ''] ?? '';
  if (e.entityId) return `${entity} số ${e.entityId}`.trim();
  return entity;
}

/** The details in words: versions, fields by their labels, counts, statuses. */
export function detailText(e: Pick<AuditLog, 'action' | 'entityType' | 'detail'>): string {
  const d = (e.detail ?? {}) as Detail;
  const parts: string[] = [];
  if (typeof d.version === 'number') parts.push(`phiên bản ${d.version}`);
  if (Array.isArray(d.changed) && d.changed.length) parts.push(`đổi: ${d.changed.map((f) => fieldLabel(e.entityType ?? '', String(f))).join(', ')}`);
  if (typeof d.fromVersion === 'number') parts.push(`về nội dung phiên bản ${d.fromVersion}`);
  if (typeof d.role === 'string') parts.push(`vai trò ${ROLE_NAMES[d.role] ?? d.role}`);
  if (d.disabled === true) parts.push('khóa tài khoản');
  if (d.disabled === false) parts.push('mở khóa tài khoản');
  if (d.passwordChanged === true) parts.push('đặt lại mật khẩu');
  if (typeof d.prefix === 'string') parts.push(`khóa bắt đầu bằng ${d.prefix}…`);
  if (typeof d.from === 'string' && typeof d.to === 'string' && d.from !== d.to) parts.push(`trạng thái: ${status(d.from)} → ${status(d.to)}`);
  else if (typeof d.status === 'string') parts.push(`trạng thái: ${status(d.status)}`);
  if (typeof d.dueFrom === 'string' && typeof d.dueTo === 'string' && d.dueFrom !== d.dueTo) {
    parts.push(`ngày hẹn trả: ${formatDate(new Date(d.dueFrom)).slice(0, 10)} → ${formatDate(new Date(d.dueTo)).slice(0, 10)}`);
  }
  if (typeof d.note === 'string' && d.note) parts.push(`ghi chú: ${d.note}`);
  if (typeof d.messages === 'number') parts.push(`${d.messages} tin nhắn`);
  if (typeof d.created === 'number') parts.push(`${d.created} mới`);
  if (typeof d.updated === 'number') parts.push(`${d.updated} cập nhật`);
  if (typeof d.waitingMinutes === 'number') parts.push(`đã chờ ${d.waitingMinutes} phút`);
  if (typeof d.source === 'string' && d.source) parts.push(`tệp ${d.source}`);
  return parts.join(' · ');
}

const status = (s: string) => STATUS_LABELS[s as keyof typeof STATUS_LABELS] ?? s;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const VN_OFFSET_MS = 7 * 3600_000;
export const auditQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  actor: z.string().trim().max(100).optional(),
  /** An action code ("ticket.answer") or the part before the dot ("faq"): every action on that kind of entry. */
  action: z.string().trim().max(60).optional(),
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(40).optional(),
  from: z.string().regex(DAY).optional(),
  to: z.string().regex(DAY).optional(),
});
type AuditQuery = z.infer<typeof auditQuery>;

/** Days are Viet Nam calendar days: `to` includes its whole day. */
export function auditWhere(q: AuditQuery): Prisma.AuditLogWhereInput {
  const createdAt: Prisma.DateTimeFilter = {};
  if (q.from) createdAt.gte = new Date(Date.parse(`${q.from}T00:00:00Z`) - VN_OFFSET_MS);
  if (q.to) createdAt.lt = new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000 - VN_OFFSET_MS);
  return {
    actor: q.actor || undefined,
    action: q.action ? (q.action.includes('.') ? q.action : { startsWith: `${q.action}.` }) : undefined,
    entityType: q.entityType || undefined,
    entityId: q.entityId || undefined,
    createdAt: q.from || q.to ? createdAt : undefined,
  };
}

const PAGE_SIZE = 50;
const EXPORT_LIMIT = 50_000;
const present = (e: AuditLog) => ({
  ...e, actorName: e.actor ? (ACTORS[e.actor] ?? e.actor) : 'hệ thống', actionName: actionName(e.action),
  entityName: ENTITY_NAMES[e.entityType ?? ''] ?? '', target: targetName(e), details: detailText(e),
});

/** `/api/audit`, `/api/audit/options`, `/api/audit/export.csv|xlsx`; mount behind `authenticate`. */
export function auditRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const { prisma } = deps.db;
  router.use(AUDIT_PATHS, requireRole('admin', 'editor', 'viewer'));

  router.get('/api/audit', async (req, res) => {
    const q = parseBody(auditQuery, req.query, res);
    if (!q) return;
    const where = auditWhere(q);
    const [total, items] = await Promise.all([
      prisma.auditLog.count({ where }),
      prisma.auditLog.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: (q.page - 1) * PAGE_SIZE, take: PAGE_SIZE }),
    ]);
    res.json({ items: items.map(present), total, page: q.page, pageSize: PAGE_SIZE });
  });

  /** What the filters offer: the people and kinds of action that appear in the log, in Vietnamese order. */
  router.get('/api/audit/options', async (_req, res) => {
    // GROUP BY in the database: Prisma's `distinct` reads every row and drops duplicates in JavaScript.
    const [actors, actions] = await Promise.all([
      prisma.auditLog.groupBy({ by: ['actor'], where: { actor: { not: null } } }),
      prisma.auditLog.groupBy({ by: ['action'] }),
    ]);
    const vi = new Intl.Collator('vi');
    res.json({
      actors: actors.map((a) => a.actor!).sort(vi.compare).map((a) => ({ value: a, label: ACTORS[a] ?? a })),
      actions: actions.map((a) => ({ value: a.action, label: actionName(a.action) })).sort((a, b) => vi.compare(a.label, b.label)),
      entities: Object.entries(ENTITY_NAMES).map(([value, label]) => ({ value, label })).sort((a, b) => vi.compare(a.label, b.label)),
    });
  });

  router.get('/api/audit/export.:format', async (req, res) => {
    const format = req.params.format;
    if (format !== 'csv' && format !== 'xlsx') return void res.status(404).json({ error: 'Chỉ xuất được tệp .csv hoặc .xlsx.' });
    const q = parseBody(auditQuery, req.query, res);
    if (!q) return;
    const rows = await prisma.auditLog.findMany({ where: auditWhere(q), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: EXPORT_LIMIT });
    res.set('Content-Type', CONTENT_TYPES[format]);
    res.attachment(`nhat-ky-${deps.now().toISOString().slice(0, 10)}.${format}`);
    await writeTables(format, [{
      title: 'Nhật ký thay đổi',
      headers: ['Thời gian', 'Người thực hiện', 'Thao tác', 'Loại mục', 'Mục', 'Chi tiết'],
      rows: rows.map(present).map((e) => [formatDate(e.createdAt), e.actorName, e.actionName, e.entityName, e.target, e.details]),
    }], res);
    if (!res.writableEnded) res.end();
  });

  return router;
}
