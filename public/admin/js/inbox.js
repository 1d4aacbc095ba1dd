import { api } from './api.js';
import { clear, el, errorMessage, formatDate, notify, pager, run, startPage } from './dom.js';
import { contactPanel } from './inbox-contact.js';
import { alertsEnabled, checkRequests, enableAlerts } from './inbox-alerts.js';
import { setInboxCount } from './inbox-badge.js';

// The hand-off inbox: conversations that need an official (the queue, mine, everyone's, solved), one conversation's
// whole history with internal notes, the reply box with canned replies, and the citizen's contact panel.
// Polls every 4 s, so two officials answering one conversation see each other's replies; keyboard shortcuts below.

const REFRESH_MS = 4000;
const CHANNELS = { zalo: 'Zalo', messenger: 'Messenger', web: 'Trang web' };
const STATUS = { open: 'Đang mở', waiting: 'Chờ công dân', solved: 'Đã giải quyết' };
const VIEWS = [['mine', 'Của tôi'], ['queue', 'Hàng chờ'], ['open', 'Tất cả đang mở'], ['solved', 'Đã giải quyết']];
const AGENT_VIEWS = ['mine', 'queue', 'solved'];
const DELIVERY = { pending: 'đang gửi…', failed: 'gửi lỗi', undelivered: 'không gửi được (quá thời hạn nhắn tin của nền tảng)' };
const SHORTCUTS = 'Phím tắt: j/k cuộc trò chuyện sau/trước · r trả lời · n ghi chú · t nhận xử lý · s đã giải quyết · / tìm kiếm · Ctrl+Enter gửi';

const nameOf = (c) => c.displayName || `${CHANNELS[c.channel] || c.channel} · ${c.userId}`;
const ownerText = (o) => (o === 'platform-inbox' ? 'hộp thư của nền tảng' : o);

function author(m) {
  if (m.from === 'citizen') return 'Công dân';
  if (m.from === 'official') return m.official === 'platform-inbox' ? 'Cán bộ (hộp thư của nền tảng)' : `Cán bộ ${m.official}`;
  return m.from === 'notification' ? 'Thông báo tự động' : 'Bot';
}

function bubble(m) {
  const meta = [author(m), formatDate(m.createdAt), m.direction === 'out' && DELIVERY[m.deliveryStatus]].filter(Boolean).join(' · ');
  const kind = m.direction === 'in' && m.from === 'citizen' ? 'in' : m.from === 'official' ? 'official' : 'bot';
  return el('div', { className: `bubble message ${kind}${m.masked ? ' masked' : ''}`, dataset: { id: m.id, from: m.from } },
    el('div', { className: 'muted', text: meta }),
    el('p', { className: 'reply-text', text: m.text }),
    m.buttons.length > 0 && el('div', { className: 'chips' }, m.buttons.map((b) => el('span', { className: 'chip', text: b }))));
}

const noteBubble = (n) => el('div', { className: 'bubble note', dataset: { note: n.id } },
  el('div', { className: 'muted', text: `Ghi chú nội bộ · ${n.author} · ${formatDate(n.createdAt)}` }),
  el('p', { className: 'reply-text', text: n.text }));

/** Messages and notes in the order they were written. */
const timeline = (t) => [...t.messages.map((m) => [m.createdAt, bubble(m)]), ...t.notes.map((n) => [n.createdAt, noteBubble(n)])]
  .sort((a, b) => new Date(a[0]) - new Date(b[0])).map(([, node]) => node);

function summary(c) {
  return [STATUS[c.status], c.escalated && 'quá hạn chưa trả lời', c.assignedTo ? `phụ trách: ${ownerText(c.assignedTo)}` : 'chưa ai nhận']
    .filter(Boolean).join(' · ');
}

