import { api } from './api.js';
import { ROLE_NAMES, byVietnamese, clear, el, errorMessage, formatDate, notify, run, startPage } from './dom.js';

// Accounts and API keys (admins only). A new API key is shown once, here, and never again.

const ROLES = ['admin', 'editor', 'agent', 'viewer'];

function roleSelect(value, id) {
  return el('select', { id, 'aria-label': 'Vai trò' },
    ROLES.map((r) => el('option', { value: r, text: ROLE_NAMES[r], selected: r === value })));
}

const lockedOut = (u) => u.lockedUntil && new Date(u.lockedUntil) > new Date() && u.failedLogins > 0;
function statusText(u) {
  if (u.disabled) return 'Đã khóa';
  const parts = [lockedOut(u) ? `Tạm khóa đăng nhập (sai ${u.failedLogins} lần) đến ${formatDate(u.lockedUntil)}` : 'Đang hoạt động'];
  if (u.totp) parts.push('xác thực hai lớp');
  return parts.join(' · ');
}

/** The signed-in admin's own second factor: a secret shown once, kept when the first code is right. */
function totpCard(me) {
  const card = el('div', { className: 'card form' }, el('h3', { text: 'Xác thực hai lớp (TOTP) cho tài khoản của anh/chị' }));
  if (me.totp) return card.append(el('p', { text: 'Đã bật. Nếu mất điện thoại, nhờ một quản trị viên khác gỡ để bật lại.' })), card;
  const shown = el('div', { hidden: true });
  const code = el('input', { id: 'totp-code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', placeholder: '6 chữ số' });
  const confirmForm = el('form', { className: 'mini' }, el('label', { for: 'totp-code', text: 'Mã trong ứng dụng' }), code,
    el('button', { type: 'submit', className: 'primary', text: 'Xác nhận' }));
  confirmForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (await attempt(() => api('POST', '/api/auth/totp/confirm', { code: code.value }), 'Đã bật xác thực hai lớp.')) location.reload();
  });
  card.append(el('p', { className: 'muted', text: 'Khi bật, mỗi lần đăng nhập cần thêm mã 6 số từ ứng dụng xác thực (Google Authenticator, Microsoft Authenticator…).' }),
    el('button', { type: 'button', text: 'Bật xác thực hai lớp', on: { click: async () => {
      await attempt(async () => {
        const { secret, uri } = await api('POST', '/api/auth/totp/setup');
        clear(shown).append(el('p', { text: 'Thêm vào ứng dụng xác thực bằng khóa sau (chỉ hiển thị một lần), rồi nhập mã đầu tiên:' }),
          el('code', { className: 'key', text: secret }), el('p', { className: 'muted' }, el('code', { text: uri })), confirmForm);
        shown.hidden = false;
      });
    } } }), shown);
  return card;
}

async function attempt(fn, done) {
  try {
    await fn();
    if (done) notify(done);
    return true;
  } catch (err) {
    notify(errorMessage(err), 'error');
    return false;
  }
}

