import { api, latestCalls } from './api.js';
import { clear, el, errorMessage, notify, run, startPage } from './dom.js';

// The dashboard: numbers from the message log (GET /api/stats?days=N), drawn as inline SVG built node by node
// (no chart library, nothing through innerHTML). Each SVG's viewBox is as wide as its box in CSS pixels and it is
// redrawn when that width changes, so its text stays readable from a phone (360 px) to a laptop.

const SVG_NS = 'http://www.w3.org/2000/svg';
const DAY_CHOICES = [7, 14, 30];
const CHANNELS = { zalo: 'Zalo OA', messenger: 'Messenger', web: 'Trang web' };
const INTENTS = {
  greeting: 'Chào hỏi', goodbye_thanks: 'Cảm ơn, tạm biệt', help: 'Cần hướng dẫn', procedure_lookup: 'Hỏi về thủ tục',
  dossier_status: 'Tra cứu hồ sơ', model_info: 'Hỏi về mô hình cải cách', feedback: 'Phản ánh, kiến nghị', rating: 'Đánh giá',
  contact_info: 'Hỏi thông tin liên hệ', human_handoff: 'Muốn gặp cán bộ', home_service: 'Hỗ trợ tại nhà',
  subscribe: 'Đăng ký nhận thông báo', out_of_scope: 'Bot không hiểu',
};

const number = new Intl.NumberFormat('vi-VN');
const percent = (share) => `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(share * 100)}%`;
/** "2024-05-12" -> "12/05". */
const shortDay = (day) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;
const longDay = (day) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

/** An SVG element; children are nodes or text. */
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const title = (text) => svg('title', {}, text);

function root(width, height, label) {
  return svg('svg', {
    class: 'chart-svg', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': label,
    preserveAspectRatio: 'xMidYMid meet', focusable: 'false',
  }, title(label));
}

/** A round upper bound and a step for about `ticks` grid lines. */
function scale(max, ticks = 4, integer = true) {
  if (!(max > 0)) return { max: integer ? ticks : 1, step: integer ? 1 : 0.25 };
  const raw = max / ticks;
  const pow = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  if (integer) step = Math.max(1, Math.ceil(step));
  return { max: Math.ceil(max / step) * step, step };
}

/** Cuts a label to about what fits in `px` at 12 px text. */
function fit(text, px) {
  const chars = Math.max(8, Math.floor(px / 6.8));
  return text.length > chars ? `${text.slice(0, chars - 1)}…` : text;
}

/** Horizontal grid lines with their values on the left. */
function yAxis(g, { left, right, top, bottom, max, step, format }) {
  for (let v = 0; v <= max + 1e-9; v += step) {
    const y = bottom - ((bottom - top) * v) / max;
    g.append(svg('line', { class: v === 0 ? 'axis' : 'grid', x1: left, x2: right, y1: y, y2: y }),
      svg('text', { class: 'axis-label', x: left - 5, y: y + 4, 'text-anchor': 'end' }, format(v)));
  }
}

/** Day labels under the plot, thinned so they never overlap. */
function xAxis(g, days, xOf, bottom, plotWidth) {
  const every = Math.max(1, Math.ceil((days.length * 40) / plotWidth));
  days.forEach((day, i) => {
    if ((days.length - 1 - i) % every !== 0) return; // always label the last (today)
    g.append(svg('text', { class: 'axis-label', x: xOf(i), y: bottom + 16, 'text-anchor': 'middle' }, shortDay(day)));
  });
}

function emptyChart(width, label, message) {
  const s = root(width, 80, label);
  s.append(svg('text', { class: 'empty', x: width / 2, y: 44, 'text-anchor': 'middle' }, message));
  return s;
}

