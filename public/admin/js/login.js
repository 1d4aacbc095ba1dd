import { el } from './dom.js';

// The login form: POST /api/auth/login sets the session cookie, then back to the page the official wanted.

function nextPage() {
  const next = new URLSearchParams(location.search).get('next') || '';
  // Only pages of this console: never an address elsewhere.
  return /^\/admin\/[\w./-]*(\?[^#]*)?(#[\w=]*)?$/.test(next) && !next.includes('//') ? next : '/admin/';
}

const form = document.getElementById('login-form');
const message = document.getElementById('login-error');
const totpField = document.getElementById('totp-field');
form.addEventListener('submit', async (e) => {
  e.preventDefault();
  message.hidden = true;
  const data = new FormData(form);
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ username: String(data.get('username') || ''), password: String(data.get('password') || ''), totp: String(data.get('totp') || '') }),
    });
    const body = await res.json().catch(() => ({}));
    if (res.ok) return location.assign(nextPage());
    if (body.totpRequired) { totpField.hidden = false; document.getElementById('totp').focus(); }
    message.replaceChildren(el('span', {
      text: res.status === 400 ? 'Vui lòng nhập tên đăng nhập và mật khẩu.' : body.error || `Không đăng nhập được (lỗi ${res.status}).`,
    }));
    message.hidden = false;
  } catch {
    message.textContent = 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.';
    message.hidden = false;
  } finally {
    button.disabled = false;
  }
});
