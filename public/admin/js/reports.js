import { api } from './api.js';
import { clear, el, errorMessage, notify, run, startPage, vnDay } from './dom.js';

// The monthly report: pick the period and the office, see the figures, download them as Excel or CSV (summary,
// by channel, by procedure, by office, on time / late, then the lists of ratings, tickets, home-service
// requests and requests for an official). Dates are Viet Nam's calendar days.

function monthStart(day) { return `${day.slice(0, 7)}-01`; }

function table(t) {
  return el('section', { className: 'report-table' },
    el('h2', { text: t.title }),
    el('table', { className: 'table stack' },
      el('thead', {}, el('tr', {}, t.headers.map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, t.rows.length ? t.rows.map((row) => el('tr', {}, row.map((cell, i) => el('td', {
        'data-label': t.headers[i], text: cell === null ? '—' : typeof cell === 'number' ? cell.toLocaleString('vi-VN') : cell,
      })))) : el('tr', {}, el('td', { colspan: t.headers.length, className: 'muted', text: 'Không có số liệu trong kỳ này.' })))));
}

run(async () => {
  const { main } = await startPage('reports.html', 'Báo cáo tháng');
  const today = vnDay(new Date().toISOString());
  const from = el('input', { type: 'date', id: 'from', name: 'from', value: monthStart(today), required: true });
  const to = el('input', { type: 'date', id: 'to', name: 'to', value: today, required: true });
  const office = el('select', { id: 'office', name: 'office' }, el('option', { value: '', text: 'Tất cả cơ quan' }));
  const xlsx = el('a', { className: 'button primary', id: 'download-xlsx', text: 'Tải Excel (.xlsx)', download: '' });
  const csv = el('a', { className: 'button', id: 'download-csv', text: 'Tải CSV', download: '' });
  const form = el('form', { className: 'filters card', 'aria-label': 'Chọn kỳ báo cáo' },
    el('div', { className: 'field' }, el('label', { for: 'from', text: 'Từ ngày' }), from),
    el('div', { className: 'field' }, el('label', { for: 'to', text: 'Đến ngày' }), to),
    el('div', { className: 'field' }, el('label', { for: 'office', text: 'Cơ quan' }), office),
    el('div', { className: 'actions' }, el('button', { type: 'submit', text: 'Xem số liệu' }), xlsx, csv));
  const preview = el('div', { className: 'report', 'aria-live': 'polite' });
  main.append(el('p', { className: 'muted', text: 'Số liệu theo ngày giờ Việt Nam. Tệp Excel có thêm danh sách đánh giá, phản ánh, phục vụ tại nhà và yêu cầu gặp cán bộ trong kỳ.' }),
    form, preview);

  const offices = api('GET', '/api/reports/offices').then(({ items }) => {
    office.append(...items.map((name) => el('option', { value: name, text: name })));
  });

  async function load() {
    const p = new URLSearchParams({ from: from.value, to: to.value });
    if (office.value) p.set('office', office.value);
    xlsx.href = `/api/reports/monthly.xlsx?${p}`;
    csv.href = `/api/reports/monthly.csv?${p}`;
    try {
      const data = await api('GET', `/api/reports/monthly?${p}`);
      clear(preview).append(...data.tables.map(table));
    } catch (err) {
      notify(errorMessage(err), 'error');
    }
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  for (const c of [from, to, office]) c.addEventListener('change', () => load());
  await Promise.all([offices, load()]);
});
