import { api } from './api.js';
import { clear, el, errorMessage, filteredTable, formatDate, notify, pager, run, startPage } from './dom.js';

// Home service (Côn Đảo model): requests from elderly, disabled or ill citizens. Officials schedule a visit
// (the citizen is told the date and can cancel in the chat), then mark it done, or cancel it.

const FILTERS = [['', 'Tất cả'], ['new', 'Chờ hẹn lịch'], ['scheduled', 'Đã hẹn lịch'], ['done', 'Đã hoàn thành'], ['cancelled', 'Đã hủy']];
const STATUS = { new: 'Chờ hẹn lịch', scheduled: 'Đã hẹn lịch', done: 'Đã hoàn thành', cancelled: 'Đã hủy' };
const canAct = (me) => me.role === 'admin' || me.role === 'agent';
/** Visits are in Việt Nam (UTC+7, no daylight saving), whatever the official's computer is set to. */
const toIsoFromVn = (local) => new Date(`${local}:00+07:00`).toISOString();
const vnLocalNow = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 16);

run(async () => {
  const { me, main } = await startPage('home-services.html', 'Phục vụ tại nhà');
  const writer = canAct(me);
  let query = { status: '', page: 1 };

  const { body, paging } = filteredTable(main, {
    filters: FILTERS, selected: query.status, headers: ['Mã', 'Người cần hỗ trợ', 'Thủ tục · lý do', 'Trạng thái', 'Thao tác'],
    onFilter: (status) => { query = { status, page: 1 }; load().catch(fail); },
  });

  function fail(err) { notify(errorMessage(err), 'error'); }

  async function act(path, payload, done) {
    try {
      await api('POST', path, payload);
      notify(done);
      await load();
    } catch (err) {
      fail(err);
    }
  }

  function actions(h) {
    if (!writer || (h.status !== 'new' && h.status !== 'scheduled')) return null;
    const base = `/api/home-services/${encodeURIComponent(h.code)}`;
    const when = el('input', { type: 'datetime-local', name: 'scheduledAt', required: true, min: vnLocalNow(), 'aria-label': `Ngày giờ hẹn cho ${h.code} (giờ Việt Nam)` });
    const note = el('input', { type: 'text', name: 'staffNote', maxlength: 1000, placeholder: 'Ghi chú nội bộ (không gửi công dân)', 'aria-label': 'Ghi chú nội bộ', value: h.staffNote || '' });
    const form = el('form', { className: 'form schedule-form' },
      el('label', { text: 'Ngày giờ hẹn (giờ Việt Nam)' }), when, note,
      el('button', { type: 'submit', className: 'primary', text: h.status === 'scheduled' ? 'Đổi lịch hẹn' : 'Hẹn lịch' }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const payload = { scheduledAt: toIsoFromVn(when.value) };
      if (note.value.trim()) payload.staffNote = note.value.trim();
      act(`${base}/schedule`, payload, `Đã hẹn lịch ${h.code}; công dân sẽ nhận tin nhắn báo ngày giờ.`);
    });
    return el('div', {}, form, el('div', { className: 'actions' },
      el('button', { type: 'button', text: 'Đã hoàn thành', on: { click: () => {
        if (confirm(`Ghi nhận đã phục vụ xong yêu cầu ${h.code}? Không hoàn tác được.`)) act(`${base}/done`, {}, `Đã ghi nhận hoàn thành ${h.code}.`);
      } } }),
      el('button', { type: 'button', className: 'danger', text: 'Hủy yêu cầu', on: { click: () => {
        if (confirm(`Hủy yêu cầu ${h.code}? Công dân sẽ nhận tin nhắn báo hủy.`)) act(`${base}/cancel`, {}, `Đã hủy yêu cầu ${h.code}.`);
      } } })));
  }

  async function load() {
    const params = new URLSearchParams({ page: String(query.page) });
    if (query.status) params.set('status', query.status);
    const data = await api('GET', `/api/home-services?${params}`);
    clear(body).append(...data.items.map((h) => el('tr', { dataset: { code: h.code } },
      el('td', { 'data-label': 'Mã' }, el('strong', { text: h.code }), el('div', { className: 'muted', text: formatDate(h.createdAt) })),
      el('td', { 'data-label': 'Người cần hỗ trợ' },
        el('div', { text: h.name }), el('div', { text: h.phone }), el('div', { className: 'muted', text: h.address })),
      el('td', { 'data-label': 'Thủ tục · lý do' }, el('div', { text: h.procedureName }), el('div', { className: 'muted', text: h.reason })),
      el('td', { 'data-label': 'Trạng thái' },
        el('div', { className: 'home-status', text: STATUS[h.status] || h.status }),
        h.scheduledAt && h.status !== 'cancelled' && el('div', { text: `Lịch: ${formatDate(h.scheduledAt)}` }),
        h.staffNote && el('div', { className: 'muted', text: `Ghi chú: ${h.staffNote}` })),
      el('td', { 'data-label': 'Thao tác' }, actions(h)))));
    if (!data.items.length) body.append(el('tr', {}, el('td', { colspan: 5, className: 'muted', text: 'Không có yêu cầu nào.' })));
    clear(paging).append(pager(data, (page) => { query.page = page; load().catch(fail); }));
  }

  await load();
});
