import { api, canWrite, latestCalls } from './api.js';
import { clear, el, errorMessage, formatDate, formatDay, notify, pager, run, startPage, vnDay } from './dom.js';

// Dossiers reported by the one-stop system (read-only): search and filter them, open one to see its history, how
// many people follow it and what became of each notice sent about it; a second tab lists the notices that could
// not be delivered (e.g. the citizen has not written to the Zalo OA for too long).

/** A notice's delivery state (DELIVERY_STATES in src/dossiers/routes.ts). */
const DELIVERY_LABELS = {
  pending: 'Chờ gửi',
  queued: 'Đang chờ nền tảng xác nhận',
  sending: 'Đang gửi',
  sent: 'Đã gửi',
  undelivered: 'Không gửi được',
  failed: 'Gửi lỗi',
  cancelled: 'Đã hủy',
};
const UNDELIVERED_FILTERS = [['undelivered', 'Không gửi được'], ['failed', 'Gửi lỗi']];
const CHANNELS = { zalo: 'Zalo', messenger: 'Messenger', web: 'Trang web' };
const PAGE_SIZE = 50;
const WITH_REASON = new Set(['undelivered', 'failed', 'cancelled']);

const deliveryLabel = (state) => DELIVERY_LABELS[state] || state;

/** "Đã gửi" and, when it was not, why. */
function deliveryCell(n) {
  return [
    el('strong', { className: `delivery ${WITH_REASON.has(n.status) ? 'field-error' : ''}`, text: deliveryLabel(n.status), dataset: { state: n.status } }),
    WITH_REASON.has(n.status) && n.detail && el('div', { className: 'muted', text: `Lý do: ${n.detail}` }),
  ];
}

function dueCell(d) {
  const due = el('span', { text: formatDay(d.dueAt) });
  if (!d.overdue) return [due];
  return [el('strong', { className: 'overdue field-error', text: `${formatDay(d.dueAt)} · Quá hạn` })];
}

