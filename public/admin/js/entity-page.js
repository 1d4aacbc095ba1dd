import { api, canWrite } from './api.js';
import { clear, el, errorMessage, formatDate, notify, pager, run, startPage } from './dom.js';

// One page for one kind of knowledge-base entry: search, list, create, edit, delete, history and restore.
// `config`: { file, path, title, newLabel, itemTitle(row), itemMeta(row), fields: [{ name, label, kind, ... }] }

const ACTIONS = { create: 'Tạo mới', update: 'Sửa', delete: 'Xóa', restore: 'Khôi phục' };

// How each kind of field is shown and read back into the JSON the API expects.
const KINDS = {
  text: { control: () => el('input', { type: 'text' }), read: (c) => c.value.trim(), show: (c, v) => { c.value = v ?? ''; } },
  url: { control: () => el('input', { type: 'url', inputmode: 'url' }), read: (c) => c.value.trim(), show: (c, v) => { c.value = v ?? ''; } },
  textarea: { control: () => el('textarea', { rows: 6 }), read: (c) => c.value.trim(), show: (c, v) => { c.value = v ?? ''; } },
  number: {
    control: () => el('input', { type: 'number', step: 1 }),
    read: (c) => (c.value === '' ? null : Number(c.value)),
    show: (c, v) => { c.value = v ?? ''; },
  },
  bool: { control: () => el('input', { type: 'checkbox' }), read: (c) => c.checked, show: (c, v) => { c.checked = Boolean(v); } },
  lines: {
    control: () => el('textarea', { rows: 4 }),
    read: (c) => c.value.split('\n').map((s) => s.trim()).filter(Boolean),
    show: (c, v) => { c.value = (v || []).join('\n'); },
  },
  // "Tiêu đề | https://..." or "Tiêu đề | mã" per line: buttons ({title, url|payload}) and forms ({name, url}).
  buttons: {
    control: () => el('textarea', { rows: 3 }),
    read: (c) => pairs(c.value).map(([title, target]) => (/^https?:\/\//i.test(target) ? { title, url: target } : { title, payload: target })),
    show: (c, v) => { c.value = (v || []).map((b) => `${b.title} | ${b.url || b.payload || ''}`).join('\n'); },
  },
  forms: {
    control: () => el('textarea', { rows: 3 }),
    read: (c) => pairs(c.value).map(([name, url]) => ({ name, url })),
    show: (c, v) => { c.value = (v || []).map((f) => `${f.name} | ${f.url}`).join('\n'); },
  },
};

function pairs(text) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const at = line.lastIndexOf('|');
    return at < 0 ? [line, ''] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
  });
}

function readField(field, control) {
  const value = KINDS[field.kind].read(control);
  return field.nullable && (value === '' || value === null) ? null : value;
}

