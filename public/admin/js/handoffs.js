import { api } from './api.js';
import { clear, el, errorMessage, formatDate, notify, run, startPage } from './dom.js';

// The hand-off inbox: citizens waiting for an official (oldest first), their conversation, the official's reply
// (sent through the citizen's own channel) and the hand-back to the bot. Refreshes every 5 s without touching
// what the official is typing.

const REFRESH_MS = 5000;
const CHANNELS = { zalo: 'Zalo', messenger: 'Messenger', web: 'Trang web' };
const STATUS = { waiting: 'Đang chờ cán bộ', active: 'Cán bộ đang hỗ trợ' };
const DELIVERY = { pending: 'đang gửi…', failed: 'gửi lỗi', undelivered: 'không gửi được (quá thời hạn nhắn tin của nền tảng)' };

const canReply = (me) => me.role === 'admin' || me.role === 'agent';
const nameOf = (c) => c.displayName || `${CHANNELS[c.channel] || c.channel} · ${c.userId}`;

function author(m) {
  if (m.direction === 'in') return m.sentBy === 'official' ? 'Cán bộ (hộp thư của nền tảng)' : 'Công dân';
  if (m.sentBy && m.sentBy.startsWith('agent:')) return `Cán bộ ${m.sentBy.slice(6)}`;
  return m.sentBy === 'notification' ? 'Thông báo tự động' : 'Bot';
}

/** Layout set through the CSSOM (the page's CSP forbids inline style attributes). */
function styled(node, style) {
  Object.assign(node.style, style);
  return node;
}

function bubble(m) {
  const inbound = m.direction === 'in';
  const meta = [author(m), formatDate(m.createdAt), !inbound && DELIVERY[m.deliveryStatus]].filter(Boolean).join(' · ');
  const node = el('div', { className: 'bubble message', dataset: { id: m.id, direction: m.direction } },
    el('div', { className: 'muted', text: meta }),
    el('p', { className: 'reply-text', text: m.text }),
    m.buttons.length > 0 && el('div', { className: 'chips' }, m.buttons.map((b) => el('span', { className: 'chip', text: b }))));
  return styled(node, inbound
    ? { background: '#fff', border: '1px solid var(--line)', marginRight: 'auto' }
    : { marginLeft: 'auto' });
}

function summary(c) {
  const parts = [STATUS[c.handoffStatus] || 'Bot đang trả lời'];
  if (c.handoffStatus === 'waiting' && c.waitingMinutes !== null) parts.push(`chờ ${c.waitingMinutes} phút`);
  if (c.assignedTo) parts.push(`phụ trách: ${c.assignedTo}`);
  return parts.join(' · ');
}

