import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { JobError, type JobContext } from '../jobs/queue.js';

// Sends a one-time code by SMS through the province's gateway: POST JSON { phone, text } to OTP_SMS_WEBHOOK_URL,
// retried by the job queue on network errors, 429 and 5xx.

const payloadSchema = z.object({ phone: z.string().regex(/^0\d{9,10}$/), text: z.string().min(1).max(300) });

export function otpSmsHandler(deps: Pick<AppDeps, 'config'> & { fetch?: typeof fetch }) {
  return async (payload: unknown, ctx: JobContext): Promise<void> => {
    const p = payloadSchema.safeParse(payload);
    if (!p.success) throw new JobError(`otp-sms job ${ctx.key}: bad payload`, 'permanent');
    const url = deps.config.OTP_SMS_WEBHOOK_URL;
    if (!url) throw new JobError('otp-sms: OTP_SMS_WEBHOOK_URL is no longer set', 'permanent');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (deps.config.OTP_SMS_WEBHOOK_TOKEN) headers.authorization = `Bearer ${deps.config.OTP_SMS_WEBHOOK_TOKEN}`;
    let status: number;
    try {
      status = (await (deps.fetch ?? fetch)(url, { method: 'POST', headers, body: JSON.stringify(p.data), signal: AbortSignal.timeout(10_000) })).status;
    } catch (err) {
      throw new JobError(`SMS gateway ${new URL(url).host}: ${(err as Error).message}`, 'retry');
    }
    if (status >= 300) throw new JobError(`SMS gateway ${new URL(url).host}: HTTP ${status}`, status >= 500 || status === 429 ? 'retry' : 'permanent');
    ctx.log.info({ job: ctx.key }, 'one-time code sent by SMS'); // never the phone or the code
  };
}
