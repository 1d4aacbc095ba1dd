import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A fake Zalo OA API and OAuth server on 127.0.0.1, strict where the real one is: the access_token header must be
// the current token, refresh tokens are single-use, and message limits (2,000 characters, 5 buttons) are checked.

/**
 * `drop` closes the connection before anything happens; `hang` never answers; `http429` answers 429 with
 * Retry-After: 0; `not_json` a proxy's HTML page with HTTP 200. On a send, `lost_answer` records the message and
 * then closes the connection, and `{ lateMs }` records it and answers that much later: delivered, answer lost or late.
 */
export type FakeZaloFailure = 'http500' | 'rate_limit' | 'expired' | 'window' | 'drop' | 'hang' | 'http429' | 'not_json' | 'lost_answer'
  | { lateMs: number } | { error: number; message?: string };

export interface FakeZaloRequest {
  method: string;
  path: string;
  accessToken?: string;
  /** recipient.user_id of a send, or user_id of a query. */
  userId?: string;
  body: string;
}
export type FailureFn = (req: FakeZaloRequest) => FakeZaloFailure | undefined | Promise<FakeZaloFailure | undefined>;

export interface FakeSent { userId: string; message: Record<string, unknown>; at: number; messageId: string; path: string }
export interface FakeConversationItem { message_id: string; src: 0 | 1; time: number; type: string; message: string }

export interface FakeZaloOptions {
  appId?: string;
  appSecret?: string;
  accessToken?: string;
  refreshToken?: string;
  /** Seconds, as Zalo's expires_in. */
  expiresIn?: number;
  /** Delay before the OAuth server answers, to make concurrent refreshes overlap. */
  oauthDelayMs?: number;
}

export interface FakeZalo {
  url: string;
  sent: FakeSent[];
  uploads: Array<{ kind: 'file' | 'image'; bytes: number }>;
  readonly refreshCalls: number;
  readonly tokens: { accessToken: string; refreshToken: string };
  setFailure(fn: FailureFn | undefined): void;
  conversation(userId: string): FakeConversationItem[];
  close(): Promise<void>;
}

const FAILURES = {
  rate_limit: { error: -32, message: 'Request rate limit exceeded' },
  expired: { error: -220, message: 'Access token has expired' },
  window: { error: -230, message: 'User has not interacted with the OA in the last 7 days' },
} as const;