run(async () => {
  const { me, main } = await startPage('handoffs.html', 'Hộp thư cán bộ');
  const writer = canReply(me);
  let openId = Number(new URLSearchParams(location.hash.slice(1)).get('id')) || null;
  let shownKey = '';
  let busy = false;

  const status = el('p', { className: 'muted', 'aria-live': 'polite' });
  const list = el('ul', { className: 'items', 'aria-label': 'Cuộc trò chuyện đang chờ' });
  const panel = el('section', { className: 'editor card', hidden: true, 'aria-live': 'polite' });
  const head = el('div');
  const thread = styled(el('div', { className: 'thread', 'aria-label': 'Tin nhắn' }),
    { display: 'flex', flexDirection: 'column', gap: '.25rem', maxHeight: '55vh', overflowY: 'auto', margin: '.75rem 0' });
  const text = el('textarea', { id: 'reply-text', name: 'text', rows: 3, maxlength: 2000, required: true, placeholder: 'Nhập nội dung trả lời công dân…' });
  const form = el('form', { className: 'form', id: 'reply-form' },
    el('div', { className: 'field' }, el('label', { for: 'reply-text', text: 'Trả lời (gửi qua kênh công dân đang dùng)' }), text),
    el('div', { className: 'actions' },
      el('button', { type: 'submit', className: 'primary', text: 'Gửi trả lời' }),
      el('button', { type: 'button', id: 'handback', text: 'Trả lại cho bot', on: { click: handBack } })));
  form.addEventListener('submit', send);
  panel.append(head, thread, writer ? form : el('p', { className: 'muted', text: 'Tài khoản chỉ xem: không trả lời được.' }));

  main.append(
    el('div', { className: 'toolbar' }, status),
    el('div', { className: 'split' }, el('section', { className: 'list' }, list), panel));

  async function loadList() {
    const data = await api('GET', '/api/handoffs');
    const late = data.items.filter((c) => c.escalated).length;
    status.textContent = `${data.items.length} cuộc trò chuyện cần cán bộ${late ? `, ${late} quá ${data.escalateAfterMinutes} phút chưa trả lời` : ''} · tự làm mới mỗi 5 giây`;
    clear(list).append(...data.items.map((c) => {
      const last = c.lastMessages[c.lastMessages.length - 1];
      return el('li', {},
        el('button', { type: 'button', className: 'item', dataset: { id: c.id }, 'aria-current': c.id === openId ? 'true' : undefined, on: { click: () => open(c.id) } },
          el('strong', { text: `${c.escalated ? '⚠ Quá hạn · ' : ''}${nameOf(c)}` }),
          el('span', { className: 'muted', text: summary(c) }),
          last && el('span', { text: `${author(last)}: ${last.text}` })));
    }));
    if (!data.items.length) list.append(el('li', { className: 'muted', text: 'Không có công dân nào đang chờ cán bộ.' }));
  }

  async function loadThread() {
    if (!openId) return;
    const { conversation: c, items } = await api('GET', `/api/conversations/${openId}/messages`);
    clear(head).append(
      el('div', { className: 'panel-head' }, el('h2', { text: nameOf(c) }),
        el('button', { type: 'button', className: 'link', text: 'Đóng', on: { click: close } })),
      el('dl', { className: 'facts' },
        el('dt', { text: 'Kênh' }), el('dd', { text: CHANNELS[c.channel] || c.channel }),
        el('dt', { text: 'Trạng thái' }), el('dd', { id: 'conversation-status', text: `${summary(c)}${c.escalated ? ' · đã báo quá hạn' : ''}` }),
        el('dt', { text: 'Chuyển cán bộ lúc' }), el('dd', { text: formatDate(c.handoffAt) || '—' })));
    const handback = document.getElementById('handback');
    if (handback) handback.disabled = !c.handoffStatus;
    // Redraw the messages only when they changed, so reading an older message is not interrupted.
    const key = items.map((m) => `${m.id}:${m.deliveryStatus}`).join(',');
    if (key === shownKey) return;
    shownKey = key;
    clear(thread).append(...items.map(bubble));
    if (!items.length) thread.append(el('p', { className: 'muted', text: 'Chưa có tin nhắn.' }));
    thread.scrollTop = thread.scrollHeight;
  }

  async function open(id) {
    openId = id;
    shownKey = '';
    history.replaceState(null, '', `#id=${id}`);
    panel.hidden = false;
    for (const b of list.querySelectorAll('.item')) b.setAttribute('aria-current', String(Number(b.dataset.id) === id));
    try {
      await loadThread();
      if (writer) text.focus();
    } catch (err) {
      notify(errorMessage(err), 'error');
    }
  }

  function close() {
    openId = null;
    panel.hidden = true;
    history.replaceState(null, '', location.pathname);
  }

  async function send(e) {
    e.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await api('POST', `/api/conversations/${openId}/reply`, { text: text.value });
      text.value = '';
      notify('Đã gửi trả lời cho công dân.');
      await Promise.all([loadThread(), loadList()]);
    } catch (err) {
      notify(errorMessage(err), 'error');
    } finally {
      button.disabled = false;
    }
  }

  async function handBack() {
    if (!confirm('Trả cuộc trò chuyện này lại cho bot? Công dân sẽ nhận tin nhắn báo cán bộ đã hoàn tất hỗ trợ.')) return;
    try {
      await api('POST', `/api/conversations/${openId}/handback`, {});
      notify('Đã trả cuộc trò chuyện lại cho bot.');
      await Promise.all([loadThread(), loadList()]);
    } catch (err) {
      notify(errorMessage(err), 'error');
    }
  }

  async function refresh() {
    if (busy) return;
    busy = true;
    try {
      await Promise.all([loadList(), loadThread()]);
    } catch (err) {
      notify(`Không làm mới được: ${errorMessage(err)}`, 'error');
    } finally {
      busy = false;
    }
  }

  await loadList();
  if (openId) await open(openId);
  setInterval(refresh, REFRESH_MS);
});
