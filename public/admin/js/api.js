// Talks to the console API with the session cookie; writes carry the CSRF token from /api/auth/me.

let me;

export class ApiError extends Error {
  constructor(status, body) {
    super((body && typeof body.error === 'string' && body.error !== 'invalid' && body.error !== 'conflict')
      ? body.error : `Lỗi ${status}`);
    this.status = status;
    this.body = body || {};
  }

  /** Field name -> message, from a 400/409 answer. */
  get fieldErrors() {
    const out = {};
    for (const issue of this.body.issues || []) {
      const field = String(issue.path || '').split('.')[0];
      out[field] = out[field] ? `${out[field]}; ${issue.message}` : issue.message;
    }
    return out;
  }
}

function toLogin() {
  const next = location.pathname + location.search + location.hash;
  location.assign(`/admin/login.html?next=${encodeURIComponent(next)}`);
  return new Promise(() => {});
}

/** The signed-in official ({username, role, csrfToken}); sends the browser to the login page otherwise. */
export async function getMe() {
  if (me) return me;
  const res = await fetch('/api/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status === 401) return toLogin();
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  me = await res.json();
  return me;
}

export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = (await getMe()).csrfToken;
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => null);
  if (res.status === 401 && !path.startsWith('/api/auth/login')) return toLogin();
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export async function logout() {
  await api('POST', '/api/auth/logout').catch(() => undefined);
  me = undefined;
  location.assign('/admin/login.html');
}

export const canWrite = (user) => user.role === 'admin' || user.role === 'editor';

/**
 * For a view whose loads may overlap (a search typed while the last one is on its way): make one with
 * `const latest = latestCalls()`, call `const current = latest()` as each load starts, and draw its answer only
 * `if (current())`: an earlier load answered later must not replace a newer one.
 */
export function latestCalls() {
  let calls = 0;
  return () => {
    const mine = ++calls;
    return () => mine === calls;
  };
}
