import { api } from './api.js';
import { el, errorMessage, formatDate, notify, run, startPage } from './dom.js';

// "Thử câu hỏi": what the bot understands and exactly what it would answer, nothing recorded.
// Earlier tries stay below, so an answer before and after an edit can be compared.

const TYPES = {
  faq: { label: 'Câu hỏi thường gặp', page: 'index.html' },
  procedure: { label: 'Thủ tục', page: 'procedures.html' },
  model: { label: 'Mô hình cải cách', page: 'models.html' },
  office: { label: 'Cơ quan', page: 'offices.html' },
};

const INTENTS = {
  greeting: 'Chào hỏi', goodbye_thanks: 'Cảm ơn, tạm biệt', help: 'Cần hướng dẫn', procedure_lookup: 'Hỏi về thủ tục',
  dossier_status: 'Tra cứu hồ sơ', model_info: 'Hỏi về mô hình cải cách', feedback: 'Phản ánh, kiến nghị', rating: 'Đánh giá',
  contact_info: 'Hỏi thông tin liên hệ', human_handoff: 'Muốn gặp cán bộ', home_service: 'Hỗ trợ tại nhà',
  subscribe: 'Đăng ký nhận thông báo', out_of_scope: 'Bot không hiểu',
};
const intentName = (intent) => (INTENTS[intent] ? `${INTENTS[intent]} (${intent})` : intent);

function matchedView(matched) {
  if (!matched || !matched.type) return el('span', { className: 'muted', text: 'Không khớp mục nào trong dữ liệu' });
  const type = TYPES[matched.type] || { label: matched.type, page: null };
  const name = matched.name || `Mã số ${matched.id}`;
  return el('span', {}, `${type.label}: `,
    type.page && matched.id ? el('a', { href: `${type.page}#id=${matched.id}`, text: name }) : name);
}

function replyView(reply) {
  return el('div', { className: 'bubble' },
    el('p', { className: 'reply-text', text: reply.text }),
    reply.buttons && reply.buttons.length > 0 && el('div', { className: 'chips' }, reply.buttons.map((b) =>
      el('span', { className: 'chip', title: b.url || b.payload || '', text: b.url ? `${b.title} ↗` : b.title }))));
}

function resultView(text, result) {
  const u = result.understanding;
  const entities = u && u.entities ? Object.entries(u.entities) : [];
  return el('article', { className: 'card try-result' },
    el('header', {}, el('strong', { text: `“${text}”` }), el('span', { className: 'muted', text: ` · ${formatDate(new Date().toISOString())}` })),
    el('dl', { className: 'facts' },
      el('dt', { text: 'Ý định' }), el('dd', { className: 'intent', text: u ? intentName(u.intent) : '(không phân tích: đang trong một bước hội thoại)' }),
      el('dt', { text: 'Độ tin cậy' }), el('dd', { className: 'confidence', text: u ? `${Math.round(u.confidence * 100)}%` : '' }),
      el('dt', { text: 'Thông tin nhận ra' }), el('dd', { text: entities.length ? entities.map(([k, v]) => `${k}: ${v}`).join('; ') : 'không có' }),
      el('dt', { text: 'Mục khớp' }), el('dd', { className: 'matched' }, matchedView(result.matched))),
    el('h3', { text: 'Bot sẽ trả lời' }),
    el('div', { className: 'replies' }, result.replies.length ? result.replies.map(replyView) : el('p', { className: 'muted', text: '(không trả lời)' })));
}

run(async () => {
  const { main } = await startPage('try.html', 'Thử câu hỏi');
  const input = el('textarea', { id: 'try-text', rows: 2, maxlength: 1000, placeholder: 'Ví dụ: làm giấy khai sinh cần gì', required: true });
  const results = el('div', { className: 'try-results' });
  const form = el('form', { className: 'card form' },
    el('label', { for: 'try-text', text: 'Câu hỏi của người dân' }), input,
    el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'primary', text: 'Thử' })));
  main.append(el('p', { className: 'muted', text: 'Gõ một câu hỏi như người dân sẽ hỏi để xem bot hiểu thế nào và trả lời gì. Thử không ghi lại gì.' }), form, results);

  async function ask(text) {
    try {
      results.prepend(resultView(text, await api('POST', '/api/try', { text })));
    } catch (err) {
      notify(errorMessage(err), 'error');
    }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (input.value.trim()) ask(input.value.trim());
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
  const preset = new URLSearchParams(location.search).get('q');
  if (preset) { input.value = preset; await ask(preset); }
});
