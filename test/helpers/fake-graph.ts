import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A fake Graph API on 127.0.0.1: records what the bot sent, answers like Meta (including its error bodies),
// enforces the Send API limits Meta enforces, and fails on demand so retry paths can be tested offline.

/** A failure to inject: a named Meta behaviour or a custom Graph error. */
export type FakeFailure =
  | 'http500' | 'rate_limit' | 'temporary' | 'outside_window' | 'user_unavailable' | 'bad_token' | 'drop'
  | 'hang' | 'http429' | 'not_json' | 'lost_answer' | { lateMs: number }
  | { status?: number; code: number; subcode?: number; message?: string };
// `hang` never answers; `http429` is a bare 429 with Retry-After: 0; `not_json` a proxy's HTML page with HTTP 200.
// On a message, `lost_answer` records it then closes the connection; `{ lateMs }` records it and answers late.

export interface FakeGraphRequest { kind: 'message' | 'action' | 'conversations'; psid: string; n: number }

export interface SentMessage {
  psid: string;
  message: Record<string, unknown>;
  messaging_type: string;
  tag?: string;
  at: Date;
  message_id: string;
}

export interface FakeGraphOptions { token?: string; pageId?: string; now?: () => Date }

export interface FakeGraph {
  /** Base URL for MESSENGER_GRAPH_BASE_URL (no version). */
  url: string;
  token: string;
  pageId: string;
  sent: SentMessage[];
  actions: Array<{ psid: string; action: string; at: Date }>;
  /** Decides per request whether to fail; null or undefined lets it through. */
  setFailure(fn: ((req: FakeGraphRequest) => FakeFailure | null | undefined) | null): void;
  /** Adds a message to a user's conversation as if sent outside the test (by the user or another tool). */
  addHistory(psid: string, message: { text: string; fromId: string; at: Date }): void;
  close(): Promise<void>;
}

const ERRORS: Record<Exclude<FakeFailure, 'drop' | 'hang' | 'http429' | 'not_json' | 'lost_answer' | object>, { status: number; code: number; subcode?: number; message: string }> = {
  http500: { status: 500, code: 1, message: 'An unknown error occurred' },
  rate_limit: { status: 400, code: 613, message: 'Calls to this api have exceeded the rate limit.' },
  temporary: { status: 503, code: 2, message: 'An unexpected error has occurred. Please retry your request later.' },
  outside_window: { status: 400, code: 10, subcode: 2018278, message: 'This message is sent outside of allowed window.' },
  user_unavailable: { status: 400, code: 551, message: 'This person isn\'t available right now.' },
  bad_token: { status: 400, code: 190, message: 'Invalid OAuth access token.' },
};

const graphTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, '+0000');

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function graphError(res: ServerResponse, status: number, code: number, message: string, subcode?: number): void {
  const type = code === 190 ? 'OAuthException' : 'GraphMethodException';
  sendJson(res, status, { error: { message, type, code, ...(subcode && { error_subcode: subcode }), fbtrace_id: 'fake' } });
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

/** What Meta would refuse with error 100; undefined when the message is acceptable. */
function invalidMessage(message: Record<string, unknown>): string | undefined {
  const { text, attachment, quick_replies: quickReplies } = message;
  if ((text === undefined) === (attachment === undefined)) return 'message needs exactly one of text and attachment';
  if (text !== undefined && (typeof text !== 'string' || text.length === 0 || text.length > 2000)) {
    return 'text must be 1 to 2000 characters';
  }
  if (quickReplies !== undefined) {
    if (!Array.isArray(quickReplies) || quickReplies.length > 13) return 'at most 13 quick replies';
    for (const q of quickReplies.map(asRecord)) {
      const title = q?.title;
      if (typeof title !== 'string' || !title || title.length > 20) return 'quick reply title must be 1 to 20 characters';
      if (typeof q?.payload !== 'string' || q.payload.length > 1000) return 'quick reply payload at most 1000 characters';
    }
  }
  const payload = asRecord(asRecord(attachment)?.payload);
  if (asRecord(attachment)?.type === 'template' && payload?.template_type === 'button') {
    const buttons = payload.buttons;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) return 'button template needs 1 to 3 buttons';
    if (typeof payload.text !== 'string' || payload.text.length > 640) return 'button template text at most 640 characters';
    if (buttons.some((b) => String(asRecord(b)?.title ?? '').length > 20)) return 'button title at most 20 characters';
  }
  return undefined;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try { return asRecord(JSON.parse(Buffer.concat(chunks).toString('utf8'))); } catch { return undefined; }
}