export async function startFakeZalo(opts: FakeZaloOptions = {}): Promise<FakeZalo> {
  const appId = opts.appId ?? 'fake-app';
  const appSecret = opts.appSecret ?? 'fake-app-secret';
  const tokens = { accessToken: opts.accessToken ?? 'fake-access-0', refreshToken: opts.refreshToken ?? 'fake-refresh-0' };
  const sent: FakeSent[] = [];
  const uploads: FakeZalo['uploads'] = [];
  let refreshCalls = 0;
  let issued = 0;
  let failure: FailureFn | undefined;

  const json = (res: ServerResponse, body: unknown, status = 200) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  async function oauth(req: IncomingMessage, res: ServerResponse, body: string) {
    refreshCalls++;
    if (opts.oauthDelayMs) await new Promise((r) => setTimeout(r, opts.oauthDelayMs));
    const form = new URLSearchParams(body);
    if (req.headers.secret_key !== appSecret) return json(res, { error: -14001, message: 'invalid secret key' });
    if (form.get('app_id') !== appId || form.get('grant_type') !== 'refresh_token') {
      return json(res, { error: -14002, message: 'invalid app_id or grant_type' });
    }
    // Check and rotate together: a refresh token works exactly once.
    if (form.get('refresh_token') !== tokens.refreshToken) return json(res, { error: -14014, message: 'invalid refresh token' });
    issued++;
    tokens.accessToken = `fake-access-${issued}`;
    tokens.refreshToken = `fake-refresh-${issued}`;
    json(res, { access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expires_in: String(opts.expiresIn ?? 90000) });
  }

  function sendMessage(answer: (body: unknown) => void, body: string, path: string) {
    const parsed = safeJson(body) as { recipient?: { user_id?: unknown }; message?: Record<string, unknown> } | undefined;
    const userId = parsed?.recipient?.user_id;
    const message = parsed?.message;
    if (typeof userId !== 'string' || !message || typeof message !== 'object') {
      return answer({ error: -201, message: 'Parameters are invalid' });
    }
    const text = message.text;
    const buttons = (message.attachment as { payload?: { buttons?: unknown[] } } | undefined)?.payload?.buttons;
    if ((typeof text === 'string' && text.length > 2000) || (buttons && buttons.length > 5)) {
      return answer({ error: -201, message: 'Parameters are invalid: text or buttons over the limit' });
    }
    const messageId = `fake-msg-${sent.length + 1}`;
    sent.push({ userId, message, at: Date.now(), messageId, path });
    answer({ error: 0, message: 'Success', data: { message_id: messageId, user_id: userId } });
  }

  function conversation(userId: string): FakeConversationItem[] {
    return sent.filter((s) => s.userId === userId).reverse().map((s) => ({
      message_id: s.messageId, src: 0, time: s.at,
      type: typeof s.message.text === 'string' ? 'text' : 'template',
      message: typeof s.message.text === 'string' ? s.message.text : '',
    }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = safeJson(url.searchParams.get('data') ?? '') as { user_id?: string; offset?: number; count?: number } | undefined;
    const accessToken = typeof req.headers.access_token === 'string' ? req.headers.access_token : undefined;
    const sendTo = (safeJson(body) as { recipient?: { user_id?: string } } | undefined)?.recipient?.user_id;
    const info: FakeZaloRequest = { method: req.method ?? 'GET', path: url.pathname, accessToken, userId: sendTo ?? query?.user_id, body };

    const fail = await failure?.(info);
    if (fail === 'drop') return void req.socket.destroy();
    if (fail === 'hang') return;
    if (fail === 'http500') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
    if (fail === 'http429') return void res.writeHead(429, { 'retry-after': '0', 'content-type': 'text/plain' }).end('Too Many Requests');
    if (fail === 'not_json') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
    const after = fail === 'lost_answer' ? 'drop' : typeof fail === 'object' && 'lateMs' in fail ? fail.lateMs : undefined;
    if (fail && after === undefined) return json(res, typeof fail === 'string' ? FAILURES[fail as keyof typeof FAILURES] : fail);
    const answer = (b: unknown) => {
      if (after === 'drop') req.socket.destroy();
      else if (after !== undefined) setTimeout(() => { if (!res.destroyed) json(res, b); }, after);
      else json(res, b);
    };

    if (info.method === 'GET' && url.pathname.startsWith('/files/')) {
      return void res.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.from('%PDF-1.4 fake form'));
    }
    if (url.pathname === '/v4/oa/access_token' && info.method === 'POST') return oauth(req, res, body);
    if (accessToken !== tokens.accessToken) return json(res, { error: -216, message: 'Access token is invalid' });

    if ((url.pathname === '/v3.0/oa/message/cs' || url.pathname === '/v3.0/oa/message/transaction') && info.method === 'POST') {
      return sendMessage(answer, body, url.pathname);
    }
    if (url.pathname.startsWith('/v2.0/oa/upload/') && info.method === 'POST') {
      const kind = url.pathname.endsWith('/image') ? 'image' : 'file';
      if (!String(req.headers['content-type']).startsWith('multipart/form-data') || !body.includes('name="file"')) {
        return json(res, { error: -201, message: 'file is missing' });
      }
      uploads.push({ kind, bytes: body.length });
      const data = kind === 'file' ? { token: `fake-file-token-${uploads.length}` } : { attachment_id: `fake-image-${uploads.length}` };
      return json(res, { error: 0, message: 'Success', data });
    }
    if (url.pathname === '/v3.0/oa/user/detail' && query?.user_id) {
      return json(res, { error: 0, message: 'Success', data: {
        user_id: query.user_id, display_name: `Công dân ${query.user_id}`, avatar: '', user_is_follower: true } });
    }
    if (url.pathname === '/v2.0/oa/conversation' && query?.user_id) {
      const offset = query.offset ?? 0;
      return json(res, { error: 0, message: 'Success', data: conversation(query.user_id).slice(offset, offset + (query.count ?? 10)) });
    }
    json(res, { error: -404, message: `no such fake endpoint: ${info.method} ${url.pathname}` }, 404);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => json(res, { error: -1, message: `fake Zalo crashed: ${err.message}` }, 500));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    uploads,
    get refreshCalls() { return refreshCalls; },
    get tokens() { return { ...tokens }; },
    setFailure(fn) { failure = fn; },
    conversation,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
