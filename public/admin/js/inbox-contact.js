import { el, formatDate } from './dom.js';

// The contact panel beside a conversation: the citizen's dossiers, tickets, ratings and home-service requests.
// The server has already masked personal data for roles that may not see it.

const TICKET_STATUS = { open: 'Chưa trả lời', answered: 'Đã trả lời' };
const HOME_STATUS = { new: 'Mới', scheduled: 'Đã hẹn', done: 'Đã xong', cancelled: 'Đã hủy' };
const CHANNELS = { zalo: 'Zalo', messenger: 'Messenger', web: 'Trang web' };

function block(title, items, line) {
  return el('section', {},
    el('h3', { text: `${title} (${items.length})` }),
    items.length ? el('ul', {}, items.map((x) => el('li', { text: line(x) }))) : el('p', { className: 'muted', text: 'Không có.' }));
}

export function contactPanel(c, personal) {
  return [
    el('h2', { text: 'Thông tin công dân' }),
    el('dl', { className: 'facts' },
      el('dt', { text: 'Tên hiển thị' }), el('dd', { text: c.displayName || '—' }),
      el('dt', { text: 'Kênh' }), el('dd', { text: CHANNELS[c.channel] || c.channel }),
      el('dt', { text: 'Mã tài khoản' }), el('dd', { text: c.userId })),
    !personal && el('p', { className: 'muted', text: 'Dữ liệu cá nhân đã được ẩn với vai trò của anh/chị.' }),
    block('Hồ sơ', c.dossiers, (d) => `${d.code} · ${d.procedureName} · ${d.statusLabel} · hẹn ${formatDate(d.dueAt)} · ${d.applicantName}${d.proven ? ' (đã xác minh chủ hồ sơ)' : ' (đăng ký nhận tin)'}`),
    block('Phản ánh, kiến nghị', c.tickets, (t) => `${t.code} · ${TICKET_STATUS[t.status] || t.status} · ${formatDate(t.createdAt)} · ${t.content}`),
    block('Đánh giá', c.ratings, (r) => `${r.score}/5 · ${formatDate(r.createdAt)}${r.procedureName ? ` · ${r.procedureName}` : ''}${r.comment ? ` · ${r.comment}` : ''}`),
    block('Phục vụ tại nhà', c.homeServices, (h) => `${h.code} · ${HOME_STATUS[h.status] || h.status} · ${h.name} · ${h.phone} · ${h.address}`),
  ];
}
