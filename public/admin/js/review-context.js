import { api } from './api.js';
import { clear, el, errorMessage, formatDate } from './dom.js';

// The review list's context: why a message is listed, and the conversation around it (who said what, the buttons
// the bot offered, which option the citizen picked), loaded when the official opens it.

export const REASONS = { not_understood: 'Bot chưa hiểu', rejected: 'Người dân nói bot trả lời sai', low_margin: 'Bot trả lời khi chưa chắc chắn' };
const FROM = { citizen: 'Người dân', bot: 'Bot', notification: 'Thông báo tự động' };
const author = (t) => (t.from === 'official' ? `Cán bộ ${t.official === 'platform-inbox' ? '(hộp thư của nền tảng)' : t.official}` : FROM[t.from] || t.from);

function turnView(t) {
  return el('li', { className: `review-turn${t.current ? ' current' : ''}`, dataset: { from: t.from } },
    el('span', { className: 'muted', text: `${author(t)} · ${formatDate(t.createdAt)}: ` }),
    t.current ? el('strong', { text: t.text }) : el('span', { text: t.text }),
    t.buttons.length > 0 && el('span', { className: 'muted', text: ` [nút: ${t.buttons.join(' | ')}]` }));
}

function clarificationView(c) {
  const picked = c.picked ? `người dân chọn "${c.picked}"` : c.status === 'abandoned' ? 'người dân bỏ qua, hỏi việc khác' : 'người dân chưa chọn';
  return el('p', { className: 'review-options' }, el('strong', { text: 'Bot hỏi lại thủ tục nào: ' }), `${c.options.join('; ')} → ${picked}.`);
}

/** A <details> for one listed message: its reasons in the summary, its conversation when opened. */
export function contextDetails(example) {
  const body = el('div', { className: 'review-context' }, el('p', { className: 'muted', text: 'Đang tải…' }));
  const details = el('details', { className: 'review-example', dataset: { id: example.id } },
    el('summary', { text: `"${example.text}" · ${formatDate(example.createdAt)} · ${example.reasons.map((r) => REASONS[r] || r).join(', ')}` }),
    body);
  let loaded = false;
  details.addEventListener('toggle', async () => {
    if (!details.open || loaded) return;
    loaded = true;
    try {
      const ctx = await api('GET', `/api/review/context/${example.id}`);
      clear(body).append(
        ctx.clarification && clarificationView(ctx.clarification),
        el('ol', { className: 'review-turns' }, ctx.turns.map(turnView)));
    } catch (err) {
      loaded = false;
      clear(body).append(el('p', { className: 'field-error', text: errorMessage(err) }));
    }
  });
  return details;
}