run(async () => {
  const { me, main } = await startPage('inbox.html', 'Hộp thư cán bộ');
  const writer = me.role === 'admin' || me.role === 'agent';
  const views = VIEWS.filter(([v]) => me.role !== 'agent' || AGENT_VIEWS.includes(v));
  const params = new URLSearchParams(location.hash.slice(1));
  const state = { view: me.role === 'agent' ? 'mine' : 'open', status: '', q: '', page: 1, openId: Number(params.get('id')) || null, items: [], thread: null };
  let shownKey = '';
  let busy = false;
  let lastCounts;

  const counts = el('p', { className: 'muted', 'aria-live': 'polite', id: 'inbox-status' });
  const alertButton = el('button', { type: 'button', id: 'enable-alerts', text: 'Bật thông báo và âm báo', on: { click: async () => {
    const granted = await enableAlerts();
    alertButton.textContent = granted === 'granted' ? 'Đã bật thông báo' : 'Đã bật âm báo (trình duyệt chặn thông báo)';
    alertButton.disabled = true;
  } } });
  const banner = el('div', { className: 'notice alert-banner', id: 'new-requests', role: 'alert', hidden: true });
  const tabs = el('div', { className: 'tabs', role: 'group', 'aria-label': 'Danh sách' });
  const statusFilter = el('select', { id: 'inbox-filter', 'aria-label': 'Lọc theo trạng thái' },
    [['', 'Mọi trạng thái'], ...Object.entries(STATUS)].map(([v, l]) => el('option', { value: v, text: l })));
  const search = el('input', { type: 'search', id: 'inbox-search', name: 'q', placeholder: 'Tìm theo tên, tài khoản, nội dung…', maxlength: 200 });
  const list = el('ul', { className: 'items', 'aria-label': 'Cuộc trò chuyện' });
  const paging = el('div');
  const head = el('div');
  const thread = el('div', { className: 'thread', 'aria-label': 'Tin nhắn', 'aria-live': 'polite' });
  const canned = el('select', { id: 'canned', 'aria-label': 'Chèn câu trả lời mẫu' }, el('option', { value: '', text: 'Chèn câu trả lời mẫu…' }));
  const text = el('textarea', { id: 'reply-text', name: 'text', rows: 3, maxlength: 2000, required: true, placeholder: 'Nhập nội dung…' });
  const mode = (value, label, checked) => el('label', {}, el('input', { type: 'radio', name: 'mode', value, checked }), label);
  const form = el('form', { className: 'form composer', id: 'reply-form' },
    el('div', { className: 'modes' }, mode('reply', 'Trả lời công dân', true), mode('note', 'Ghi chú nội bộ (công dân không thấy)', false)),
    el('div', { className: 'field' }, el('label', { for: 'reply-text', text: 'Nội dung' }), text),
    el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'primary', id: 'send', text: 'Gửi' }), canned));
  const panel = el('section', { className: 'card', id: 'conversation', hidden: true }, head, thread,
    writer ? form : el('p', { className: 'muted', text: 'Tài khoản của anh/chị chỉ xem: không trả lời được.' }));
  const contact = el('aside', { className: 'card contact', id: 'contact', hidden: true });

  main.append(
    el('div', { className: 'toolbar' }, counts, alertButton), banner,
    el('div', { className: 'inbox' },
      el('section', {}, tabs, el('div', { className: 'toolbar' }, statusFilter, search), list, paging),
      panel, contact),
    el('p', { className: 'muted shortcuts', text: SHORTCUTS }));

  const modeOf = () => form.querySelector('input[name=mode]:checked')?.value || 'reply';
  const setMode = (m) => { const r = form.querySelector(`input[value=${m}]`); if (r) r.checked = true; text.focus(); };

  function drawTabs(c) {
    const n = { mine: c?.mine, queue: c?.queue };
    clear(tabs).append(...views.map(([v, label]) => el('button', { type: 'button', dataset: { view: v }, 'aria-pressed': String(state.view === v),
      on: { click: () => { state.view = v; state.page = 1; drawTabs(c); loadList().catch(fail); } } },
    label, n[v] ? el('span', { className: 'count', text: n[v] }) : null)));
  }

  async function loadCounts() {
    const c = await api('GET', '/api/inbox/counts');
    lastCounts = c;
    setInboxCount(c);
    drawTabs(c);
    counts.textContent = `${c.waiting} công dân đang chờ cán bộ${c.escalated ? `, ${c.escalated} quá ${c.escalateAfterMinutes} phút` : ''} · ${c.unread} tin chưa đọc · tự làm mới mỗi 4 giây`;
    const fresh = checkRequests(c.requests, (r) => `Cuộc trò chuyện #${r.conversationId}${r.escalated ? ' đã quá hạn' : ' mới'}`);
    if (fresh.length) {
      banner.textContent = `${fresh.length} yêu cầu ${fresh.some((r) => r.escalated) ? 'quá hạn hoặc mới' : 'mới'} cần cán bộ.${alertsEnabled() ? '' : ' Bấm "Bật thông báo và âm báo" để được báo cả khi ở trang khác.'}`;
      banner.hidden = false;
    }
  }

  async function loadList() {
    const qs = new URLSearchParams({ view: state.view, page: String(state.page) });
    if (state.status) qs.set('status', state.status);
    if (state.q) qs.set('q', state.q);
    const data = await api('GET', `/api/inbox?${qs}`);
    state.items = data.items;
    clear(list).append(...data.items.map((c) => el('li', {},
      el('button', { type: 'button', className: 'item', dataset: { id: c.id }, 'aria-current': String(c.id === state.openId), on: { click: () => open(c.id) } },
        el('strong', {}, c.escalated ? el('span', { className: 'late', text: '⚠ Quá hạn · ' }) : null, nameOf(c),
          c.unread ? el('span', { className: 'count', title: 'Tin chưa đọc', text: c.unread }) : null),
        el('span', { className: 'muted', text: summary(c) }),
        c.last && el('span', { text: `${author(c.last)}: ${c.last.text}` })))));
    if (!data.items.length) list.append(el('li', { className: 'muted', text: state.q ? 'Không tìm thấy cuộc trò chuyện nào.' : 'Không có cuộc trò chuyện nào ở đây.' }));
    clear(paging).append(data.total > data.pageSize ? pager(data, (p) => { state.page = p; loadList().catch(fail); }) : '');
  }

  function drawHead(c) {
    const mine = c.assignedTo === me.username;
    const actions = writer ? [
      !mine && c.status !== 'solved' && el('button', { type: 'button', id: 'take', text: c.assignedTo ? `Nhận thay ${ownerText(c.assignedTo)}` : 'Nhận xử lý', on: { click: take } }),
      mine && el('button', { type: 'button', id: 'release', text: 'Trả về hàng chờ', on: { click: () => assign(me.username, null) } }),
      c.status === 'open' && el('button', { type: 'button', id: 'mark-waiting', text: 'Chờ công dân', on: { click: () => setStatus('waiting') } }),
      c.status === 'waiting' && el('button', { type: 'button', id: 'mark-open', text: 'Đang xử lý', on: { click: () => setStatus('open') } }),
      c.status !== 'solved' && el('button', { type: 'button', id: 'solve', className: 'primary', text: 'Đã giải quyết', on: { click: solve } }),
      c.status === 'solved' && el('button', { type: 'button', id: 'reopen', text: 'Mở lại', on: { click: () => setStatus('open') } }),
    ] : [];
    clear(head).append(
      el('div', { className: 'panel-head' }, el('h2', { text: nameOf(c) }),
        el('button', { type: 'button', className: 'link', text: 'Đóng', on: { click: close } })),
      el('p', { id: 'conversation-status', text: `${CHANNELS[c.channel] || c.channel} · ${summary(c)}${c.handoffAt ? ` · chuyển cán bộ lúc ${formatDate(c.handoffAt)}` : ''}` }),
      el('div', { className: 'actions' }, actions));
  }

  async function loadThread() {
    if (!state.openId) return;
    const t = await api('GET', `/api/inbox/${state.openId}`);
    state.thread = t;
    const c = t.conversation;
    const key = [c.status, c.assignedTo, c.escalated, ...t.messages.map((m) => `${m.id}:${m.deliveryStatus}`), ...t.notes.map((n) => `n${n.id}`)].join(',');
    if (key === shownKey) return;
    // Redraw only what changed, so reading an older message or typing is not interrupted.
    shownKey = key;
    drawHead(c);
    clear(thread).append(...(t.more ? [el('p', { className: 'muted', text: 'Chỉ hiện 300 tin nhắn gần nhất.' })] : []), ...timeline(t));
    if (!t.messages.length) thread.append(el('p', { className: 'muted', text: 'Chưa có tin nhắn.' }));
    thread.scrollTop = thread.scrollHeight;
    clear(contact).append(...contactPanel(t.contact, t.personal));
    contact.hidden = false;
  }

  async function open(id) {
    state.openId = id;
    shownKey = '';
    history.replaceState(null, '', `#id=${id}`);
    panel.hidden = false;
    for (const b of list.querySelectorAll('.item')) b.setAttribute('aria-current', String(Number(b.dataset.id) === id));
    try {
      await loadThread();
      await loadList();
    } catch (err) { fail(err); }
  }

  function close() {
    state.openId = null;
    panel.hidden = true;
    contact.hidden = true;
    history.replaceState(null, '', location.pathname);
  }

  const fail = (err) => notify(errorMessage(err), 'error');
  /** Runs an action, then reloads; a 409 (someone got there first) is shown and the page catches up. */
  async function act(fn, done) {
    try {
      await fn();
      if (done) notify(done);
    } catch (err) { fail(err); }
    shownKey = '';
    await Promise.all([loadThread(), loadList(), loadCounts()]).catch(fail);
  }
  const assign = (from, to) => act(() => api('POST', `/api/inbox/${state.openId}/assign`, { from, to }), to ? 'Anh/chị đã nhận xử lý cuộc trò chuyện.' : 'Đã trả về hàng chờ.');
  const take = () => {
    const c = state.thread?.conversation;
    if (!c || c.status === 'solved') return;
    if (c.assignedTo && c.assignedTo !== me.username && !confirm(`Cuộc trò chuyện đang do ${ownerText(c.assignedTo)} phụ trách. Nhận thay?`)) return;
    return assign(c.assignedTo, me.username);
  };
  const setStatus = (status) => act(() => api('POST', `/api/inbox/${state.openId}/status`, { status }), `Đã chuyển sang "${STATUS[status]}".`);
  const solve = () => {
    if (!state.thread || state.thread.conversation.status === 'solved') return;
    if (!confirm('Đánh dấu đã giải quyết? Cuộc trò chuyện trở lại cho bot và công dân được báo cán bộ đã hoàn tất hỗ trợ.')) return;
    return setStatus('solved');
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const note = modeOf() === 'note';
    const button = form.querySelector('#send');
    button.disabled = true;
    act(async () => {
      await api('POST', note ? `/api/inbox/${state.openId}/notes` : `/api/conversations/${state.openId}/reply`, { text: text.value });
      text.value = '';
    }, note ? 'Đã lưu ghi chú nội bộ.' : 'Đã gửi trả lời cho công dân.').finally(() => { button.disabled = false; });
  });
  text.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit(); });
  canned.addEventListener('change', () => {
    const item = cannedItems.find((c) => String(c.id) === canned.value);
    if (item) text.value = text.value ? `${text.value}\n${item.text}` : item.text;
    canned.value = '';
    setMode('reply');
  });
  statusFilter.addEventListener('change', () => { state.status = statusFilter.value; state.page = 1; loadList().catch(fail); });
  let searchTimer;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.q = search.value.trim(); state.page = 1; loadList().catch(fail); }, 300);
  });

  function move(step) {
    const ids = state.items.map((c) => c.id);
    if (!ids.length) return;
    const at = ids.indexOf(state.openId);
    const next = ids[at === -1 ? 0 : Math.min(ids.length - 1, Math.max(0, at + step))];
    open(next);
    list.querySelector(`.item[data-id="${next}"]`)?.focus();
  }
  document.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLElement && e.target.closest('input, textarea, select');
    if (e.key === 'Escape' && typing) { e.target.blur(); return; }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    const keys = { j: () => move(1), k: () => move(-1), '/': () => search.focus(),
      r: () => writer && state.openId && setMode('reply'), n: () => writer && state.openId && setMode('note'),
      t: () => writer && state.openId && take(), s: () => writer && state.openId && solve() };
    if (!keys[e.key]) return;
    e.preventDefault();
    keys[e.key]();
  });

  let cannedItems = [];
  const loadCanned = async () => {
    cannedItems = (await api('GET', '/api/canned-replies')).items;
    clear(canned).append(el('option', { value: '', text: cannedItems.length ? 'Chèn câu trả lời mẫu…' : 'Chưa có câu trả lời mẫu' }),
      ...cannedItems.map((c) => el('option', { value: c.id, text: c.title })));
  };

  async function refresh() {
    if (busy) return;
    busy = true;
    try {
      await Promise.all([loadCounts(), loadList(), loadThread()]);
    } catch (err) {
      notify(`Không làm mới được: ${errorMessage(err)}`, 'error');
    } finally { busy = false; }
  }

  await loadCounts();
  // An agent with nothing of their own starts on the queue.
  if (me.role === 'agent' && !state.openId && tabs.querySelector('[data-view=mine] .count') === null) state.view = 'queue';
  drawTabs(lastCounts);
  await Promise.all([loadList(), writer ? loadCanned() : null]);
  if (state.openId) await open(state.openId);
  // A notification's click (and a pasted link) sets #id=: open that conversation.
  window.addEventListener('hashchange', () => {
    const id = Number(new URLSearchParams(location.hash.slice(1)).get('id'));
    if (id && id !== state.openId) open(id);
  });
  setInterval(refresh, REFRESH_MS);
});
