import express from 'express';
import { z } from 'zod';
import { parseBody, requireRole, currentUser } from '../console/auth.js';
import type { AppDeps } from '../deps.js';
import { DOSSIER_STATUSES } from '../kb/schemas.js';
import { dossierCodeSchema, upsertDossierStatus } from './service.js';

// An editor's hand correction of a dossier (status, due date, note and whether the applicant may read it), for
// when the one-stop system is wrong or late. It goes through the status feed's own change path, so the history,
// the audit log and the subscribers' notices are exactly those of a change the feed reports.

const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3600_000;
const TEXT = {
  notFound: (code: string) => `Không có hồ sơ mã ${code}.`,
  nothing: 'Chưa có thay đổi nào để lưu.',
  stale: 'Hồ sơ vừa được cập nhật (từ hệ thống một cửa hoặc cán bộ khác). Tải lại hồ sơ để xem bản mới nhất rồi sửa lại.',
  beforeReceived: 'Ngày hẹn trả không được trước ngày tiếp nhận.',
  badDate: 'Ngày theo dạng năm-tháng-ngày, ví dụ 2026-05-20.',
};

const correctionSchema = z.object({
  status: z.enum(DOSSIER_STATUSES).optional(),
  /** A Viet Nam calendar day; the time of day of the current due date is kept (often the end of office hours). */
  dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, TEXT.badDate).optional(),
  note: z.string().trim().max(2000).nullable().optional(),
  notePublic: z.boolean().optional(),
  /** The `updatedAt` the official saw: a dossier changed since is not overwritten. */
  updatedAt: z.string().optional(),
});

/** The day `day` (yyyy-mm-dd, Viet Nam) at the Viet Nam time of day of `like`. */
function onDay(day: string, like: Date): Date {
  const timeOfDay = (like.getTime() + VN_OFFSET_MS) % DAY_MS;
  return new Date(Date.parse(`${day}T00:00:00Z`) - VN_OFFSET_MS + timeOfDay);
}

/** `PATCH /api/dossiers/:code` for admins and editors. */
export function dossierCorrectionRouter(deps: AppDeps): express.Router {
  const router = express.Router();
  const { prisma } = deps.db;
  router.patch('/api/dossiers/:code', requireRole('admin', 'editor'), express.json({ limit: '64kb' }), async (req, res) => {
    const code = dossierCodeSchema.safeParse(req.params.code);
    const body = parseBody(correctionSchema, req.body, res);
    if (!body) return;
    const d = code.success ? await prisma.dossier.findUnique({ where: { code: code.data } }) : null;
    if (!d) return void res.status(404).json({ error: TEXT.notFound(String(req.params.code)) });
    if (body.updatedAt && new Date(body.updatedAt).getTime() !== d.updatedAt.getTime()) return void res.status(409).json({ error: TEXT.stale });
    const dueAt = body.dueDate ? onDay(body.dueDate, d.dueAt) : d.dueAt;
    if (dueAt < d.receivedAt) return void res.status(400).json({ error: 'invalid', issues: [{ path: 'dueDate', message: TEXT.beforeReceived }] });
    const next = {
      status: body.status ?? d.status, dueAt, note: body.note === undefined ? d.note : body.note || null,
      notePublic: body.notePublic ?? d.notePublic,
    };
    if (next.status === d.status && next.dueAt.getTime() === d.dueAt.getTime() && next.note === d.note && next.notePublic === d.notePublic) {
      return void res.status(400).json({ error: 'invalid', issues: [{ path: '', message: TEXT.nothing }] });
    }
    const result = await upsertDossierStatus(deps, d.code, {
      procedureCode: d.procedureCode ?? undefined, procedureName: d.procedureName, applicantName: d.applicantName,
      applicantPhone: d.applicantPhone, office: d.office, receivedAt: d.receivedAt, ...next, status: next.status as (typeof DOSSIER_STATUSES)[number],
    }, { actor: currentUser(res).username, action: 'dossier.correct' });
    res.json({ code: result.dossier.code, status: result.dossier.status, dueAt: result.dossier.dueAt, note: result.dossier.note,
      notePublic: result.dossier.notePublic, updatedAt: result.dossier.updatedAt, notified: result.notified });
  });
  return router;
}
