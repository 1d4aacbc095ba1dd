import { getMe, logout } from './api.js';

// DOM helpers: every piece of data goes in through textContent or a property, never as HTML.

/** el('a', { href, className, text, on: { click } }, ...children): children are nodes or plain text. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'on') for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
    else if (key === 'className' || key === 'value' || key === 'checked' || key === 'disabled' || key === 'hidden') node[key] = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const clear = (node) => { node.replaceChildren(); return node; };

export const ROLE_NAMES = { admin: 'Quản trị', editor: 'Biên tập', agent: 'Hỗ trợ trực tuyến', viewer: 'Chỉ xem' };

const NAV = [
  { href: 'index.html', label: 'Câu hỏi thường gặp' },
  { href: 'procedures.html', label: 'Thủ tục' },
  { href: 'models.html', label: 'Mô hình cải cách' },
  { href: 'offices.html', label: 'Cơ quan, liên hệ' },
  { href: 'try.html', label: 'Thử câu hỏi' },
  { href: 'review.html', label: 'Câu hỏi bot chưa hiểu' },
  { href: 'imports.html', label: 'Nhập, xuất dữ liệu' },
  { href: 'dashboard.html', label: 'Thống kê' },
  { href: 'inbox.html', label: 'Hộp thư cán bộ' },
  { href: 'canned.html', label: 'Câu trả lời mẫu' },
  { href: 'dossiers.html', label: 'Hồ sơ' },
  { href: 'tickets.html', label: 'Phản ánh, kiến nghị' },
  { href: 'home-services.html', label: 'Phục vụ tại nhà' },
  { href: 'ratings.html', label: 'Đánh giá hài lòng' },
  { href: 'audit.html', label: 'Nhật ký thay đổi', roles: ['admin', 'editor', 'viewer'] },
  { href: 'users.html', label: 'Tài khoản, khoá API', roles: ['admin'] },
];

/** Checks the session, draws the header and returns { me, main }. */
export async function startPage(current, title) {
  const me = await getMe();
  document.title = `${title} · Bảng điều khiển CCHC`;
  const nav = el('nav', { className: 'nav', 'aria-label': 'Chức năng' },
    NAV.filter((n) => !n.roles || n.roles.includes(me.role)).map((n) => el('a', {
      href: n.href, text: n.label, 'aria-current': n.href === current ? 'page' : undefined,
    })));
  const top = document.getElementById('top');
  clear(top).append(
    el('div', { className: 'brand' }, el('a', { href: 'index.html', text: 'Bảng điều khiển CCHC' })),
    nav,
    el('div', { className: 'who' },
      el('span', { text: `${me.username} · ${ROLE_NAMES[me.role] || me.role}` }),
      el('button', { type: 'button', className: 'link', text: 'Đăng xuất', on: { click: logout } })),
  );
  // The menu's count of citizens waiting for an official, loaded after the page itself.
  const badge = () => import('./inbox-badge.js').then((m) => m.showInboxCount(), () => undefined);
  if (document.readyState === 'complete') badge(); else window.addEventListener('load', badge, { once: true });
  const main = clear(document.getElementById('main'));
  main.append(el('h1', { text: title }), el('div', { id: 'notice', className: 'notice', role: 'status', hidden: true }));
  return { me, main };
}

let noticeTimer;
/** A short message at the top of the page: kind 'ok' or 'error'. */
export function notify(message, kind = 'ok') {
  const box = document.getElementById('notice');
  if (!box) return;
  box.textContent = message;
  box.className = `notice ${kind}`;
  box.hidden = false;
  clearTimeout(noticeTimer);
  if (kind === 'ok') noticeTimer = setTimeout(() => { box.hidden = true; }, 6000);
}

export function errorMessage(err) {
  if (err && err.body && Array.isArray(err.body.issues) && err.body.issues.length) {
    return `Dữ liệu chưa hợp lệ: ${err.body.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`;
  }
  return err && err.message ? err.message : 'Đã có lỗi, vui lòng thử lại.';
}

export const formatDate = (iso) => (iso ? new Date(iso).toLocaleString('vi-VN') : '');

/** Previous/next buttons for a { page, pageSize, total } answer. */
export function pager(data, go) {
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  return el('div', { className: 'pager' },
    el('button', { type: 'button', text: '‹ Trước', disabled: data.page <= 1, on: { click: () => go(data.page - 1) } }),
    el('span', { text: `Trang ${data.page}/${pages} · ${data.total} mục` }),
    el('button', { type: 'button', text: 'Sau ›', disabled: data.page >= pages, on: { click: () => go(data.page + 1) } }));
}

/** Runs the page's start function and shows a readable error if it fails. */
export function run(start) {
  start().catch((err) => {
    const main = document.getElementById('main');
    if (main) clear(main).append(el('p', { className: 'notice error', text: errorMessage(err) }));
  });
}

/**
 * A status filter above a table that stacks into cards on a phone: the layout of the console's list pages.
 * `onFilter(status)` runs when the official picks another status; the page fills `body` and `paging`.
 */
export function filteredTable(main, { filters, selected = '', headers, onFilter }) {
  const filter = el('select', { id: 'status-filter', 'aria-label': 'Lọc theo trạng thái' },
    filters.map(([value, label]) => el('option', { value, text: label, selected: value === selected })));
  filter.style.width = 'auto';
  filter.addEventListener('change', () => onFilter(filter.value));
  const toolbar = el('div', { className: 'toolbar' }, el('label', { for: 'status-filter', text: 'Trạng thái' }), filter);
  toolbar.style.alignItems = 'center';
  const body = el('tbody');
  const paging = el('div');
  main.append(
    toolbar,
    el('table', { className: 'table stack' },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col', text: h })))),
      body),
    paging);
  return { body, paging };
}
