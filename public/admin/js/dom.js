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

/**
 * The menu, in groups. To add a page, add one `{ href, label, roles? }` to its group: the header, the phone menu
 * and the browser test that checks every entry is reachable all read this list.
 */
export const NAV = [
  { label: 'Nội dung bot trả lời', items: [
    { href: 'index.html', label: 'Câu hỏi thường gặp' },
    { href: 'procedures.html', label: 'Thủ tục' },
    { href: 'models.html', label: 'Mô hình cải cách' },
    { href: 'offices.html', label: 'Cơ quan, liên hệ' },
    { href: 'try.html', label: 'Thử câu hỏi' },
    { href: 'review.html', label: 'Câu hỏi bot chưa hiểu' },
    { href: 'imports.html', label: 'Nhập, xuất dữ liệu' },
  ] },
  { label: 'Phục vụ người dân', items: [
    { href: 'inbox.html', label: 'Hộp thư cán bộ' },
    { href: 'canned.html', label: 'Câu trả lời mẫu' },
    { href: 'dossiers.html', label: 'Hồ sơ' },
    { href: 'tickets.html', label: 'Phản ánh, kiến nghị' },
    { href: 'home-services.html', label: 'Phục vụ tại nhà' },
    { href: 'ratings.html', label: 'Đánh giá hài lòng' },
  ] },
  { label: 'Báo cáo, quản trị', items: [
    { href: 'dashboard.html', label: 'Thống kê' },
    { href: 'reports.html', label: 'Báo cáo tháng' },
    { href: 'audit.html', label: 'Nhật ký thay đổi', roles: ['admin', 'editor', 'viewer'] },
    { href: 'users.html', label: 'Tài khoản, khóa API', roles: ['admin'] },
  ] },
];

/** The grouped menu: every entry shown on a laptop; on a phone, behind one "Menu" button. */
function navigation(role, current) {
  const groups = NAV.map((g) => ({ ...g, items: g.items.filter((n) => !n.roles || n.roles.includes(role)) }))
    .filter((g) => g.items.length);
  const nav = el('nav', { className: 'nav', id: 'nav', 'aria-label': 'Chức năng' }, groups.map((g) => el('div', { className: 'nav-group' },
    el('span', { className: 'nav-label', text: g.label }),
    el('ul', {}, g.items.map((n) => el('li', {}, el('a', {
      href: n.href, text: n.label, 'aria-current': n.href === current ? 'page' : undefined,
    })))))));
  const toggle = el('button', { type: 'button', className: 'menu-toggle', text: 'Menu', 'aria-controls': 'nav', 'aria-expanded': 'false' });
  toggle.addEventListener('click', () => {
    const open = !document.body.classList.contains('nav-open');
    document.body.classList.toggle('nav-open', open);
    toggle.setAttribute('aria-expanded', String(open));
  });
  return { nav, toggle };
}

/** Checks the session, draws the header and returns { me, main }. */
export async function startPage(current, title) {
  const me = await getMe();
  document.title = `${title} · Bảng điều khiển CCHC`;
  const { nav, toggle } = navigation(me.role, current);
  const top = document.getElementById('top');
  clear(top).append(
    el('div', { className: 'bar' },
      el('div', { className: 'brand' }, el('a', { href: 'index.html', text: 'Bảng điều khiển CCHC' })),
      toggle,
      el('div', { className: 'who' },
        el('span', { text: `${me.username} · ${ROLE_NAMES[me.role] || me.role}` }),
        el('button', { type: 'button', className: 'link', text: 'Đăng xuất', on: { click: logout } }))),
    nav,
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

/** The label a form shows for a field (its <label for=...>), or null. */
function fieldLabel(path) {
  const name = String(path || '').split('.')[0];
  if (!name) return null;
  const control = document.querySelector(`[name="${CSS.escape(name)}"]`);
  const label = control && control.id ? document.querySelector(`label[for="${CSS.escape(control.id)}"]`) : null;
  return label ? label.textContent.replace(/\s*\*$/, '').trim() : null;
}

/** The API's error in plain Vietnamese, each field named as the form labels it. */
export function errorMessage(err) {
  if (err && err.body && Array.isArray(err.body.issues) && err.body.issues.length) {
    const parts = err.body.issues.map((i) => {
      const label = fieldLabel(i.path) || i.label;
      return label ? `${label}: ${i.message}` : i.message;
    });
    return `Chưa lưu được. ${parts.join('; ')}`;
  }
  return err && err.message ? err.message : 'Đã có lỗi, vui lòng thử lại.';
}

/** Every date the console shows is Vietnam's time, whatever the browser's zone. */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';
const dateTime = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dateOnly = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
/** "03/12/2026 08:30", the way officials write a moment (and the exports print it). */
export function formatDate(iso) {
  if (!iso) return '';
  const p = Object.fromEntries(dateTime.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}
export const formatDay = (iso) => (iso ? dateOnly.format(new Date(iso)) : '');
/** yyyy-mm-dd of an instant in Vietnam (for <input type=date>). */
export const vnDay = (iso) => (iso ? new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString().slice(0, 10) : '');

/** Vietnamese alphabetical order ("Đăng ký" after "Chứng thực", before "Xóa"). */
export const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });
export const byVietnamese = (key = (x) => x) => (a, b) => collator.compare(String(key(a) ?? ''), String(key(b) ?? ''));

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