export function entityPage(config) {
  run(async () => {
    const { me, main } = await startPage(config.file, config.title);
    const writer = canWrite(me);
    const base = `/api/${config.path}`;
    let query = { q: '', page: 1 };

    const search = el('input', { type: 'search', name: 'q', placeholder: 'Tìm (gõ có dấu hoặc không dấu)…', 'aria-label': 'Tìm kiếm' });
    const list = el('ul', { className: 'items', 'aria-label': 'Danh sách' });
    const paging = el('div');
    const editor = el('section', { className: 'editor card', hidden: true, 'aria-live': 'polite' });
    main.append(
      el('div', { className: 'toolbar' },
        el('form', { className: 'search', on: { submit: (e) => { e.preventDefault(); query = { q: search.value, page: 1 }; load(); } } },
          search, el('button', { type: 'submit', text: 'Tìm' })),
        writer && el('button', { type: 'button', className: 'primary', text: config.newLabel, on: { click: () => edit(null) } }),
        el('button', { type: 'button', text: 'Mục đã xóa', on: { click: showDeleted } })),
      el('div', { className: 'split' }, el('section', { className: 'list' }, list, paging), editor),
    );

    async function load() {
      const params = new URLSearchParams({ page: String(query.page) });
      if (query.q.trim()) params.set('q', query.q.trim());
      const data = await api('GET', `${base}?${params}`);
      clear(list).append(...data.items.map((row) => el('li', {},
        el('button', { type: 'button', className: 'item', dataset: { id: row.id }, on: { click: () => open(row.id) } },
          el('strong', { text: config.itemTitle(row) }),
          el('span', { className: 'muted', text: config.itemMeta(row) })))));
      if (!data.items.length) list.append(el('li', { className: 'muted', text: 'Không có mục nào phù hợp.' }));
      clear(paging).append(pager(data, (page) => { query.page = page; load().catch(fail); }));
    }

    function fail(err) { notify(errorMessage(err), 'error'); }

    function panel(title) {
      clear(editor).hidden = false;
      editor.append(el('div', { className: 'panel-head' }, el('h2', { text: title }),
        el('button', { type: 'button', className: 'link', text: 'Đóng', on: { click: () => { editor.hidden = true; history.replaceState(null, '', location.pathname); } } })));
      editor.scrollIntoView({ block: 'start', behavior: 'smooth' });
      return editor;
    }

    async function open(id) {
      try { edit(await api('GET', `${base}/${id}`)); } catch (err) { fail(err); }
    }

    function edit(row) {
      history.replaceState(null, '', row ? `#id=${row.id}` : location.pathname);
      const box = panel(row ? `${config.itemTitle(row)}` : config.newLabel);
      const controls = {};
      const errors = {};
      const form = el('form', { className: 'form', novalidate: true });
      for (const field of config.fields) {
        const control = KINDS[field.kind].control();
        control.name = field.name;
        control.id = `f-${field.name}`;
        control.disabled = !writer;
        KINDS[field.kind].show(control, row ? row[field.name] : field.initial);
        controls[field.name] = control;
        errors[field.name] = el('span', { className: 'field-error', id: `e-${field.name}`, hidden: true });
        control.setAttribute('aria-describedby', `e-${field.name}`);
        form.append(el('div', { className: field.kind === 'bool' ? 'field check' : 'field' },
          el('label', { for: control.id, text: field.required ? `${field.label} *` : field.label }),
          control, field.hint && el('small', { className: 'muted', text: field.hint }), errors[field.name]));
      }
      if (row) box.append(el('p', { className: 'muted', text: `Mã số ${row.id} · phiên bản ${row.version} · cập nhật ${formatDate(row.updatedAt)}` }));
      const actions = el('div', { className: 'actions' });
      if (writer) actions.append(el('button', { type: 'submit', className: 'primary', text: row ? 'Lưu thay đổi' : 'Tạo mới' }));
      if (row) actions.append(el('button', { type: 'button', text: 'Lịch sử phiên bản', on: { click: () => showHistory(row.id) } }));
      if (row && config.tryText) actions.append(el('a', { className: 'button', href: `try.html?${new URLSearchParams({ q: config.tryText(row) })}`, text: 'Thử với bot' }));
      if (row && writer) actions.append(el('button', { type: 'button', className: 'danger', text: 'Xóa', on: { click: () => remove(row) } }));
      form.append(actions);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        for (const span of Object.values(errors)) span.hidden = true;
        const body = {};
        for (const field of config.fields) {
          const value = readField(field, controls[field.name]);
          const before = row ? row[field.name] : undefined;
          if (!row || JSON.stringify(value) !== JSON.stringify(field.nullable ? before ?? null : before)) body[field.name] = value;
        }
        if (row && !Object.keys(body).length) return notify('Chưa có thay đổi nào để lưu.');
        try {
          const saved = row ? await api('PATCH', `${base}/${row.id}`, { ...body, version: row.version }) : await api('POST', base, body);
          notify(row ? 'Đã lưu. Bot dùng nội dung mới ngay.' : `Đã tạo mục mới (mã số ${saved.id}).`);
          await load();
          edit(saved);
        } catch (err) {
          const fields = err.fieldErrors || {};
          for (const [name, message] of Object.entries(fields)) {
            if (errors[name]) { errors[name].textContent = message; errors[name].hidden = false; }
          }
          notify(err.status === 409 && !Object.keys(fields).length
            ? `${err.message} (Bấm "Đóng" rồi mở lại mục để tải bản mới nhất.)` : errorMessage(err), 'error');
        }
      });
      box.append(form);
      (Object.values(controls)[0])?.focus({ preventScroll: true });
    }

    async function remove(row) {
      if (!confirm(`Xóa "${config.itemTitle(row)}"? Có thể khôi phục lại từ lịch sử phiên bản.`)) return;
      try {
        await api('DELETE', `${base}/${row.id}`);
        notify('Đã xóa. Có thể khôi phục trong "Mục đã xóa".');
        editor.hidden = true;
        await load();
      } catch (err) { fail(err); }
    }

    async function restore(id, revisionId) {
      try {
        const row = await api('POST', `${base}/${id}/revisions/${revisionId}/restore`);
        notify(`Đã khôi phục thành phiên bản ${row.version}.`);
        await load();
        edit(row);
      } catch (err) { fail(err); }
    }

    async function showHistory(id) {
      history.replaceState(null, '', `#history=${id}`);
      const box = panel(`Lịch sử phiên bản · mã số ${id}`);
      const { items } = await api('GET', `${base}/${id}/revisions`).catch((err) => { fail(err); return { items: [] }; });
      if (!items.length) box.append(el('p', { className: 'muted', text: 'Chưa có lịch sử cho mục này.' }));
      box.append(el('ol', { className: 'revisions' }, items.map((rev, i) => {
        const first = i === items.length - 1;
        const changes = diffTable(rev.diff, first);
        if (!first) changes.hidden = rev.diff.length > 6;
        return el('li', {},
          el('div', {}, el('strong', { text: `Phiên bản ${rev.version} · ${ACTIONS[rev.action] || rev.action}` }),
            el('span', { className: 'muted', text: ` · ${rev.changedBy || 'hệ thống'} · ${formatDate(rev.createdAt)}` })),
          !first && el('div', { className: 'muted', text: rev.diff.length ? `Đã đổi: ${rev.diff.map((d) => d.label).join(', ')}` : 'Không đổi trường nào.' }),
          el('div', { className: 'actions' },
            (first || changes.hidden) && el('button', { type: 'button', className: 'link', text: first ? 'Xem nội dung' : 'Xem thay đổi', on: { click: () => { changes.hidden = !changes.hidden; } } }),
            writer && (i > 0 || rev.action === 'delete') && el('button', {
              type: 'button', text: 'Khôi phục bản này', on: { click: () => restore(id, rev.id) },
            })),
          changes);
      })));
    }

    /** The fields a version changed, before and after, as the form labels them; the first version, what it held. */
    function diffTable(diff, first) {
      const table = el('table', { className: 'table diff' },
        el('thead', {}, el('tr', {}, (first ? ['Trường', 'Nội dung'] : ['Trường', 'Trước', 'Sau']).map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, diff.map((d) => el('tr', {},
          el('th', { scope: 'row', text: d.label }),
          !first && el('td', { className: 'before', text: d.before || '(trống)' }),
          el('td', { className: 'after', text: d.after || '(trống)' })))));
      if (first) table.hidden = true;
      return table;
    }

    async function showDeleted() {
      const box = panel('Mục đã xóa');
      try {
        const { items } = await api('GET', `${base}/deleted`);
        if (!items.length) box.append(el('p', { className: 'muted', text: 'Không có mục nào bị xóa.' }));
        box.append(el('ul', { className: 'revisions' }, items.map((d) => el('li', {},
          el('strong', { text: d.name || `Mã số ${d.id}` }),
          el('span', { className: 'muted', text: ` · xóa bởi ${d.deletedBy || 'hệ thống'} lúc ${formatDate(d.deletedAt)}` }),
          el('div', { className: 'actions' },
            writer && el('button', { type: 'button', text: 'Khôi phục', on: { click: () => restore(d.id, d.revisionId) } }),
            el('button', { type: 'button', className: 'link', text: 'Lịch sử', on: { click: () => showHistory(d.id) } }))))));
      } catch (err) { fail(err); }
    }

    await load();
    const hash = /^#(id|history)=(\d+)$/.exec(location.hash);
    if (hash) await (hash[1] === 'id' ? open(hash[2]) : showHistory(hash[2]));
  });
}
