import { api, canWrite, latestCalls } from './api.js';
import { clear, el, errorMessage, formatDate, notify, run, startPage } from './dom.js';
import { REASONS, contextDetails } from './review-context.js';

// "Câu hỏi bot chưa hiểu": citizens' questions the bot did not understand, answers they rejected and close calls,
// grouped by wording, each with its conversation around it; search, a reason filter and bulk actions. Each group can be taught to the bot (as phrasings of an intent, an FAQ, a procedure or a
// reform model), turned into a new FAQ, or dismissed. Every text comes from citizens: textContent only.

const INTENTS = {
  greeting: 'Chào hỏi', goodbye_thanks: 'Cảm ơn, tạm biệt', help: 'Cần hướng dẫn', procedure_lookup: 'Hỏi về thủ tục',
  dossier_status: 'Tra cứu hồ sơ', model_info: 'Hỏi về mô hình cải cách', feedback: 'Phản ánh, kiến nghị', rating: 'Đánh giá',
  contact_info: 'Hỏi thông tin liên hệ', human_handoff: 'Muốn gặp cán bộ', home_service: 'Hỗ trợ tại nhà',
  subscribe: 'Đăng ký nhận thông báo', out_of_scope: 'Bot không hiểu',
};
const intentName = (intent) => (INTENTS[intent] ? `${INTENTS[intent]} (${intent})` : intent);

const TARGETS = {
  faq: { label: 'Câu hỏi thường gặp', path: 'faqs', page: 'index.html', name: (row) => row.questions[0] || `Câu hỏi ${row.id}` },
  procedure: { label: 'Thủ tục', path: 'procedures', page: 'procedures.html', name: (row) => row.name },
  model: { label: 'Mô hình cải cách', path: 'models', page: 'models.html', name: (row) => row.name },
};

/** The API takes at most 1,000 message ids per call: bigger groups go in several calls. */
const CHUNK = 1000;
function chunks(ids) {
  const out = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(ids.slice(i, i + CHUNK));
  return out;
}

async function attach(ids, target) {
  const total = { phrases: 0, messages: 0 };
  for (const part of chunks(ids)) {
    const r = await api('POST', '/api/review/attach', { messageIds: part, target });
    total.phrases += r.phrases;
    total.messages += r.messages;
  }
  return total;
}

/** A new FAQ from the group; a group past one call's size is attached to that FAQ in the following calls. */
async function createFaq(ids, answer) {
  const [first, ...rest] = chunks(ids);
  const faq = await api('POST', '/api/review/faq', { messageIds: first, answer });
  if (rest.length) await attach(rest.flat(), { type: 'faq', id: faq.id });
  return faq;
}

async function dismissAll(ids) {
  let messages = 0;
  for (const part of chunks(ids)) messages += (await api('POST', '/api/review/dismiss', { messageIds: part })).messages;
  return { messages };
}

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