function table(headers, rows, empty, id) {
  const body = el('tbody', {}, rows);
  if (!rows.length) body.append(el('tr', {}, el('td', { colspan: headers.length, className: 'muted', text: empty })));
  return el('table', { className: 'table stack', id },
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col', text: h })))), body);
}

/** The pager in dom.js counts pages; these APIs count offsets. */
const pageOf = (data, offset) => ({ page: Math.floor(offset / PAGE_SIZE) + 1, pageSize: PAGE_SIZE, total: data.total });

run(async () => {
  const { me, main } = await startPage('dossiers.html', 'Hồ sơ');
  function fail(err) { notify(errorMessage(err), 'error'); }

  // ---------- tabs ----------
  const tabs = el('div', { className: 'toolbar', role: 'tablist', 'aria-label': 'Hồ sơ và thông báo' });
  const listTab = el('button', { type: 'button', role: 'tab', id: 'tab-dossiers', 'aria-controls': 'panel-dossiers', text: 'Tra cứu hồ sơ' });
  const failedTab = el('button', { type: 'button', role: 'tab', id: 'tab-undelivered', 'aria-controls': 'panel-undelivered', text: 'Thông báo chưa gửi được' });
  tabs.append(listTab, failedTab);
  const listPanel = el('section', { id: 'panel-dossiers', role: 'tabpanel', 'aria-labelledby': 'tab-dossiers' });
  const failedPanel = el('section', { id: 'panel-undelivered', role: 'tabpanel', 'aria-labelledby': 'tab-undelivered', hidden: true });
  main.append(tabs, listPanel, failedPanel);

  let failedLoaded = false;
  function show(which) {
    const failed = which === 'undelivered';
    listTab.setAttribute('aria-selected', String(!failed));
    failedTab.setAttribute('aria-selected', String(failed));
    listTab.className = failed ? '' : 'primary';
    failedTab.className = failed ? 'primary' : '';
    listPanel.hidden = failed;
    failedPanel.hidden = !failed;
    if (failed && !failedLoaded) { failedLoaded = true; loadFailed().catch(fail); }
  }
  listTab.addEventListener('click', () => show('dossiers'));
  failedTab.addEventListener('click', () => show('undelivered'));

  // ---------- search and list ----------
  let query = { q: '', status: '', offset: 0 };
  const search = el('input', { type: 'search', id: 'dossier-search', name: 'q', maxlength: 200, placeholder: 'Mã hồ sơ, người nộp, thủ tục, cơ quan', 'aria-label': 'Tìm hồ sơ' });
  const status = el('select', { id: 'status-filter', name: 'status', 'aria-label': 'Lọc theo trạng thái' },
    el('option', { value: '', text: 'Mọi trạng thái' }));
  // The bot's own labels, from the server (src/bot/texts.ts).
  let statuses = [];
  api('GET', '/api/dossiers/statuses').then((data) => {
    statuses = data.statuses;
    for (const { value, label } of statuses) status.append(el('option', { value, text: label }));
  }).catch((err) => notify(errorMessage(err), 'error'));
  status.style.width = 'auto';
  status.style.maxWidth = '100%';
  const form = el('form', { className: 'toolbar', id: 'dossier-search-form', role: 'search' },
    el('div', { className: 'search' }, search, el('button', { type: 'submit', className: 'primary', text: 'Tìm' })),
    status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    query = { q: search.value.trim(), status: status.value, offset: 0 };
    load().catch(fail);
  });
  status.addEventListener('change', () => { query = { q: search.value.trim(), status: status.value, offset: 0 }; load().catch(fail); });

  const count = el('p', { className: 'muted', id: 'dossier-count' });
  const listBody = el('div', { id: 'dossier-list' });
  const paging = el('div');
  const detail = el('div', { className: 'card', id: 'dossier-detail', hidden: true, tabindex: '-1' });
  listPanel.append(form, count, listBody, paging, detail);

  const latest = latestCalls(); // a slow first load must not replace a search answered before it
  async function load() {
    const current = latest();
    const params = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(query.offset) });
    if (query.q) params.set('q', query.q);
    if (query.status) params.set('status', query.status);
    const data = await api('GET', `/api/dossiers?${params}`);
    if (!current()) return;
    count.textContent = `${data.total} hồ sơ`;
    const rows = data.items.map((d) => el('tr', { dataset: { code: d.code }, className: d.overdue ? 'overdue' : undefined },
      el('td', { 'data-label': 'Mã' }, el('button', { type: 'button', className: 'link open-dossier', text: d.code, 'aria-label': `Xem hồ sơ ${d.code}`, on: { click: () => open(d.code).catch(fail) } })),
      el('td', { 'data-label': 'Thủ tục', text: d.procedureName }),
      el('td', { 'data-label': 'Người nộp', text: d.applicantName }),
      el('td', { 'data-label': 'Trạng thái', className: 'status', text: d.statusLabel || d.status }),
      el('td', { 'data-label': 'Tiếp nhận', text: formatDay(d.receivedAt) }),
      el('td', { 'data-label': 'Hẹn trả' }, dueCell(d))));
    clear(listBody).append(table(['Mã hồ sơ', 'Thủ tục', 'Người nộp', 'Trạng thái', 'Tiếp nhận', 'Hẹn trả'], rows,
      query.q || query.status ? 'Không có hồ sơ nào khớp.' : 'Chưa có hồ sơ nào.', 'dossier-table'));
    clear(paging).append(data.total > PAGE_SIZE ? pager(pageOf(data, query.offset), (page) => {
      query.offset = (page - 1) * PAGE_SIZE;
      load().catch(fail);
    }) : '');
  }

  // ---------- one dossier ----------
  function history(items) {
    let previousDue;
    const rows = items.map((h) => {
      const dueChanged = previousDue !== undefined && h.dueAt && previousDue !== h.dueAt;
      const due = h.dueAt && (previousDue === undefined || dueChanged) ? formatDay(h.dueAt) : '';
      previousDue = h.dueAt || previousDue;
      return el('tr', { dataset: { status: h.status } },
        el('td', { 'data-label': 'Trạng thái' }, el('strong', { text: h.statusLabel || h.status })),
        el('td', { 'data-label': 'Thời điểm', text: formatDate(h.at) }),
        el('td', { 'data-label': 'Ghi chú', text: h.note || '' }),
        el('td', { 'data-label': 'Ngày hẹn trả' }, dueChanged ? el('strong', { text: `${due} (hẹn mới)` }) : due));
    });
    return table(['Trạng thái', 'Thời điểm', 'Ghi chú', 'Ngày hẹn trả'], rows, 'Chưa có lịch sử.', 'dossier-history');
  }

  function notices(items) {
    const rows = items.map((n) => el('tr', { dataset: { id: String(n.id), state: n.status } },
      el('td', { 'data-label': 'Tạo lúc', text: formatDate(n.createdAt) }),
      el('td', { 'data-label': 'Kênh', text: CHANNELS[n.channel] || n.channel }),
      el('td', { 'data-label': 'Trạng thái gửi' }, deliveryCell(n)),
      el('td', { 'data-label': 'Nội dung' }, el('p', { className: 'reply-text', text: n.text }))));
    return table(['Tạo lúc', 'Kênh', 'Trạng thái gửi', 'Nội dung'], rows, 'Chưa gửi thông báo nào về hồ sơ này.', 'dossier-notices');
  }

  function facts(pairs) {
    return el('dl', { className: 'facts' }, pairs.filter(([, v]) => v).flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));
  }

  /** An editor's hand correction: the change is recorded and notified exactly as one from the one-stop system. */
  function correction(d) {
    const field = (id, label, control) => el('div', { className: 'field' }, el('label', { for: id, text: label }), control);
    const statusInput = el('select', { id: 'fix-status', name: 'status' },
      statuses.map(({ value, label }) => el('option', { value, text: label, selected: value === d.status })));
    const due = el('input', { type: 'date', id: 'fix-due', name: 'dueDate', value: vnDay(d.dueAt), required: true });
    const note = el('textarea', { id: 'fix-note', name: 'note', rows: 2, maxlength: 2000, value: d.note || '' });
    const notePublic = el('input', { type: 'checkbox', id: 'fix-public', name: 'notePublic', checked: Boolean(d.notePublic) });
    const form = el('form', { className: 'form', id: 'dossier-fix' },
      field('fix-status', 'Trạng thái', statusInput), field('fix-due', 'Ngày hẹn trả', due), field('fix-note', 'Ghi chú', note),
      el('div', { className: 'field check' }, el('label', { for: 'fix-public', text: 'Người nộp được xem ghi chú' }), notePublic),
      el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'primary', text: 'Lưu và báo người dân' })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = { updatedAt: d.updatedAt };
      if (statusInput.value !== d.status) body.status = statusInput.value;
      if (due.value !== vnDay(d.dueAt)) body.dueDate = due.value;
      if (note.value.trim() !== (d.note || '')) body.note = note.value.trim() || null;
      if (notePublic.checked !== Boolean(d.notePublic)) body.notePublic = notePublic.checked;
      if (Object.keys(body).length === 1) return notify('Chưa có thay đổi nào để lưu.');
      const told = body.status || body.dueDate
        ? `${d.subscriptions?.active || 0} người đang nhận thông báo sẽ được báo ngay.` : 'Chỉ đổi ghi chú: không gửi thông báo.';
      if (!confirm(`Sửa hồ sơ ${d.code} bằng tay? ${told} Thay đổi được ghi vào nhật ký.`)) return;
      try {
        const saved = await api('PATCH', `/api/dossiers/${encodeURIComponent(d.code)}`, body);
        notify(saved.notified ? `Đã lưu; đã gửi thông báo cho ${saved.notified} người.` : 'Đã lưu.');
        await open(d.code);
        await load();
      } catch (err) { fail(err); }
    });
    return el('details', { className: 'fix' }, el('summary', { text: 'Sửa hồ sơ bằng tay (khi hệ thống một cửa chưa cập nhật đúng)' }), form);
  }

  async function open(code) {
    const d = await api('GET', `/api/dossiers/${encodeURIComponent(code)}`);
    const subs = d.subscriptions || { active: 0, total: 0 };
    clear(detail).append(
      el('div', { className: 'panel-head' },
        el('h2', { id: 'dossier-code', text: `Hồ sơ ${d.code}` }),
        el('button', { type: 'button', className: 'link', text: 'Đóng', on: { click: () => { detail.hidden = true; } } })),
      facts([
        ['Thủ tục', d.procedureName + (d.procedureCode ? ` (${d.procedureCode})` : '')],
        ['Người nộp', d.applicantName],
        ['Điện thoại', d.applicantPhone],
        ['Nơi giải quyết', d.office],
        ['Tiếp nhận', formatDate(d.receivedAt)],
        ['Hẹn trả', el('span', {}, dueCell(d))],
        ['Trạng thái', el('strong', { id: 'dossier-status', text: d.statusLabel || d.status })],
        ['Ghi chú', d.note],
        ['Cập nhật', formatDate(d.updatedAt)],
        ['Nhận thông báo', el('span', { id: 'dossier-subscribers', text: `${subs.active} người đang nhận${subs.total > subs.active ? ` (${subs.total - subs.active} đã hủy)` : ''}` })],
      ]),
      canWrite(me) && correction(d),
      el('h3', { text: 'Lịch sử xử lý' }), history(d.history || []),
      el('h3', { text: 'Thông báo đã gửi cho người dân' }), notices(d.notifications || []));
    detail.hidden = false;
    detail.focus();
    detail.scrollIntoView({ block: 'start' });
  }

  // ---------- undelivered notices ----------
  let failedQuery = { status: 'undelivered', offset: 0 };
  const failedFilter = el('select', { id: 'undelivered-filter', 'aria-label': 'Loại thông báo chưa gửi được' },
    UNDELIVERED_FILTERS.map(([value, label]) => el('option', { value, text: label })));
  failedFilter.style.width = 'auto';
  failedFilter.addEventListener('change', () => { failedQuery = { status: failedFilter.value, offset: 0 }; loadFailed().catch(fail); });
  const failedCount = el('p', { className: 'muted', id: 'undelivered-count' });
  const failedBody = el('div');
  const failedPaging = el('div');
  failedPanel.append(
    el('p', { className: 'muted', text: 'Thông báo về hồ sơ mà nền tảng không chuyển được cho người dân (ví dụ người dân đã lâu không nhắn tin cho Zalo OA). Cán bộ có thể liên hệ trực tiếp với người nộp hồ sơ.' }),
    el('div', { className: 'toolbar' }, failedFilter),
    failedCount, failedBody, failedPaging);

  async function loadFailed() {
    const params = new URLSearchParams({ status: failedQuery.status, limit: String(PAGE_SIZE), offset: String(failedQuery.offset) });
    const data = await api('GET', `/api/notifications?${params}`);
    failedCount.textContent = `${data.total} thông báo`;
    const rows = data.items.map((n) => el('tr', { dataset: { id: String(n.id), state: n.status } },
      el('td', { 'data-label': 'Hồ sơ' }, n.dossierCode
        ? el('button', { type: 'button', className: 'link', text: n.dossierCode, on: { click: () => { show('dossiers'); open(n.dossierCode).catch(fail); } } })
        : ''),
      el('td', { 'data-label': 'Kênh', text: CHANNELS[n.channel] || n.channel }),
      el('td', { 'data-label': 'Tạo lúc', text: formatDate(n.createdAt) }),
      el('td', { 'data-label': 'Trạng thái gửi' }, deliveryCell(n)),
      el('td', { 'data-label': 'Nội dung' }, el('p', { className: 'reply-text', text: n.text }))));
    clear(failedBody).append(table(['Hồ sơ', 'Kênh', 'Tạo lúc', 'Trạng thái gửi', 'Nội dung'], rows,
      'Không có thông báo nào chưa gửi được.', 'undelivered-table'));
    clear(failedPaging).append(data.total > PAGE_SIZE ? pager(pageOf(data, failedQuery.offset), (page) => {
      failedQuery.offset = (page - 1) * PAGE_SIZE;
      loadFailed().catch(fail);
    }) : '');
  }

  show(location.hash === '#undelivered' ? 'undelivered' : 'dossiers');
  await load();
});
