import { api } from './api.js';
import { clear, el, formatDate, pager, run, startPage } from './dom.js';

// Every change to the knowledge base, accounts and API keys: who, when, what.

const ENTITIES = {
  faq: { label: 'câu hỏi thường gặp', page: 'index.html' },
  procedure: { label: 'thủ tục', page: 'procedures.html' },
  model: { label: 'mô hình', page: 'models.html' },
  office: { label: 'cơ quan', page: 'offices.html' },
  user: { label: 'tài khoản', page: null },
  api_key: { label: 'khóa API', page: null },
};
const VERBS = { create: 'Tạo', update: 'Sửa', delete: 'Xóa', restore: 'Khôi phục', revoke: 'Thu hồi' };

function describe(entry) {
  const [type, verb] = entry.action.split('.');
  const entity = ENTITIES[type];
  return entity ? `${VERBS[verb] || verb} ${entity.label}` : entry.action;
}

function target(entry) {
  const entity = ENTITIES[entry.entityType];
  const detail = entry.detail || {};
  const name = detail.name || detail.username || `#${entry.entityId}`;
  if (!entity || !entity.page) return name;
  const anchor = entry.action.endsWith('.delete') ? 'history' : 'id';
  return el('a', { href: `${entity.page}#${anchor}=${entry.entityId}`, text: name });
}

function details(entry) {
  const d = entry.detail || {};
  const parts = [];
  if (d.version) parts.push(`phiên bản ${d.version}`);
  if (Array.isArray(d.changed) && d.changed.length) parts.push(`đổi: ${d.changed.join(', ')}`);
  if (d.fromVersion) parts.push(`từ phiên bản ${d.fromVersion}`);
  if (d.role) parts.push(`vai trò ${d.role}`);
  if (d.disabled === true) parts.push('khóa tài khoản');
  if (d.disabled === false) parts.push('mở khóa tài khoản');
  if (d.passwordChanged) parts.push('đặt lại mật khẩu');
  if (d.prefix) parts.push(`${d.prefix}…`);
  return parts.join(' · ');
}

run(async () => {
  const { main } = await startPage('audit.html', 'Nhật ký thay đổi');
  const body = el('tbody');
  const paging = el('div');
  main.append(el('table', { className: 'table stack' },
    el('thead', {}, el('tr', {}, ['Thời gian', 'Người thực hiện', 'Thao tác', 'Mục', 'Chi tiết'].map((h) => el('th', { scope: 'col', text: h })))),
    body), paging);

  async function load(page) {
    const data = await api('GET', `/api/audit?page=${page}`);
    clear(body).append(...data.items.map((entry) => el('tr', {},
      el('td', { 'data-label': 'Thời gian', text: formatDate(entry.createdAt) }),
      el('td', { 'data-label': 'Người thực hiện', text: entry.actor || 'hệ thống' }),
      el('td', { 'data-label': 'Thao tác', text: describe(entry) }),
      el('td', { 'data-label': 'Mục' }, target(entry)),
      el('td', { 'data-label': 'Chi tiết', text: details(entry) }))));
    if (!data.items.length) body.append(el('tr', {}, el('td', { colspan: 5, className: 'muted', text: 'Chưa có thay đổi nào.' })));
    clear(paging).append(pager(data, (p) => { load(p); }));
  }
  await load(1);
});
