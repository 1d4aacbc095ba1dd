import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { JobError, type JobContext } from '../jobs/queue.js';

// Tells a duty officer about an escalated hand-off: POST JSON to HANDOFF_ALERT_WEBHOOK_URL (a chat bot, an e-mail or
// SMS gateway of the province), retried by the job queue until it answers 2xx.

const payloadSchema = z.object({
  handoffId: z.number().int(), conversationId: z.number().int(), channel: z.string(), userId: z.string(),
  waitingMinutes: z.number(), requestedAt: z.string(),
});
const TIMEOUT_MS = 10_000;

export function handoffAlertHandler(deps: Pick<AppDeps, 'config' | 'log'> & { fetch?: typeof fetch }) {
  return async (payload: unknown, ctx: JobContext): Promise<void> => {
    const p = payloadSchema.safeParse(payload);
    if (!p.success) throw new JobError(`handoff-alert job ${ctx.key}: bad payload`, 'permanent');
    const url = deps.config.HANDOFF_ALERT_WEBHOOK_URL;
    if (!url) return; // unset since the job was queued
    const body = {
      event: 'handoff.escalated', ...p.data,
      text: `Công dân chờ cán bộ ${p.data.waitingMinutes} phút chưa được trả lời (cuộc trò chuyện #${p.data.conversationId}, kênh ${p.data.channel}).`,
    };
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (deps.config.HANDOFF_ALERT_WEBHOOK_TOKEN) headers.authorization = `Bearer ${deps.config.HANDOFF_ALERT_WEBHOOK_TOKEN}`;
    let status: number;
    try {
      status = (await (deps.fetch ?? fetch)(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) })).status;
    } catch (err) {
      throw new JobError(`hand-off alert to ${new URL(url).host}: ${(err as Error).message}`, 'retry');
    }
    if (status >= 300) throw new JobError(`hand-off alert to ${new URL(url).host}: HTTP ${status}`, status >= 500 || status === 429 ? 'retry' : 'permanent');
    ctx.log.info({ handoff: p.data.handoffId }, 'duty officer told about an escalated hand-off');
  };
}