export async function startFakeGraph(opts: FakeGraphOptions = {}): Promise<FakeGraph> {
  const token = opts.token ?? 'test-page-token';
  const pageId = opts.pageId ?? '1000000000000001';
  const now = opts.now ?? (() => new Date());
  const sent: SentMessage[] = [];
  const actions: FakeGraph['actions'] = [];
  const history: Array<{ psid: string; id: string; text: string; fromId: string; at: Date }> = [];
  let failure: ((req: FakeGraphRequest) => FakeFailure | null | undefined) | null = null;
  let requests = 0;
  let nextId = 1;

  // True when it answered (or dropped) the request itself; 'late' / 'lost' when the message is to be recorded first.
  function injectFailure(req: IncomingMessage, res: ServerResponse, call: FakeGraphRequest): boolean | { after: 'drop' | number } {
    const f = failure?.(call);
    if (!f) return false;
    if (f === 'drop') { req.socket.destroy(); return true; }
    if (f === 'hang') return true;
    if (f === 'lost_answer') return { after: 'drop' };
    if (typeof f === 'object' && 'lateMs' in f) return { after: f.lateMs };
    if (f === 'http429') { res.writeHead(429, { 'retry-after': '0' }).end('Too Many Requests'); return true; }
    if (f === 'not_json') { res.writeHead(200, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>'); return true; }
    const e = typeof f === 'string' ? ERRORS[f] : { status: 400, message: 'Injected error', ...f };
    graphError(res, e.status, e.code, e.message, e.subcode);
    return true;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = /^\/v\d+\.\d+\/me\/(messages|conversations)$/.exec(url.pathname)?.[1];
    if (!route) return graphError(res, 404, 803, `Unknown path ${url.pathname}`);
    if (url.searchParams.get('access_token') !== token) return graphError(res, 400, 190, ERRORS.bad_token.message);
    const n = ++requests;

    if (route === 'conversations' && req.method === 'GET') {
      const psid = url.searchParams.get('user_id') ?? '';
      if (injectFailure(req, res, { kind: 'conversations', psid, n }) === true) return;
      const mine = [...history, ...sent.map((s) => ({ psid: s.psid, id: s.message_id,
        text: typeof s.message.text === 'string' ? s.message.text : '', fromId: pageId, at: s.at }))]
        .filter((m) => m.psid === psid).sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, 10);
      const data = mine.map((m) => ({ id: m.id, message: m.text, from: { id: m.fromId }, created_time: graphTime(m.at) }));
      return sendJson(res, 200, { data: data.length ? [{ id: `t_${psid}`, messages: { data } }] : [] });
    }
    if (route !== 'messages' || req.method !== 'POST') return graphError(res, 405, 100, 'Unsupported method');

    const body = await readJson(req);
    const psid = asRecord(body?.recipient)?.id;
    if (typeof psid !== 'string') return graphError(res, 400, 100, 'recipient.id is required');
    if (typeof body?.sender_action === 'string') {
      if (injectFailure(req, res, { kind: 'action', psid, n }) === true) return;
      actions.push({ psid, action: body.sender_action, at: now() });
      return sendJson(res, 200, { recipient_id: psid });
    }
    const injected = injectFailure(req, res, { kind: 'message', psid, n });
    if (injected === true) return;
    const messagingType = body?.messaging_type;
    const tag = typeof body?.tag === 'string' ? body.tag : undefined;
    if (messagingType !== 'RESPONSE' && messagingType !== 'UPDATE' && messagingType !== 'MESSAGE_TAG') {
      return graphError(res, 400, 100, 'messaging_type must be RESPONSE, UPDATE or MESSAGE_TAG');
    }
    if (messagingType === 'MESSAGE_TAG' && !tag) return graphError(res, 400, 100, 'MESSAGE_TAG needs a tag');
    const message = asRecord(body?.message);
    const invalid = message ? invalidMessage(message) : 'message is required';
    if (invalid || !message) return graphError(res, 400, 100, `(#100) ${invalid}`);
    const messageId = `m_fake_${nextId++}`;
    sent.push({ psid, message, messaging_type: messagingType, tag, at: now(), message_id: messageId });
    const after = injected ? injected.after : undefined;
    if (after === 'drop') return void req.socket.destroy();
    if (after !== undefined) return void setTimeout(() => { if (!res.destroyed) sendJson(res, 200, { recipient_id: psid, message_id: messageId }); }, after);
    sendJson(res, 200, { recipient_id: psid, message_id: messageId });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => graphError(res, 500, 1, String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    pageId,
    sent,
    actions,
    setFailure(fn) { failure = fn; },
    addHistory(psid, m) { history.push({ psid, id: `m_hist_${nextId++}`, text: m.text, fromId: m.fromId, at: m.at }); },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}