/** Stacked bars: one bar per day, one segment per series. */
function stackedBars(width, { days, series, value, label }) {
  const totals = days.map((d) => series.reduce((n, s) => n + value(d, s.key), 0));
  if (!totals.some((t) => t > 0)) return emptyChart(width, label, 'Chưa có tin nhắn trong khoảng thời gian này.');
  const height = width < 480 ? 200 : 240;
  const m = { left: 36, right: 8, top: 10, bottom: 26 };
  const plotW = width - m.left - m.right;
  const bottom = height - m.bottom;
  const { max, step } = scale(Math.max(...totals));
  const slot = plotW / days.length;
  const barW = Math.max(2, Math.min(36, slot * 0.7));
  const xOf = (i) => m.left + slot * i + slot / 2;
  const yOf = (v) => bottom - ((bottom - m.top) * v) / max;
  const s = root(width, height, label);
  const axes = svg('g', {});
  yAxis(axes, { left: m.left, right: width - m.right, top: m.top, bottom, max, step, format: (v) => number.format(v) });
  xAxis(axes, days, xOf, bottom, plotW);
  const bars = svg('g', {});
  days.forEach((day, i) => {
    let acc = 0;
    series.forEach((ser, k) => {
      const v = value(day, ser.key);
      if (!v) return;
      const y0 = yOf(acc);
      const y1 = yOf(acc + v);
      acc += v;
      bars.append(svg('rect', {
        class: `bar series-${k % 5}`, x: (xOf(i) - barW / 2).toFixed(1), y: y1.toFixed(1), width: barW.toFixed(1),
        height: Math.max(0.5, y0 - y1).toFixed(1), 'data-day': day, 'data-series': ser.key, 'data-value': v,
      }, title(`${longDay(day)} · ${ser.label}: ${number.format(v)} tin`)));
    });
  });
  s.append(axes, bars);
  return s;
}

/** Horizontal bars, the label above each bar (long names fit a phone). */
function horizontalBars(width, { rows, label, cls, empty }) {
  if (!rows.length) return emptyChart(width, label, empty);
  const rowH = 38;
  const height = rows.length * rowH + 4;
  const valueRoom = 48;
  const barMax = width - valueRoom;
  const max = Math.max(...rows.map((r) => r.value));
  const s = root(width, height, label);
  rows.forEach((r, i) => {
    const y = i * rowH;
    const w = Math.max(2, (barMax * r.value) / max);
    s.append(svg('g', { class: 'hrow', 'data-label': r.label, 'data-value': r.value },
      title(`${r.label}: ${number.format(r.value)} tin`),
      svg('text', { x: 0, y: y + 13 }, fit(r.label, width)),
      svg('rect', { class: 'bar-track', x: 0, y: y + 18, width: barMax, height: 14, rx: 3 }),
      svg('rect', { class: `bar hbar ${cls(r)}`, x: 0, y: y + 18, width: w.toFixed(1), height: 14, rx: 3 }),
      svg('text', { class: 'value', x: (w + 5).toFixed(1), y: y + 29 }, number.format(r.value))));
  });
  return s;
}

/** A line of the share of messages not understood per day; days without messages leave a gap. */
function shareLine(width, { points, label }) {
  const days = points.map((p) => p.day);
  if (!points.some((p) => p.inbound > 0)) return emptyChart(width, label, 'Chưa có tin nhắn của người dân trong khoảng này.');
  const height = width < 480 ? 180 : 220;
  const m = { left: 40, right: 10, top: 12, bottom: 26 };
  const plotW = width - m.left - m.right;
  const bottom = height - m.bottom;
  const { max, step } = scale(Math.min(1, Math.max(0.1, ...points.map((p) => p.share))), 4, false);
  const top = Math.min(1, max);
  const slot = plotW / days.length;
  const xOf = (i) => m.left + slot * i + slot / 2;
  const yOf = (v) => bottom - ((bottom - m.top) * v) / top;
  const s = root(width, height, label);
  const axes = svg('g', {});
  yAxis(axes, { left: m.left, right: width - m.right, top: m.top, bottom, max: top, step: Math.min(step, top), format: percent });
  xAxis(axes, days, xOf, bottom, plotW);
  s.append(axes);
  let d = '';
  let pen = false;
  points.forEach((p, i) => {
    if (!p.inbound) { pen = false; return; }
    d += `${pen ? 'L' : 'M'}${xOf(i).toFixed(1)} ${yOf(p.share).toFixed(1)} `;
    pen = true;
  });
  s.append(svg('path', { class: 'line', d: d.trim() }));
  points.forEach((p, i) => {
    if (!p.inbound) return;
    s.append(svg('circle', { class: 'dot', cx: xOf(i).toFixed(1), cy: yOf(p.share).toFixed(1), r: 3.5, 'data-day': p.day, 'data-share': p.share },
      title(`${longDay(p.day)}: ${number.format(p.notUnderstood)}/${number.format(p.inbound)} câu hỏi bot chưa hiểu (${percent(p.share)})`)));
  });
  return s;
}