run(async () => {
  const { me, main } = await startPage('users.html', 'Tài khoản và khóa API');
  if (me.role !== 'admin') {
    main.append(el('p', { className: 'notice error', text: 'Chỉ quản trị viên được quản lý tài khoản và khóa API.' }));
    return;
  }
  const users = el('tbody');
  const keys = el('tbody');
  const shownKey = el('div', { className: 'card secret', hidden: true, role: 'alert' });

  const username = el('input', { id: 'new-username', name: 'username', autocomplete: 'off', required: true });
  const password = el('input', { id: 'new-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const role = roleSelect('editor', 'new-role');
  const newUser = el('form', { className: 'card form inline' },
    el('h3', { text: 'Thêm tài khoản' }),
    el('div', { className: 'field' }, el('label', { for: 'new-username', text: 'Tên đăng nhập' }), username),
    el('div', { className: 'field' }, el('label', { for: 'new-password', text: 'Mật khẩu (ít nhất 8 ký tự)' }), password),
    el('div', { className: 'field' }, el('label', { for: 'new-role', text: 'Vai trò' }), role),
    el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'primary', text: 'Tạo tài khoản' })));
  newUser.addEventListener('submit', async (e) => {
    e.preventDefault();
    const ok = await attempt(() => api('POST', '/api/users', { username: username.value, password: password.value, role: role.value }),
      `Đã tạo tài khoản ${username.value.trim().toLowerCase()}.`);
    if (ok) { newUser.reset(); await loadUsers(); }
  });

  const keyName = el('input', { id: 'key-name', name: 'name', required: true, placeholder: 'Ví dụ: Cổng dịch vụ công tỉnh' });
  const newKey = el('form', { className: 'card form inline' },
    el('h3', { text: 'Tạo khóa API' }),
    el('div', { className: 'field' }, el('label', { for: 'key-name', text: 'Dùng cho' }), keyName),
    el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'primary', text: 'Tạo khóa' })));
  newKey.addEventListener('submit', async (e) => {
    e.preventDefault();
    await attempt(async () => {
      const { key, apiKey } = await api('POST', '/api/api-keys', { name: keyName.value });
      const value = el('code', { className: 'key', text: key });
      clear(shownKey).append(
        el('p', {}, el('strong', { text: `Khóa API "${apiKey.name}" ` }), 'chỉ hiển thị một lần. Hãy sao chép và lưu giữ an toàn ngay bây giờ.'),
        value,
        el('div', { className: 'actions' },
          el('button', { type: 'button', text: 'Sao chép', on: { click: () => navigator.clipboard?.writeText(key).then(() => notify('Đã sao chép khóa.')) } }),
          el('button', { type: 'button', className: 'link', text: 'Tôi đã lưu, ẩn khóa', on: { click: () => { clear(shownKey).hidden = true; } } })));
      shownKey.hidden = false;
      newKey.reset();
      await loadKeys();
    });
  });

  main.append(
    totpCard(me),
    el('h2', { text: 'Tài khoản' }), newUser,
    el('table', { className: 'table stack' }, el('thead', {}, el('tr', {},
      ['Tên đăng nhập', 'Vai trò', 'Trạng thái', 'Tạo lúc', 'Thao tác'].map((h) => el('th', { scope: 'col', text: h })))), users),
    el('h2', { text: 'Khóa API (tích hợp hệ thống khác)' }), newKey, shownKey,
    el('table', { className: 'table stack' }, el('thead', {}, el('tr', {},
      ['Tên', 'Bắt đầu bằng', 'Người tạo', 'Tạo lúc', 'Trạng thái', ''].map((h) => el('th', { scope: 'col', text: h })))), keys));

  async function loadUsers() {
    const { items } = await api('GET', '/api/users');
    items.sort(byVietnamese((u) => u.username));
    clear(users).append(...items.map((u) => {
      const select = roleSelect(u.role, `role-${u.id}`);
      select.addEventListener('change', () => {
        const to = ROLE_NAMES[select.value] || select.value;
        if (!confirm(`Đổi vai trò của ${u.username} từ "${ROLE_NAMES[u.role] || u.role}" sang "${to}"? Quyền mới có hiệu lực ngay.`)) {
          select.value = u.role;
          return;
        }
        attempt(() => api('PATCH', `/api/users/${u.id}`, { role: select.value }), `Đã đổi vai trò của ${u.username}.`).then(loadUsers);
      });
      const newPassword = el('input', { type: 'password', autocomplete: 'new-password', minlength: 8, placeholder: 'Mật khẩu mới', 'aria-label': `Mật khẩu mới cho ${u.username}` });
      const reset = el('form', { className: 'mini', hidden: true },
        newPassword, el('button', { type: 'submit', text: 'Lưu mật khẩu' }));
      reset.addEventListener('submit', async (e) => {
        e.preventDefault();
        if (await attempt(() => api('PATCH', `/api/users/${u.id}`, { password: newPassword.value }), `Đã đặt lại mật khẩu cho ${u.username}.`)) reset.hidden = true;
      });
      return el('tr', {},
        el('td', { 'data-label': 'Tên đăng nhập', text: u.username }),
        el('td', { 'data-label': 'Vai trò' }, select),
        el('td', { 'data-label': 'Trạng thái', text: statusText(u) }),
        el('td', { 'data-label': 'Tạo lúc', text: formatDate(u.createdAt) }),
        el('td', { 'data-label': 'Thao tác' },
          el('button', { type: 'button', className: 'link', text: u.disabled ? 'Mở khóa' : 'Khóa', on: { click: () => {
            const question = u.disabled ? `Mở khóa tài khoản ${u.username}? Người này đăng nhập lại được ngay.`
              : `Khóa tài khoản ${u.username}? Người này bị đăng xuất và không đăng nhập được cho đến khi mở khóa.`;
            if (!confirm(question)) return;
            attempt(() => api('PATCH', `/api/users/${u.id}`, { disabled: !u.disabled }), u.disabled ? `Đã mở khóa ${u.username}.` : `Đã khóa ${u.username}.`).then(loadUsers);
          } } }),
          el('button', { type: 'button', className: 'link', text: 'Đặt lại mật khẩu', on: { click: () => { reset.hidden = !reset.hidden; } } }),
          lockedOut(u) && el('button', { type: 'button', className: 'link', text: 'Mở khóa đăng nhập', on: { click: () =>
            attempt(() => api('PATCH', `/api/users/${u.id}`, { unlock: true }), `Đã mở khóa đăng nhập cho ${u.username}.`).then(loadUsers) } }),
          u.totp && u.username !== me.username && el('button', { type: 'button', className: 'link', text: 'Gỡ xác thực hai lớp', on: { click: () => {
            if (!confirm(`Gỡ xác thực hai lớp của ${u.username}? Người này đăng nhập lại bằng mật khẩu rồi tự bật lại.`)) return;
            attempt(() => api('PATCH', `/api/users/${u.id}`, { totp: false }), `Đã gỡ xác thực hai lớp của ${u.username}.`).then(loadUsers);
          } } }),
          reset));
    }));
  }

  async function loadKeys() {
    const { items } = await api('GET', '/api/api-keys');
    clear(keys).append(...items.map((k) => el('tr', {},
      el('td', { 'data-label': 'Tên', text: k.name }),
      el('td', { 'data-label': 'Bắt đầu bằng' }, el('code', { text: `${k.prefix}…` })),
      el('td', { 'data-label': 'Người tạo', text: k.createdBy || '' }),
      el('td', { 'data-label': 'Tạo lúc', text: formatDate(k.createdAt) }),
      el('td', { 'data-label': 'Trạng thái', text: k.revokedAt ? `Đã thu hồi ${formatDate(k.revokedAt)}` : 'Đang dùng' }),
      el('td', {}, !k.revokedAt && el('button', { type: 'button', className: 'danger', text: 'Thu hồi', on: { click: async () => {
        if (!confirm(`Thu hồi khóa "${k.name}"? Hệ thống đang dùng khóa này sẽ không kết nối được nữa.`)) return;
        await attempt(() => api('DELETE', `/api/api-keys/${k.id}`), 'Đã thu hồi khóa.');
        await loadKeys();
      } } })))));
    if (!items.length) keys.append(el('tr', {}, el('td', { colspan: 6, className: 'muted', text: 'Chưa có khóa nào.' })));
  }

  await Promise.all([loadUsers(), loadKeys()]);
});
