// The local chat page: restores the conversation after a reload, opens with the greeting and menu, posts messages
// to /api/chat/messages (a message that could not be sent stays marked, with "Thử lại") and polls for replies.
// Everything the bot, an official or the user wrote is inserted as text, never as HTML.

const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('text');

const sessionId = localStorage.getItem('chatSession') ?? crypto.randomUUID().replaceAll('-', '');
localStorage.setItem('chatSession', sessionId);
// Until the server sends its wording (src/bot/texts.ts), these stand in: the page must work offline too.
let labels = { official: 'Cán bộ', bot: 'Trợ lý', failed: 'Chưa gửi được — thử lại', retry: 'Thử lại', sending: 'Đang gửi…', offline: '' };
let after = 0;
let counter = 0;

function bubble(kind, text) {
  const li = document.createElement('li');
  li.className = `msg ${kind}`;
  const body = document.createElement('span');
  body.className = 'text';
  body.textContent = text;
  li.append(body);
  log.append(li);
  li.scrollIntoView({ block: 'end' });
  return li;
}

function addButtons(li, buttons) {
  if (!buttons?.length) return;
  const row = document.createElement('div');
  row.className = 'buttons';
  for (const b of buttons) {
    let el;
    if (b.url || b.phone) {
      el = document.createElement('a');
      el.href = b.url ?? `tel:${b.phone}`;
      el.target = '_blank';
      el.rel = 'noopener';
    } else {
      el = document.createElement('button');
      el.type = 'button';
      el.addEventListener('click', () => send({ text: b.title, payload: b.payload }));
    }
    el.textContent = b.title;
    row.append(el);
  }
  li.append(row);
}

/** A reply from the bot, or from an official (labelled so nobody takes it for the bot's). */
function renderReply(m) {
  const official = m.from === 'official';
  const li = bubble(official ? 'official' : 'bot', m.text);
  li.dataset.id = String(m.id);
  if (official) {
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = labels.official;
    li.prepend(who);
  }
  addButtons(li, m.reply?.buttons);
  for (const f of m.reply?.files ?? []) {
    const a = document.createElement('a');
    a.href = f.url;
    a.textContent = `📎 ${f.name}`;
    a.target = '_blank';
    a.rel = 'noopener';
    li.append(document.createElement('br'), a);
  }
}

function markFailed(li, message) {
  li.classList.add('failed');
  li.querySelector('.status')?.remove();
  const status = document.createElement('button');
  status.type = 'button';
  status.className = 'status';
  status.textContent = message ?? labels.failed;
  status.addEventListener('click', () => post(li, li.__message));
  li.append(status);
}

async function post(li, message) {
  li.classList.remove('failed');
  li.querySelector('.status')?.remove();
  try {
    const res = await fetch('/api/chat/messages', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(message),
    });
    if (res.status === 429) {
      markFailed(li, (await res.json().catch(() => ({}))).message);
      return;
    }
    if (!res.ok && res.status !== 400) throw new Error(`HTTP ${res.status}`);
  } catch {
    markFailed(li);
    return;
  }
  poll();
}

function send({ text, payload }) {
  const li = bubble('user', text);
  counter += 1;
  // The same id on every retry: the server answers a message once however often it arrives.
  li.__message = { sessionId, clientMessageId: `${Date.now()}-${counter}`, text, payload };
  return post(li, li.__message);
}

let polling = false;
async function poll() {
  if (polling) return;
  polling = true;
  try {
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`/api/chat/messages?sessionId=${sessionId}&after=${after}`).catch(() => null);
      if (res?.ok) {
        const { messages } = await res.json();
        for (const m of messages) {
          after = Math.max(after, m.id);
          renderReply(m);
        }
        if (messages.length) break;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  } finally {
    polling = false;
  }
}

/** The conversation so far (both sides), or the greeting and menu on a first visit. */
async function restore() {
  const res = await fetch(`/api/chat/messages?sessionId=${sessionId}&after=0&all=1`).catch(() => null);
  if (!res?.ok) return;
  const data = await res.json();
  if (data.labels) labels = { ...labels, ...data.labels };
  for (const m of data.messages) {
    after = Math.max(after, m.id);
    if (m.from === 'citizen') bubble('user', m.text);
    else renderReply(m);
  }
  if (data.welcome) {
    const li = bubble('welcome', data.welcome.text);
    addButtons(li, data.welcome.buttons);
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send({ text });
});

restore().finally(() => setInterval(poll, 3000));