run(async () => {
  const { me, main } = await startPage('review.html', 'Câu hỏi bot chưa hiểu');
  const writer = canWrite(me);
  const initial = new URLSearchParams(location.search).get('threshold');
  const threshold = el('input', {
    type: 'number', id: 'threshold', name: 'threshold', min: 0, max: 1, step: 0.01, inputmode: 'decimal',
    value: initial ?? '', 'aria-describedby': 'threshold-hint',
  });
  const search = el('input', { type: 'search', id: 'review-q', name: 'q', maxlength: 200, placeholder: 'Từ trong câu hỏi, có dấu hoặc không' });
  const reason = el('select', { id: 'review-reason', name: 'reason' },
    el('option', { value: '', text: 'Tất cả' }), Object.entries(REASONS).map(([value, label]) => el('option', { value, text: label })));
  const summary = el('p', { className: 'muted', id: 'review-summary', 'aria-live': 'polite' });
  const selected = new Map();
  const bulkCount = el('span', { id: 'bulk-count', text: 'Chưa chọn nhóm nào' });
  const bulkIntent = el('select', { id: 'bulk-intent', 'aria-label': 'Ý định cho các nhóm đã chọn' },
    Object.entries(INTENTS).map(([value, label]) => el('option', { value, text: `${label} (${value})` })));
  const bulk = el('div', { className: 'toolbar card', id: 'bulk', 'aria-label': 'Xử lý nhiều nhóm' }, bulkCount,
    bulkIntent, el('button', { type: 'button', id: 'bulk-attach', text: 'Gắn các nhóm đã chọn vào ý định', on: { click: () => bulkAct('attach') } }),
    el('button', { type: 'button', id: 'bulk-dismiss', className: 'danger', text: 'Bỏ qua các nhóm đã chọn', on: { click: () => bulkAct('dismiss') } }));
  const list = el('ul', { className: 'review-list', 'aria-label': 'Các nhóm câu hỏi' });
  main.append(
    el('p', { className: 'lead muted', text: 'Tin nhắn người dân gửi mà bot không hiểu hoặc hiểu chưa chắc chắn, gộp theo cách viết giống nhau. '
      + 'Gắn mỗi nhóm vào một mục có sẵn để bot hiểu cách hỏi đó, tạo câu hỏi thường gặp mới, hoặc bỏ qua.' }),
    el('form', { className: 'toolbar inline-field', on: { submit: (e) => { e.preventDefault(); load().catch(fail); } } },
      el('label', { for: 'review-q', text: 'Tìm' }), search,
      el('label', { for: 'review-reason', text: 'Lý do' }), reason,
      el('label', { for: 'threshold', text: 'Ngưỡng độ tin cậy' }), threshold,
      el('button', { type: 'submit', text: 'Xem lại' }),
      el('small', { id: 'threshold-hint', className: 'muted', text: 'Từ 0 đến 1: tin nhắn bot hiểu với độ tin cậy dưới ngưỡng này cũng được liệt kê.' })),
    summary, writer ? bulk : '', list);
  if (!writer) main.insertBefore(el('p', { className: 'notice', text: 'Tài khoản của anh/chị chỉ được xem danh sách này.' }), summary);

  function fail(err) { notify(errorMessage(err), 'error'); }

  const latest = latestCalls();
  async function load() {
    const current = latest();
    const params = new URLSearchParams();
    const value = threshold.value.trim();
    if (value !== '') params.set('threshold', value);
    if (search.value.trim()) params.set('q', search.value.trim());
    if (reason.value) params.set('reason', reason.value);
    selected.clear();
    drawBulk();
    history.replaceState(null, '', params.toString() ? `?${params}` : location.pathname);
    // Busy until this load's answer is drawn (or fails): screen readers, and a test, know the list is not yet new.
    list.setAttribute('aria-busy', 'true');
    let data;
    try {
      data = await api('GET', `/api/review${params.toString() ? `?${params}` : ''}`);
    } finally {
      if (current()) list.removeAttribute('aria-busy');
    }
    if (!current()) return;
    // The threshold used fills the field, unless the official typed another while this load ran.
    if (threshold.value.trim() === value) threshold.value = String(data.threshold);
    const total = data.groups.reduce((n, g) => n + g.count, 0);
    summary.textContent = data.groups.length
      ? `${data.groups.length} nhóm, ${total} tin nhắn (ngưỡng ${Math.round(data.threshold * 100)}%).`
      : '';
    clear(list).append(...data.groups.map(groupView));
    if (!data.groups.length) list.append(el('li', { className: 'card muted', text: 'Không còn tin nhắn nào bot chưa hiểu. Tốt lắm!' }));
  }

  function drawBulk() {
    const groups = [...selected.values()];
    const messages = groups.reduce((n, g) => n + g.messageIds.length, 0);
    bulkCount.textContent = groups.length ? `Đã chọn ${groups.length} nhóm, ${messages} tin nhắn` : 'Chưa chọn nhóm nào';
    for (const b of bulk.querySelectorAll('button')) b.disabled = !groups.length;
  }

  /** Dismisses, or teaches as one intent, every selected group at once. */
  async function bulkAct(kind) {
    const groups = [...selected.values()];
    const ids = groups.flatMap((g) => g.messageIds);
    if (!ids.length) return;
    if (kind === 'dismiss' && !confirm(`Bỏ qua ${groups.length} nhóm (${ids.length} tin nhắn)? Bot sẽ không học từ các tin này.`)) return;
    try {
      const r = kind === 'dismiss' ? await dismissAll(ids) : await attach(ids, { type: 'intent', intent: bulkIntent.value });
      notify(kind === 'dismiss' ? `Đã bỏ qua ${r.messages} tin nhắn của ${groups.length} nhóm.` : `Đã dạy bot ${r.phrases} cách hỏi cho ý định "${INTENTS[bulkIntent.value]}".`);
      await load();
    } catch (err) { fail(err); }
  }

  /** Runs an action on a group; on success the group leaves the list. */
  async function act(item, work, message) {
    const buttons = [...item.querySelectorAll('button')];
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const result = await work();
      notify(message(result));
      item.remove();
      selected.delete(item.dataset.key);
      drawBulk();
      if (!list.querySelector('.review-group')) await load();
      return true;
    } catch (err) {
      fail(err);
      return false;
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  function groupView(group) {
    const item = el('li', { className: 'card review-group', dataset: { key: group.key } });
    const panel = el('div', { className: 'review-panel', hidden: true });
    const ids = group.messageIds;
    let openKind = null;
    const show = (kind, build) => {
      if (openKind === kind && !panel.hidden) { panel.hidden = true; openKind = null; return; }
      openKind = kind;
      clear(panel).hidden = false;
      panel.append(build());
      panel.querySelector('input, select, textarea')?.focus({ preventScroll: true });
    };
    const others = group.texts.filter((t) => t !== group.sample);
    const pick = el('input', { type: 'checkbox', className: 'review-pick', 'aria-label': `Chọn nhóm "${group.sample.slice(0, 60)}"`, on: { change: () => {
      if (pick.checked) selected.set(group.key, group); else selected.delete(group.key);
      drawBulk();
    } } });
    const why = Object.entries(group.reasons || {}).filter(([, n]) => n > 0).map(([r, n]) => `${REASONS[r] || r}: ${n}`).join(' · ');
    item.append(...[
      writer && pick,
      el('p', { className: 'review-sample' }, el('strong', { text: group.sample })),
      el('p', { className: 'review-meta muted' },
        el('span', { className: 'review-count', text: `${group.count} lần` }),
        el('span', { className: 'review-last', text: `gần nhất ${formatDate(group.lastAt)}` }),
        group.intent && el('span', { text: `bot đoán: ${intentName(group.intent)}` })),
      why && el('p', { className: 'review-reasons', text: why }),
      el('div', { className: 'review-examples' }, (group.examples || []).map(contextDetails)),
      others.length > 0 && el('details', {},
        el('summary', { text: `Các cách viết khác (${others.length})` }),
        el('ul', { className: 'review-texts' }, others.map((t) => el('li', { text: t })))),
      writer && el('div', { className: 'actions' },
        el('button', { type: 'button', text: 'Gắn vào ý định', on: { click: () => show('intent', intentForm) } }),
        el('button', { type: 'button', text: 'Gắn vào mục có sẵn', on: { click: () => show('target', targetForm) } }),
        el('button', { type: 'button', className: 'primary', text: 'Tạo FAQ mới', on: { click: () => show('faq', faqForm) } }),
        el('button', { type: 'button', className: 'danger', text: 'Bỏ qua', on: { click: dismiss } })),
      panel].filter(Boolean));

    function intentForm() {
      const id = nextId('intent');
      const select = el('select', { id, name: 'intent', required: true },
        Object.entries(INTENTS).map(([value, label]) => el('option', { value, text: `${label} (${value})`, selected: value === group.intent || undefined })));
      return el('form', { className: 'form', on: { submit: (e) => {
        e.preventDefault();
        act(item, () => attach(ids, { type: 'intent', intent: select.value }),
          (r) => `Đã dạy bot ${r.phrases} cách hỏi cho ý định "${INTENTS[select.value] || select.value}".`);
      } } },
      el('div', { className: 'field' }, el('label', { for: id, text: 'Những câu này có ý định là' }), select),
      el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'primary', text: 'Gắn vào ý định này' })));
    }

    function targetForm() {
      const typeId = nextId('target-type');
      const qId = nextId('target-q');
      const type = el('select', { id: typeId, name: 'targetType', 'aria-label': 'Loại mục' },
        Object.entries(TARGETS).map(([value, t]) => el('option', { value, text: t.label })));
      const q = el('input', { type: 'search', id: qId, name: 'targetQuery', placeholder: 'Tìm theo tên, có dấu hoặc không dấu…', 'aria-label': 'Tìm mục' });
      const results = el('ul', { className: 'target-results', 'aria-live': 'polite' });
      const latestSearch = latestCalls();
      async function search() {
        const current = latestSearch();
        const kind = type.value;
        const target = TARGETS[kind];
        const params = new URLSearchParams({ pageSize: '8' });
        if (q.value.trim()) params.set('q', q.value.trim());
        try {
          const data = await api('GET', `/api/${target.path}?${params}`);
          if (!current()) return;
          clear(results).append(...data.items.map((row) => el('li', {},
            el('span', {}, el('a', { href: `${target.page}#id=${row.id}`, target: '_blank', rel: 'noopener', text: target.name(row) })),
            el('button', { type: 'button', text: 'Gắn vào đây', dataset: { id: row.id }, on: { click: () => {
              act(item, () => attach(ids, { type: kind, id: row.id }),
                (r) => `Đã dạy bot ${r.phrases} cách hỏi cho ${target.label.toLowerCase()} "${target.name(row)}".`);
            } } }))));
          if (!data.items.length) results.append(el('li', { className: 'muted', text: 'Không tìm thấy mục nào.' }));
        } catch (err) { fail(err); }
      }
      let timer;
      q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, 250); });
      type.addEventListener('change', search);
      search();
      return el('form', { className: 'form', on: { submit: (e) => { e.preventDefault(); clearTimeout(timer); search(); } } },
        el('label', { for: qId, text: 'Gắn những câu này vào' }),
        el('div', { className: 'search-row' }, type, q, el('button', { type: 'submit', text: 'Tìm' })),
        results);
    }

    function faqForm() {
      const id = nextId('answer');
      const answer = el('textarea', { id, name: 'answer', rows: 5, required: true, maxlength: 4000,
        placeholder: 'Câu trả lời bot sẽ gửi cho người dân' });
      const error = el('span', { className: 'field-error', hidden: true });
      return el('form', { className: 'form', on: { submit: async (e) => {
        e.preventDefault();
        error.hidden = true;
        if (!answer.value.trim()) { error.textContent = 'Vui lòng nhập câu trả lời.'; error.hidden = false; return; }
        await act(item, () => createFaq(ids, answer.value.trim()),
          (faq) => `Đã tạo câu hỏi thường gặp mới (mã số ${faq.id}). Bot trả lời câu này ngay.`);
      } } },
      el('p', { className: 'muted', text: `Câu hỏi mới gồm ${group.texts.length} cách viết ở trên; anh/chị có thể sửa thêm ở trang Câu hỏi thường gặp.` }),
      el('div', { className: 'field' }, el('label', { for: id, text: 'Câu trả lời *' }), answer, error),
      el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'primary', text: 'Lưu câu hỏi mới' })));
    }

    function dismiss() {
      if (!confirm(`Bỏ qua ${group.count} tin nhắn "${group.sample.slice(0, 80)}"? Bot sẽ không học từ các tin này.`)) return;
      act(item, () => dismissAll(ids), (r) => `Đã bỏ qua ${r.messages} tin nhắn.`);
    }

    return item;
  }

  await load();
});
