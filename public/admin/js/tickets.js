import { api } from './api.js';
import { clear, el, errorMessage, filteredTable, formatDate, formatDay, notify, pager, run, startPage } from './dom.js';

// Feedback and petitions (phản ánh, kiến nghị) sent in the chat: read them and answer; the answer reaches the
// citizen in the chat and the citizen can read it again by the ticket's code.

const FILTERS = [['open', 'Chưa trả lời'], ['answered', 'Đã trả lời'], ['', 'Tất cả']];
const CHANNELS = { zalo: 'Zalo', messenger: 'Messenger', web: 'Trang web' };
const canAnswer = (me) => me.role === 'admin' || me.role === 'agent';

function state(t) {
  if (t.status === 'answered') return `Đã trả lời (${t.answeredBy || ''}, ${formatDate(t.answeredAt)})`;
  return t.overdue ? 'Quá hạn trả lời' : 'Chưa trả lời';
}

function details(t) {
  const extra = [
    t.dossierCode && `Hồ sơ: ${t.dossierCode}`,
    t.attachments.length > 0 && `${t.attachments.length} tệp/hình ảnh đính kèm`,
    t.location && 'Có gửi vị trí',
    t.consentContact ? 'Đồng ý để cán bộ liên hệ lại' : 'Không muốn được liên hệ lại',
    `Kênh: ${CHANNELS[t.channel] || t.channel}`,
  ].filter(Boolean).join(' · ');
  return [
    el('p', { className: 'reply-text', text: t.content }),
    el('div', { className: 'muted', text: extra }),
    t.answer && el('div', { className: 'bubble' }, el('div', { className: 'muted', text: 'Câu trả lời đã gửi' }), el('p', { className: 'reply-text', text: t.answer })),
  ];
}

run(async () => {
  const { me, main } = await startPage('tickets.html', 'Phản ánh, kiến nghị');
  const writer = canAnswer(me);
  let query = { status: 'open', page: 1 };

  const { body, paging } = filteredTable(main, {
    filters: FILTERS, selected: query.status, headers: ['Mã', 'Nội dung', 'Gửi lúc · hạn trả lời', 'Trạng thái', 'Thao tác'],
    onFilter: (status) => { query = { status, page: 1 }; load().catch(fail); },
  });

  function fail(err) { notify(errorMessage(err), 'error'); }

  function answerForm(t) {
    const id = `answer-${t.code}`;
    const text = el('textarea', { id, name: 'answer', rows: 4, maxlength: 1800, required: true, 'aria-label': `Trả lời phản ánh ${t.code}` });
    const form = el('form', { className: 'form answer-form', hidden: true },
      text, el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'primary', text: 'Gửi trả lời' })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!confirm(`Gửi câu trả lời này cho người dân (phản ánh ${t.code})? Tin nhắn đã gửi không thu hồi được.`)) return;
      const button = form.querySelector('button');
      button.disabled = true;
      try {
        await api('POST', `/api/tickets/${encodeURIComponent(t.code)}/answer`, { answer: text.value });
        notify(`Đã trả lời phản ánh ${t.code}; câu trả lời đang được gửi cho công dân.`);
        await load();
      } catch (err) {
        fail(err);
        button.disabled = false;
      }
    });
    return form;
  }

  async function load() {
    const params = new URLSearchParams({ page: String(query.page) });
    if (query.status) params.set('status', query.status);
    const data = await api('GET', `/api/tickets?${params}`);
    clear(body).append(...data.items.map((t) => {
      const form = writer && t.status !== 'answered' ? answerForm(t) : null;
      return el('tr', { dataset: { code: t.code } },
        el('td', { 'data-label': 'Mã' }, el('strong', { text: t.code })),
        el('td', { 'data-label': 'Nội dung' }, details(t), form),
        el('td', { 'data-label': 'Gửi lúc · hạn', text: `${formatDate(t.createdAt)} · hạn ${formatDay(t.dueAt)}` }),
        el('td', { 'data-label': 'Trạng thái', text: state(t) }),
        el('td', { 'data-label': 'Thao tác' }, form && el('button', { type: 'button', text: 'Trả lời', on: { click: () => {
          form.hidden = !form.hidden;
          if (!form.hidden) form.querySelector('textarea').focus();
        } } })));
    }));
    if (!data.items.length) body.append(el('tr', {}, el('td', { colspan: 5, className: 'muted', text: 'Không có phản ánh nào.' })));
    clear(paging).append(pager(data, (page) => { query.page = page; load().catch(fail); }));
  }

  await load();
});

