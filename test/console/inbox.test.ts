import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/console/auth.js';
import { HIDDEN } from '../../src/console/personal-data.js';
import { PASSWORD, call, login, startConsoleApp, type ConsoleApp, type Session } from './console-app.js';

// The hand-off inbox API on a real database: queue and assignment, status, notes, unread counts, the contact panel
// with personal data only for the roles that answer citizens, canned replies, search; the assignment race on both
// PGlite and the PostgreSQL server.

async function seedConversation(app: ConsoleApp, userId: string, opts: { minutesAgo?: number; escalated?: boolean } = {}) {
  const { prisma } = app.deps.db;
  const at = new Date(Date.now() - (opts.minutesAgo ?? 5) * 60_000);
  const conv = await prisma.conversation.create({ data: { channel: 'zalo', userId, displayName: `Công dân ${userId}`,
    handoffStatus: 'waiting', handoffAt: at, lastInboundAt: at } });
  await prisma.handoff.create({ data: { conversationId: conv.id, channel: 'zalo', userId, requestedAt: at, escalatedAt: opts.escalated ? new Date() : null } });
  const msg = (m: { direction: string; text: string; sentBy: string; entities?: object; offset: number }) => ({
    conversationId: conv.id, channel: 'zalo', direction: m.direction, text: m.text, sentBy: m.sentBy, entities: m.entities,
    createdAt: new Date(at.getTime() - 60_000 + m.offset * 1000),
  });
  await prisma.message.createMany({ data: [
    msg({ direction: 'in', text: 'Cho tôi hỏi về hồ sơ khai sinh', sentBy: 'citizen', offset: 0 }),
    msg({ direction: 'out', text: 'Dạ, anh/chị cho em xin số điện thoại.', sentBy: 'bot', offset: 1 }),
    msg({ direction: 'in', text: '0912 345 678', sentBy: 'citizen', entities: { form: { flow: 'home_service', step: 'phone', personal: true, outcome: 'answer' } }, offset: 2 }),
    msg({ direction: 'in', text: 'cho tôi gặp cán bộ', sentBy: 'citizen', offset: 61 }),
  ] });
  return conv.id;
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe(`inbox API (${kind})`, () => {
    let app: ConsoleApp;
    const s: Record<string, Session> = {};
    let first: number;
    let second: number;

    beforeAll(async () => {
      app = await startConsoleApp(kind);
      (app.deps.queue as { poke?: () => void }).poke = () => undefined;
      await createUser(app.deps.db.prisma, { username: 'agent2', password: PASSWORD, role: 'agent' });
      for (const u of ['admin', 'editor', 'agent', 'agent2', 'viewer']) s[u] = await login(app, u);
      first = await seedConversation(app, 'u-first', { minutesAgo: 20, escalated: true });
      second = await seedConversation(app, 'u-second', { minutesAgo: 3 });
    }, 180_000);
    afterAll(async () => { await app?.close(); });

    it('an assignment race between two agents leaves exactly one owner', async () => {
      const tries = await Promise.all(['agent', 'agent2', 'agent', 'agent2', 'agent', 'agent2'].map((u) =>
        call(app, 'POST', `/api/inbox/${first}/assign`, { session: s[u], body: { from: null, to: u } })));
      expect(tries.filter((r) => r.status === 200)).toHaveLength(1);
      expect(tries.filter((r) => r.status === 409)).toHaveLength(5);
      const owner = (await app.deps.db.prisma.conversation.findUniqueOrThrow({ where: { id: first } })).assignedTo;
      expect(['agent', 'agent2']).toContain(owner);
      const loser = tries.find((r) => r.status === 409)!;
      expect(loser.body.assignedTo).toBe(owner);
      expect(loser.body.error).toContain(`cán bộ ${owner} nhận`);
      // Release it for the tests below.
      expect((await call(app, 'POST', `/api/inbox/${first}/assign`, { session: s[owner!], body: { from: owner, to: null } })).status).toBe(200);
    }, 30_000);

    if (kind === 'postgres') return;

    it('an agent sees the queue and their own, takes a conversation, and the counts follow', async () => {
      const before = await call(app, 'GET', '/api/inbox/counts', { session: s.agent });
      expect(before.body).toMatchObject({ queue: 2, mine: 0, waiting: 2, escalated: 1 });
      expect(before.body.unread).toBe(2); // the citizen messages since each hand-off began
      const queue = await call(app, 'GET', '/api/inbox?view=queue', { session: s.agent });
      expect(queue.body.items.map((c: { id: number }) => c.id)).toEqual([first, second]); // oldest request first
      expect(queue.body.items[0]).toMatchObject({ status: 'open', escalated: true, unread: 1 });
      expect((await call(app, 'GET', '/api/inbox?view=open', { session: s.agent })).status).toBe(403);

      expect((await call(app, 'POST', `/api/inbox/${first}/assign`, { session: s.agent, body: { from: null, to: 'agent' } })).status).toBe(200);
      expect((await call(app, 'POST', `/api/inbox/${first}/assign`, { session: s.agent, body: { from: 'agent', to: 'agent2' } })).status).toBe(403);
      const mine = await call(app, 'GET', '/api/inbox?view=mine', { session: s.agent });
      expect(mine.body.items.map((c: { id: number }) => c.id)).toEqual([first]);
      const after = await call(app, 'GET', '/api/inbox/counts', { session: s.agent });
      expect(after.body).toMatchObject({ queue: 1, mine: 1 });
      const audit = await app.deps.db.prisma.auditLog.findFirst({ where: { action: 'inbox.assign', entityId: String(first) }, orderBy: { id: 'desc' } });
      expect(audit?.actor).toBe('agent');
    });

    it('two officials answering one conversation both see each other, with who said what; opening it reads it', async () => {
      expect((await call(app, 'POST', `/api/conversations/${first}/reply`, { session: s.agent, body: { text: 'Chào anh, em là cán bộ A.' } })).status).toBe(201);
      expect((await call(app, 'POST', `/api/conversations/${first}/reply`, { session: s.agent2, body: { text: 'Em bổ sung: <b>mang CCCD</b>.' } })).status).toBe(201);
      const conv = await app.deps.db.prisma.conversation.findUniqueOrThrow({ where: { id: first } });
      expect(conv.assignedTo).toBe('agent'); // answering someone else's conversation does not take it
      for (const who of ['agent', 'agent2']) {
        const t = await call(app, 'GET', `/api/inbox/${first}`, { session: s[who] });
        const officials = t.body.messages.filter((m: { from: string }) => m.from === 'official');
        expect(officials.map((m: { official: string; text: string }) => `${m.official}: ${m.text}`)).toEqual([
          'agent: Chào anh, em là cán bộ A.', 'agent2: Em bổ sung: <b>mang CCCD</b>.']);
        expect(t.body.messages.map((m: { from: string }) => m.from).slice(0, 4)).toEqual(['citizen', 'bot', 'citizen', 'citizen']);
      }
      const counts = await call(app, 'GET', '/api/inbox/counts', { session: s.agent });
      expect(counts.body.unread).toBe(1); // the second conversation, not opened yet
    });

    it('notes stay internal, status moves open -> waiting -> open when the citizen writes -> solved (hand-back)', async () => {
      const note = await call(app, 'POST', `/api/inbox/${first}/notes`, { session: s.agent, body: { text: 'Đã gọi điện, chờ <script>x</script> bổ sung' } });
      expect(note.status).toBe(200);
      expect((await call(app, 'POST', `/api/inbox/${first}/notes`, { session: s.agent, body: { text: '   ' } })).status).toBe(400);
      expect((await call(app, 'POST', `/api/inbox/${first}/notes`, { session: s.viewer, body: { text: 'x' } })).status).toBe(403);
      const thread = await call(app, 'GET', `/api/inbox/${first}`, { session: s.viewer });
      expect(thread.body.notes.map((n: { text: string }) => n.text)).toEqual(['Đã gọi điện, chờ <script>x</script> bổ sung']);
      const sent = await app.deps.db.prisma.message.count({ where: { conversationId: first, text: { contains: 'Đã gọi điện' } } });
      expect(sent).toBe(0);

      expect((await call(app, 'POST', `/api/inbox/${first}/status`, { session: s.agent, body: { status: 'waiting' } })).status).toBe(200);
      expect((await call(app, 'GET', `/api/inbox/${first}`, { session: s.agent })).body.conversation.status).toBe('waiting');
      expect((await call(app, 'GET', '/api/inbox?view=mine&status=waiting', { session: s.agent })).body.total).toBe(1);
      await app.deps.db.prisma.conversation.update({ where: { id: first }, data: { lastInboundAt: new Date(Date.now() + 1000) } });
      expect((await call(app, 'GET', `/api/inbox/${first}`, { session: s.agent })).body.conversation.status).toBe('open');

      expect((await call(app, 'POST', `/api/inbox/${first}/status`, { session: s.agent, body: { status: 'solved' } })).status).toBe(200);
      const solved = await app.deps.db.prisma.conversation.findUniqueOrThrow({ where: { id: first } });
      expect(solved).toMatchObject({ handoffStatus: null, assignedTo: null });
      const last = await app.deps.db.prisma.message.findFirst({ where: { conversationId: first }, orderBy: { id: 'desc' } });
      expect(last?.text).toContain('cán bộ đã hoàn tất hỗ trợ');
      expect((await call(app, 'POST', `/api/inbox/${first}/status`, { session: s.agent, body: { status: 'waiting' } })).status).toBe(409);
      const list = await call(app, 'GET', '/api/inbox?view=solved', { session: s.agent });
      expect(list.body.items.map((c: { id: number; status: string }) => [c.id, c.status])).toEqual([[first, 'solved']]);
      expect((await call(app, 'POST', `/api/inbox/${first}/assign`, { session: s.agent, body: { from: null, to: 'agent' } })).status).toBe(409);
      // Reopening gives it back to the official who reopened it.
      expect((await call(app, 'POST', `/api/inbox/${first}/status`, { session: s.agent2, body: { status: 'open' } })).status).toBe(200);
      expect(await app.deps.db.prisma.conversation.findUniqueOrThrow({ where: { id: first } })).toMatchObject({ handoffStatus: 'active', assignedTo: 'agent2' });
    });

    it('personal data (form answers, the contact panel) only for admins and agents', async () => {
      const { prisma } = app.deps.db;
      await prisma.homeServiceRequest.create({ data: { code: 'DV-2026-000001', channel: 'zalo', userId: 'u-second', name: 'Nguyễn Thị Hoa',
        phone: '0912345678', address: '12 Lê Lợi', procedureName: 'Khai sinh', reason: 'Già yếu' } });
      await prisma.ticket.create({ data: { code: 'PA-2026-000001', channel: 'zalo', userId: 'u-second', content: 'Nhà tôi ở 12 Lê Lợi', dueAt: new Date() } });
      await prisma.rating.create({ data: { channel: 'zalo', userId: 'u-second', score: 2, comment: 'chậm' } });
      const agent = (await call(app, 'GET', `/api/inbox/${second}`, { session: s.agent })).body;
      expect(agent.messages.find((m: { text: string }) => m.text === '0912 345 678')).toBeTruthy();
      expect(agent.contact.homeServices[0]).toMatchObject({ name: 'Nguyễn Thị Hoa', phone: '0912345678', address: '12 Lê Lợi' });
      for (const role of ['viewer', 'editor']) {
        const t = (await call(app, 'GET', `/api/inbox/${second}`, { session: s[role] })).body;
        expect(JSON.stringify(t)).not.toContain('0912');
        expect(JSON.stringify(t)).not.toContain('Lê Lợi');
        expect(t.messages.filter((m: { masked: boolean }) => m.masked)).toHaveLength(1);
        expect(t.contact.homeServices[0]).toMatchObject({ name: 'N. T. H.', phone: '*******678', address: HIDDEN });
        expect(t.contact.tickets[0].content).toBe(HIDDEN);
        expect(t.contact.ratings[0]).toMatchObject({ score: 2, comment: HIDDEN });
      }
      // The hand-off list's API masks the same answers.
      expect((await call(app, 'GET', `/api/conversations/${second}/messages`, { session: s.viewer })).text).not.toContain('0912');
      expect((await call(app, 'GET', `/api/conversations/${second}/messages`, { session: s.agent })).text).toContain('0912 345 678');
      // Search does not find a conversation through a masked answer.
      expect((await call(app, 'GET', '/api/inbox?view=all&q=0912', { session: s.viewer })).body.total).toBe(0);
      expect((await call(app, 'GET', '/api/inbox?view=all&q=0912', { session: s.admin })).body.total).toBe(2);
    });

    it('search finds a conversation by what was said, by name or account', async () => {
      const ids = async (q: string) => (await call(app, 'GET', `/api/inbox?view=all&q=${encodeURIComponent(q)}`, { session: s.admin })).body.items.map((c: { id: number }) => c.id);
      expect(await ids('mang cccd')).toEqual([first]);
      expect(await ids('u-second')).toEqual([second]);
      expect(await ids('100%_')).toEqual([]);
      expect((await call(app, 'GET', `/api/inbox?view=all&q=${'x'.repeat(201)}`, { session: s.admin })).status).toBe(400);
    });

    it('canned replies: editors keep them, agents read them, titles are unique, HTML stays text', async () => {
      const made = await call(app, 'POST', '/api/canned-replies', { session: s.editor, body: { title: 'Chào hỏi', text: 'Dạ, em chào anh/chị <i>ạ</i>.' } });
      expect(made.status).toBe(201);
      expect((await call(app, 'POST', '/api/canned-replies', { session: s.agent, body: { title: 'X', text: 'y' } })).status).toBe(403);
      const dup = await call(app, 'POST', '/api/canned-replies', { session: s.editor, body: { title: 'Chào hỏi', text: 'khác' } });
      expect(dup.status).toBe(409);
      expect(dup.body.issues[0].path).toBe('title');
      const bad = await call(app, 'POST', '/api/canned-replies', { session: s.editor, body: { title: '', text: 'y' } });
      expect(bad.body.issues[0].message).toBe('Hãy nhập tiêu đề.');
      await call(app, 'POST', '/api/canned-replies', { session: s.editor, body: { title: 'Ăn trưa', text: 'Dạ, cán bộ nghỉ trưa ạ.' } });
      const list = await call(app, 'GET', '/api/canned-replies', { session: s.agent });
      expect(list.body.items.map((c: { title: string }) => c.title)).toEqual(['Ăn trưa', 'Chào hỏi']);
      expect(list.body.items[1].text).toBe('Dạ, em chào anh/chị <i>ạ</i>.');
      expect((await call(app, 'PUT', `/api/canned-replies/${made.body.id}`, { session: s.editor, body: { title: 'Chào', text: 'Dạ.' } })).status).toBe(200);
      expect((await call(app, 'DELETE', `/api/canned-replies/${made.body.id}`, { session: s.editor })).status).toBe(200);
      expect((await call(app, 'DELETE', `/api/canned-replies/${made.body.id}`, { session: s.editor })).status).toBe(404);
    });
  });
}