function sinceText(iso) {
  if (!iso) return '';
  const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
  const wait = minutes < 60 ? `${minutes} phút` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} giờ` : `${Math.round(minutes / 1440)} ngày`;
  return `Người chờ lâu nhất: ${wait}`;
}

function card(id, labelText, value, note, extra = {}) {
  return el(extra.href ? 'a' : 'div', { className: `card stat-card ${extra.alert ? 'alert' : ''}`, id, href: extra.href },
    el('span', { className: 'stat-label', text: labelText }),
    el('span', { className: 'stat-value', text: value }),
    note && el('span', { className: 'stat-note', text: note }));
}

const params = new URLSearchParams(location.search);
let days = DAY_CHOICES.includes(Number(params.get('days'))) ? Number(params.get('days')) : 14;
// Ask for the numbers while the session is checked: one round trip less before the charts appear.
const first = api('GET', `/api/stats?days=${days}`);
first.catch(() => undefined); // handled where it is awaited

run(async () => {
  const { main } = await startPage('dashboard.html', 'Thống kê');
  const select = el('select', { id: 'days', name: 'days' },
    DAY_CHOICES.map((n) => el('option', { value: n, text: `${n} ngày gần nhất`, selected: n === days || undefined })));
  const withReplies = el('input', { type: 'checkbox', id: 'with-replies', name: 'withReplies' });
  const range = el('span', { className: 'muted', id: 'range' });
  const cards = el('div', { className: 'dash-cards', 'aria-live': 'polite' });
  const figure = (id, heading, note, wide) => {
    const body = el('div', { className: 'chart-body' });
    const legend = el('ul', { className: 'legend', hidden: true });
    const fig = el('figure', { className: `card chart ${wide ? 'wide' : ''}`, id },
      el('h2', { text: heading }), body, legend, note && el('p', { className: 'chart-note', text: note }));
    return { fig, body, legend };
  };
  const charts = {
    messages: figure('chart-messages', 'Tin nhắn mỗi ngày theo kênh', null, true),
    share: figure('chart-not-understood', 'Tỉ lệ câu hỏi bot chưa hiểu mỗi ngày', 'Câu hỏi người dân gửi (không tính câu trả lời khi điền biểu mẫu) mà bot không hiểu hoặc hiểu chưa chắc chắn (xem ở trang "Câu hỏi bot chưa hiểu").', true),
    intents: figure('chart-intents', 'Người dân hỏi gì nhiều nhất'),
    procedures: figure('chart-procedures', 'Thủ tục được hỏi nhiều nhất'),
    models: figure('chart-models', 'Mô hình cải cách được hỏi nhiều nhất'),
  };
  main.append(
    el('div', { className: 'dash-toolbar' },
      el('div', { className: 'inline-field' }, el('label', { for: 'days', text: 'Khoảng thời gian' }), select),
      el('div', { className: 'inline-field' }, withReplies, el('label', { for: 'with-replies', text: 'Tính cả tin bot trả lời' })),
      range),
    cards,
    el('div', { className: 'dash-grid' }, Object.values(charts).map((c) => c.fig)));

  let stats;
  let drawnWidth = 0;

  function draw() {
    if (!stats) return;
    const widthOf = (c) => Math.max(240, Math.floor(c.body.clientWidth || c.fig.clientWidth - 32));
    drawnWidth = main.clientWidth;
    const inbound = stats.notUnderstood.reduce((n, d) => n + d.inbound, 0);
    const missed = stats.notUnderstood.reduce((n, d) => n + d.notUnderstood, 0);
    const sent = stats.messagesPerDay.reduce((n, r) => n + r.outbound, 0);
    range.textContent = stats.days.length ? `Từ ${longDay(stats.days[0])} đến ${longDay(stats.days[stats.days.length - 1])}` : '';
    const waiting = stats.handoffs.waiting;
    clear(cards).append(
      card('card-handoffs', 'Đang chờ cán bộ trả lời', number.format(waiting),
        waiting ? sinceText(stats.handoffs.oldestWaitingSince) : 'Không có ai đang chờ', { href: 'inbox.html', alert: waiting > 0 }),
      card('card-inbound', 'Tin nhắn của người dân', number.format(inbound), `Bot đã gửi ${number.format(sent)} tin trả lời`),
      card('card-missed', 'Câu hỏi bot chưa hiểu', number.format(missed), inbound ? `${percent(missed / inbound)} số câu hỏi` : '', { href: 'review.html' }));

    // Messages per day by channel.
    const perDay = new Map();
    for (const r of stats.messagesPerDay) perDay.set(`${r.day}|${r.channel}`, withReplies.checked ? r.inbound + r.outbound : r.inbound);
    const series = stats.channels.map((key) => ({ key, label: CHANNELS[key] || key }));
    const what = withReplies.checked ? 'Tin nhắn (cả tin bot trả lời)' : 'Tin nhắn người dân gửi';
    clear(charts.messages.body).append(stackedBars(widthOf(charts.messages), {
      days: stats.days, series, value: (day, key) => perDay.get(`${day}|${key}`) ?? 0, label: `${what} mỗi ngày theo kênh`,
    }));
    clear(charts.messages.legend).append(...series.map((s, k) => el('li', {}, el('span', { className: `swatch series-${k % 5}` }), s.label)));
    charts.messages.legend.hidden = series.length === 0;

    clear(charts.share.body).append(shareLine(widthOf(charts.share), { points: stats.notUnderstood, label: 'Tỉ lệ câu hỏi bot chưa hiểu mỗi ngày' }));

    clear(charts.intents.body).append(horizontalBars(widthOf(charts.intents), {
      rows: stats.topIntents.map((r) => ({ label: INTENTS[r.intent] || r.intent, value: r.count, key: r.intent })),
      label: 'Các ý định được hỏi nhiều nhất', cls: (r) => `intent-${r.key}`, empty: 'Chưa có tin nhắn nào.',
    }));
    clear(charts.procedures.body).append(horizontalBars(widthOf(charts.procedures), {
      rows: stats.topProcedures.map((r) => ({ label: r.name, value: r.count })),
      label: 'Các thủ tục được hỏi nhiều nhất', cls: () => 'procedure', empty: 'Chưa có ai hỏi về thủ tục nào.',
    }));
    clear(charts.models.body).append(horizontalBars(widthOf(charts.models), {
      rows: (stats.topModels || []).map((r) => ({ label: r.name, value: r.count })),
      label: 'Các mô hình cải cách được hỏi nhiều nhất', cls: () => 'model', empty: 'Chưa có ai hỏi về mô hình nào.',
    }));
    main.dataset.ready = String(days);
  }

  const latest = latestCalls();
  async function load(pending) {
    const current = latest();
    main.removeAttribute('data-ready');
    try {
      const data = await (pending || api('GET', `/api/stats?days=${days}`));
      if (!current()) return; // a later choice of days is on its way
      stats = data;
      draw();
      performance.mark('dashboard-drawn');
    } catch (err) {
      notify(errorMessage(err), 'error');
    }
  }

  select.addEventListener('change', () => {
    days = Number(select.value);
    const url = new URL(location.href);
    url.searchParams.set('days', String(days));
    history.replaceState(null, '', url);
    load();
  });
  withReplies.addEventListener('change', draw);
  let timer;
  window.addEventListener('resize', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { if (main.clientWidth !== drawnWidth) draw(); }, 150);
  });
  await load(first);
});
