import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase } from './helpers/db.js';
import { startTestServer, waitFor, zaloText, type TestServer } from './helpers/server.js';

// The production path: the same pipeline on the PostgreSQL server (a fresh database, dropped afterwards).

let s: TestServer;
let drop: () => Promise<void>;
beforeAll(async () => {
  const pg = await createPgDatabase();
  drop = pg.drop;
  s = await startTestServer({ DATABASE_URL: pg.url });
});
afterAll(async () => {
  await s?.close();
  await drop?.();
});

async function ask(user: string, text: string, msgId?: string): Promise<string> {
  const before = s.zalo.sent.filter((m) => m.userId === user).length;
  expect((await s.postZalo(zaloText(user, text, msgId))).status).toBe(200);
  await waitFor(() => s.zalo.sent.filter((m) => m.userId === user).length > before);
  await new Promise((r) => setTimeout(r, 100));
  return s.zalo.sent.filter((m) => m.userId === user).slice(before).map((m) => String((m.message as { text?: string }).text ?? '')).join('\n');
}

describe('conversations on the PostgreSQL server', () => {
  it('answers a procedure question (plain-SQL path) and a dossier lookup (database path)', async () => {
    const statements = async () => Number(/^cchc_db_statements_total ([0-9.e+-]+)$/m.exec(await (await fetch(`${s.url}/metrics`)).text())?.[1]);
    const before = await statements();
    expect(await ask('pg-1', 'lệ phí đăng ký kết hôn bao nhiêu')).toContain('phí, lệ phí thủ tục "Đăng ký kết hôn"');
    // Every statement of the pool's connections is counted (stored, claimed and recorded, the send's read...).
    expect(await statements() - before).toBeGreaterThanOrEqual(5);
    expect(await ask('pg-1', 'hồ sơ 000.00.19.H12-231123-0001 đến đâu rồi')).toContain('Thủ tục: Đăng ký khai sinh');
  });

  it('understands the messages on the NLU thread once it is ready, and answers the same', async () => {
    expect(await s.runtime.deps.nluThread?.ready).toBe(true);
    const used = async () => Number(/^cchc_nlu_thread_total\{result="used"\} ([0-9.e+-]+)$/m.exec(await (await fetch(`${s.url}/metrics`)).text())?.[1] ?? 0);
    const before = await used();
    expect(await ask('pg-4', 'lệ phí đăng ký kết hôn bao nhiêu')).toContain('phí, lệ phí thủ tục "Đăng ký kết hôn"');
    // A follow-up in the context of the last answer: the thread was asked with that context.
    expect(await ask('pg-4', 'cần giấy tờ gì')).toContain('Đăng ký kết hôn');
    expect(await used() - before).toBe(2);
  });

  it('keeps a user\'s flow state between messages and answers a redelivery once', async () => {
    expect(await ask('pg-2', 'tra cứu hồ sơ giúp tôi')).toContain('mã hồ sơ');
    expect(await ask('pg-2', 'H12.22-240115-0007', 'pg-dup')).toContain('thông tin hồ sơ H12.22-240115-0007');
    const count = s.zalo.sent.filter((m) => m.userId === 'pg-2').length;
    expect((await s.postZalo(zaloText('pg-2', 'H12.22-240115-0007', 'pg-dup'))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 800));
    expect(s.zalo.sent.filter((m) => m.userId === 'pg-2')).toHaveLength(count);
  });

  it('pauses for a user after an official answers from the OA inbox (timestamps survive the round trip)', async () => {
    await s.postZalo({ event_name: 'oa_send_text', sender: { id: 'oa-1', admin_id: 'adm' }, recipient: { id: 'pg-3' }, message: { msg_id: 'pg-oa1', text: 'Chào anh' } });
    const conv = await waitFor(async () => (await s.runtime.deps.db.prisma.conversation.findFirst({ where: { userId: 'pg-3' } }))?.pausedUntil && s.runtime.deps.db.prisma.conversation.findFirst({ where: { userId: 'pg-3' } }));
    expect(conv!.pausedUntil!.getTime()).toBeGreaterThan(Date.now() + 25 * 60_000);
    await s.postZalo(zaloText('pg-3', 'lệ phí khai sinh bao nhiêu'));
    await new Promise((r) => setTimeout(r, 800));
    expect(s.zalo.sent.filter((m) => m.userId === 'pg-3')).toHaveLength(0);
  });
});
