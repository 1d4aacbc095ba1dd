import { api, canWrite } from './api.js';
import { clear, el, errorMessage, notify, run, startPage } from './dom.js';

// Canned replies for the inbox: officials insert them into a reply; editors and admins write and change them.

run(async () => {
  const { me, main } = await startPage('canned.html', 'Câu trả lời mẫu');
  const editor = canWrite(me);
  let editing = null;

  const list = el('ul', { className: 'items', id: 'canned-list', 'aria-label': 'Câu trả lời mẫu' });
  const title = el('input', { id: 'canned-title', name: 'title', maxlength: 80, required: true });
  const text = el('textarea', { id: 'canned-text', name: 'text', rows: 5, maxlength: 2000, required: true });
  const errors = { title: el('div', { className: 'field-error' }), text: el('div', { className: 'field-error' }) };
  const heading = el('h2', { text: 'Thêm câu trả lời mẫu' });
  const remove = el('button', { type: 'button', className: 'danger', id: 'canned-delete', text: 'Xóa', hidden: true, on: { click: del } });
  const form = el('form', { className: 'form card', id: 'canned-form' },
    heading,
    el('div', { className: 'field' }, el('label', { for: 'canned-title', text: 'Tiêu đề (cán bộ chọn theo tiêu đề)' }), title, errors.title),
    el('div', { className: 'field' }, el('label', { for: 'canned-text', text: 'Nội dung gửi công dân' }), text, errors.text),
    el('div', { className: 'actions' }, el('button', { type: 'submit', className: 'primary', text: 'Lưu' }),
      el('button', { type: 'button', text: 'Thêm mới', on: { click: () => edit(null) } }), remove));
  form.addEventListener('submit', save);
  main.append(el('p', { className: 'muted', text: 'Cán bộ chèn các câu này vào ô trả lời ở Hộp thư cán bộ, sửa lại nếu cần rồi mới gửi.' }),
    el('div', { className: 'split' }, el('section', {}, list), editor ? form : el('p', { className: 'muted', text: 'Chỉ biên tập viên và quản trị sửa được câu trả lời mẫu.' })));

  function edit(item) {
    editing = item;
    heading.textContent = item ? 'Sửa câu trả lời mẫu' : 'Thêm câu trả lời mẫu';
    title.value = item?.title ?? '';
    text.value = item?.text ?? '';
    remove.hidden = !item;
    for (const e of Object.values(errors)) e.textContent = '';
    title.focus();
  }

  async function load() {
    const { items } = await api('GET', '/api/canned-replies');
    clear(list).append(...items.map((c) => el('li', {},
      el('button', { type: 'button', className: 'item', dataset: { id: c.id }, disabled: !editor, on: { click: () => edit(c) } },
        el('strong', { text: c.title }), el('span', { text: c.text })))));
    if (!items.length) list.append(el('li', { className: 'muted', text: 'Chưa có câu trả lời mẫu nào.' }));
  }

  async function save(e) {
    e.preventDefault();
    for (const x of Object.values(errors)) x.textContent = '';
    try {
      const body = { title: title.value, text: text.value };
      await (editing ? api('PUT', `/api/canned-replies/${editing.id}`, body) : api('POST', '/api/canned-replies', body));
      notify('Đã lưu câu trả lời mẫu.');
      edit(null);
      await load();
    } catch (err) {
      const fields = err.fieldErrors || {};
      for (const [k, v] of Object.entries(fields)) if (errors[k]) errors[k].textContent = v;
      if (!Object.keys(fields).some((k) => errors[k])) notify(errorMessage(err), 'error');
    }
  }

  async function del() {
    if (!editing || !confirm(`Xóa câu trả lời mẫu "${editing.title}"?`)) return;
    try {
      await api('DELETE', `/api/canned-replies/${editing.id}`);
      notify('Đã xóa câu trả lời mẫu.');
      edit(null);
      await load();
    } catch (err) { notify(errorMessage(err), 'error'); }
  }

  await load();
});
