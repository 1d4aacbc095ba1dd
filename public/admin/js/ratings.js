import { api } from './api.js';
import { el, formatDate, run, startPage } from './dom.js';

// Citizens' satisfaction ratings (1-5) given in the chat: overall, per procedure, per office, and the latest
// comments, so the one-stop office sees where to improve.

const number = (n) => (n === null || n === undefined ? '—' : n.toLocaleString('vi-VN', { maximumFractionDigits: 2 }));

function statTable(title, firstColumn, rows) {
  return [
    el('h2', { text: title }),
    el('table', { className: 'table stack' },
      el('thead', {}, el('tr', {}, [firstColumn, 'Số lượt', 'Điểm trung bình'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows.length
        ? rows.map((r) => el('tr', {},
          el('td', { 'data-label': firstColumn, text: r.name }),
          el('td', { 'data-label': 'Số lượt', text: number(r.count) }),
          el('td', { 'data-label': 'Điểm trung bình', text: number(r.average) })))
        : el('tr', {}, el('td', { colspan: 3, className: 'muted', text: 'Chưa có đánh giá.' })))),
  ];
}

run(async () => {
  const { main } = await startPage('ratings.html', 'Đánh giá hài lòng');
  const report = await api('GET', '/api/ratings/report');
  const { overall } = report;
  main.append(
    el('section', { className: 'card', id: 'overall' },
      el('dl', { className: 'facts' },
        el('dt', { text: 'Số lượt đánh giá' }), el('dd', { id: 'rating-count', text: number(overall.count) }),
        el('dt', { text: 'Điểm trung bình' }), el('dd', { id: 'rating-average', text: overall.average === null ? '—' : `${number(overall.average)} / 5` }),
        ...[5, 4, 3, 2, 1].flatMap((s) => [el('dt', { text: `${s} ⭐` }), el('dd', { text: number(overall.byScore[s] || 0) })]))),
    ...statTable('Theo thủ tục', 'Thủ tục', report.byProcedure),
    ...statTable('Theo cơ quan', 'Cơ quan', report.byOffice),
    el('h2', { text: 'Góp ý gần đây' }),
    el('table', { className: 'table stack', id: 'latest' },
      el('thead', {}, el('tr', {}, ['Thời gian', 'Điểm', 'Góp ý', 'Thủ tục · hồ sơ'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, report.latest.length
        ? report.latest.map((r) => el('tr', {},
          el('td', { 'data-label': 'Thời gian', text: formatDate(r.createdAt) }),
          el('td', { 'data-label': 'Điểm', text: `${r.score} ⭐` }),
          el('td', { 'data-label': 'Góp ý', text: r.comment }),
          el('td', { 'data-label': 'Thủ tục · hồ sơ', text: [r.procedureName, r.dossierCode].filter(Boolean).join(' · ') || '—' })))
        : el('tr', {}, el('td', { colspan: 4, className: 'muted', text: 'Chưa có góp ý nào.' })))));
});
