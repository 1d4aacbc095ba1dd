// The local chat page: posts messages to /api/chat/messages and polls for the bot's replies.
// Everything the bot or the user wrote is inserted as text, never as HTML.

const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('text');

const sessionId = localStorage.getItem('chatSession') ?? crypto.randomUUID().replaceAll('-', '');
localStorage.setItem('chatSession', sessionId);
let after = 0;
let counter = 0;

function bubble(kind, text) {
  const li = document.createElement('li');
  li.className = `msg ${kind}`;
  li.textContent = text;
  log.append(li);
  li.scrollIntoView({ block: 'end' });
  return li;
}

function renderReply(m) {
  const li = bubble('bot', m.text);
  li.dataset.id = String(m.id);
  const buttons = m.reply?.buttons ?? [];
  if (buttons.length) {
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
        el.addEventListener('click', () => send({ payload: b.payload, shown: b.title }));
      }
      el.textContent = b.title;
      row.append(el);
    }
    li.append(row);
  }
  for (const f of m.reply?.files ?? []) {
    const a = document.createElement('a');
    a.href = f.url;
    a.textContent = `📎 ${f.name}`;
    a.target = '_blank';
    a.rel = 'noopener';
    li.append(document.createElement('br'), a);
  }
}

async function send({ text, payload, shown }) {
  bubble('user', shown ?? text);
  counter += 1;
  const res = await fetch('/api/chat/messages', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ sessionId, clientMessageId: `${Date.now()}-${counter}`, text, payload }),
  });
  if (!res.ok) bubble('bot', 'Dạ, tin nhắn chưa gửi được, anh/chị thử lại giúp em ạ.');
  poll();
}

let polling = false;
async function poll() {
  if (polling) return;
  polling = true;
  try {
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`/api/chat/messages?sessionId=${sessionId}&after=${after}`);
      if (res.ok) {
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

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  send({ text });
});

setInterval(poll, 3000);
poll();
