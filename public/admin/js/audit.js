import { api } from './api.js';
import { clear, el, formatDate, pager, run, startPage } from './dom.js';

// Every change to the knowledge base, accounts, dossiers and what officials sent: who, when, what, in
// Vietnamese (the server words each entry), filtered by who, what, when and kind of entry, and exported.

const PAGES = { faq: 'index.html', procedure: 'procedures.html', model: 'models.html', office: 'offices.html' };

function target(entry) {
  const page = PAGES[entry.entityType];
  if (!page || !entry.entityId || entry.action.endsWith('.import')) return entry.target;
  const anchor = entry.action.endsWith('.delete') ? 'history' : 'id';
  return el('a', { href: `${page}#${anchor}=${entry.entityId}`, text: entry.target });
}

function select(id, label) {
  const control = el('select', { id, name: id }, el('option', { value: '', text: 'Tất cả' }));
  return { control, field: el('div', { className: 'field' }, el('label', { for: id, text: label }), control) };
}

function dateField(id, label) {
  const control = el('input', { type: 'date', id, name: id });
  return { control, field: el('div', { className: 'field' }, el('label', { for: id, text: label }), control) };
}

run(async () => {
  const { main } = await startPage('audit.html', 'Nhật ký thay đổi');
  const actor = select('actor', 'Người thực hiện');
  const action = select('action', 'Thao tác');
  const entity = select('entityType', 'Loại mục');
  // The filters' choices come with the first page, not before it.
  const options = api('GET', '/api/audit/options').then((o) => {
    for (const [box, list] of [[actor, o.actors], [action, o.actions], [entity, o.entities]]) {
      box.control.append(...list.map((x) => el('option', { value: x.value, text: x.label })));
    }
  });
  const from = dateField('from', 'Từ ngày');
  const to = dateField('to', 'Đến ngày');
  const csv = el('a', { className: 'button', text: 'Tải CSV', download: '' });
  const xlsx = el('a', { className: 'button', text: 'Tải Excel (.xlsx)', download: '' });
  const filters = el('form', { className: 'filters card', 'aria-label': 'Lọc nhật ký' },
    actor.field, action.field, entity.field, from.field, to.field,
    el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'primary', text: 'Lọc' }), csv, xlsx));
  const body = el('tbody');
  const paging = el('div');
  main.append(filters, el('table', { className: 'table stack' },
    el('thead', {}, el('tr', {}, ['Thời gian', 'Người thực hiện', 'Thao tác', 'Mục', 'Chi tiết'].map((h) => el('th', { scope: 'col', text: h })))),
    body), paging);

  const params = () => {
    const p = new URLSearchParams();
    for (const c of [actor.control, action.control, entity.control, from.control, to.control]) if (c.value) p.set(c.name, c.value);
    return p;
  };

  async function load(page) {
    const p = params();
    csv.href = `/api/audit/export.csv?${p}`;
    xlsx.href = `/api/audit/export.xlsx?${p}`;
    p.set('page', String(page));
    const data = await api('GET', `/api/audit?${p}`);
    clear(body).append(...data.items.map((entry) => el('tr', {},
      el('td', { 'data-label': 'Thời gian', text: formatDate(entry.createdAt) }),
      el('td', { 'data-label': 'Người thực hiện', text: entry.actorName }),
      el('td', { 'data-label': 'Thao tác', text: entry.actionName }),
      el('td', { 'data-label': 'Mục' }, target(entry)),
      el('td', { 'data-label': 'Chi tiết', text: entry.details }))));
    if (!data.items.length) body.append(el('tr', {}, el('td', { colspan: 5, className: 'muted', text: 'Không có thay đổi nào khớp bộ lọc.' })));
    clear(paging).append(pager(data, (n) => { load(n); }));
  }
  filters.addEventListener('submit', (e) => { e.preventDefault(); load(1); });
  await Promise.all([options, load(1)]);
});
