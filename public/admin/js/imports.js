import { getMe } from './api.js';
import { clear, el, notify, run, startPage } from './dom.js';

// Imports of procedures, FAQs and dossiers from CSV/XLSX, and exports of the knowledge base.
// The file goes up with XMLHttpRequest so the page can show the upload's progress; then the bar turns
// indeterminate while the server reads, checks and writes. An import is all or nothing on the server: a single
// invalid row means nothing is written, and every row problem is listed here (row, column, reason).

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The server's limit (MAX_UPLOAD_BYTES in src/console/data-routes.ts): bigger files are refused before uploading. */
const MAX_BYTES = 50 * 1024 * 1024;

const KINDS = {
  procedures: {
    label: 'Thủ tục hành chính', roles: ['admin', 'editor'],
    required: ['Tên thủ tục', 'Lĩnh vực', 'Cấp thực hiện', 'Cơ quan thực hiện', 'Thời hạn giải quyết', 'Phí, lệ phí', 'Nơi nộp', 'Cách thức thực hiện'],
    optional: ['Mã thủ tục', 'Thành phần hồ sơ', 'Nộp trực tuyến', 'Link nộp trực tuyến', 'Căn cứ pháp lý', 'Biểu mẫu', 'Tên gọi khác'],
  },
  faqs: {
    label: 'Câu hỏi thường gặp', roles: ['admin', 'editor'],
    required: ['Câu hỏi', 'Trả lời'], optional: ['Nhãn', 'Đang dùng', 'Nút bấm'],
  },
  dossiers: {
    label: 'Hồ sơ (tình trạng giải quyết)', roles: ['admin', 'editor', 'agent'],
    required: ['Mã hồ sơ', 'Tên thủ tục (hoặc Mã thủ tục)', 'Trạng thái', 'Người nộp', 'Cơ quan', 'Ngày tiếp nhận', 'Ngày hẹn trả'],
    optional: ['Số điện thoại', 'Ghi chú'],
  },
};

const EXPORTS = [
  { kind: 'procedures', label: 'Thủ tục hành chính' },
  { kind: 'faqs', label: 'Câu hỏi thường gặp' },
];

/** text/csv or the xlsx type, from the file name (browsers often report .csv as Excel's type). */
function contentType(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.xlsx')) return XLSX;
  return null;
}

const megabytes = (bytes) => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** POSTs the file; reports upload progress, then 'server' when the last byte is sent. */
function upload(url, file, type, csrfToken, onPhase) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('content-type', type);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.responseType = 'text';
    xhr.upload.addEventListener('progress', (e) => onPhase('upload', e.lengthComputable ? e.loaded / e.total : undefined));
    xhr.upload.addEventListener('load', () => onPhase('server'));
    xhr.addEventListener('load', () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      resolve({ status: xhr.status, body });
    });
    xhr.addEventListener('error', () => reject(new Error('Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.')));
    xhr.addEventListener('abort', () => reject(new Error('Đã huỷ tải lên.')));
    onPhase('upload', 0);
    xhr.send(file);
  });
}

run(async () => {
  const { me, main } = await startPage('imports.html', 'Nhập, xuất dữ liệu');
  const allowed = Object.entries(KINDS).filter(([, k]) => k.roles.includes(me.role));

  const kind = el('select', { id: 'kind', name: 'kind' },
    allowed.map(([value, k]) => el('option', { value, text: k.label })));
  const file = el('input', { type: 'file', id: 'file', name: 'file', accept: `.csv,.xlsx,text/csv,${XLSX}`, required: true });
  const columns = el('p', { className: 'columns-hint muted', id: 'columns-hint' });
  const dryButton = el('button', { type: 'submit', id: 'dry-run', value: 'dry', text: 'Kiểm tra thử' });
  const importButton = el('button', { type: 'submit', id: 'do-import', className: 'primary', value: 'import', text: 'Nhập' });
  const progress = el('progress', { id: 'import-progress', max: 100, hidden: true });
  const status = el('span', { id: 'import-status', className: 'muted', role: 'status', 'aria-live': 'polite' });
  const result = el('section', { id: 'import-result', className: 'import-result', 'aria-live': 'polite' });

  const showColumns = () => {
    const k = KINDS[kind.value];
    if (!k) return;
    clear(columns).append(el('strong', { text: 'Cột bắt buộc: ' }), k.required.join('; '), '. ',
      el('span', { text: `Cột thêm (không bắt buộc): ${k.optional.join('; ')}.` }));
  };
  kind.addEventListener('change', () => { showColumns(); clear(result); });
  file.addEventListener('change', () => clear(result));
  showColumns();

  const form = el('form', { className: 'card form import-form', novalidate: true },
    el('div', { className: 'field' }, el('label', { for: 'kind', text: 'Loại dữ liệu' }), kind),
    el('div', { className: 'field' }, el('label', { for: 'file', text: 'Tệp CSV hoặc Excel (.xlsx)' }), file,
      el('small', { className: 'muted', text: 'Dòng đầu tiên là tiêu đề cột. Tên cột viết có dấu hoặc không dấu đều được.' })),
    columns,
    el('div', { className: 'actions' }, dryButton, importButton),
    el('div', { className: 'progress-box' }, progress, status));

  main.append(
    el('p', { className: 'lead muted', text: 'Nhập dữ liệu từ bảng tính của cơ quan. Nên bấm "Kiểm tra thử" trước: hệ thống đọc toàn bộ tệp và liệt kê mọi dòng có lỗi mà chưa ghi gì. '
      + 'Khi nhập thật, nếu còn bất kỳ dòng nào lỗi thì không dòng nào được nhập.' }),
    allowed.length ? form : el('p', { className: 'notice', text: 'Tài khoản của anh/chị không có quyền nhập dữ liệu; vẫn có thể xuất dữ liệu ở dưới.' }),
    result,
    exportsView());

  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const dryRun = e.submitter ? e.submitter.value === 'dry' : true;
    const chosen = file.files && file.files[0];
    clear(result);
    if (!chosen) return void notify('Vui lòng chọn tệp cần nhập.', 'error');
    const type = contentType(chosen);
    if (!type) return void notify('Chỉ nhận tệp .csv hoặc .xlsx. Trong Excel chọn "Lưu thành" → "Sổ làm việc Excel (.xlsx)" hoặc "CSV UTF-8".', 'error');
    if (chosen.size > MAX_BYTES) return void notify(`Tệp lớn quá ${megabytes(MAX_BYTES)} (${megabytes(chosen.size)}): hãy chia thành nhiều tệp.`, 'error');
    const what = KINDS[kind.value].label.toLowerCase();
    busy = true;
    dryButton.disabled = true;
    importButton.disabled = true;
    const started = performance.now();
    const params = new URLSearchParams({ filename: chosen.name });
    if (dryRun) params.set('dryRun', '1');
    const setPhase = (phase, fraction) => {
      progress.hidden = false;
      progress.dataset.phase = phase;
      if (phase === 'upload') {
        if (fraction === undefined) progress.removeAttribute('value');
        else progress.value = Math.round(fraction * 100);
        status.textContent = `Đang tải tệp lên… ${fraction === undefined ? '' : `${Math.round(fraction * 100)}%`} (${megabytes(chosen.size)})`;
      } else if (phase === 'server') {
        progress.removeAttribute('value'); // indeterminate: the server reads, checks and writes
        status.textContent = dryRun ? 'Máy chủ đang kiểm tra từng dòng…' : 'Máy chủ đang kiểm tra và nhập dữ liệu…';
      }
    };
    try {
      const me2 = await getMe();
      const { status: code, body } = await upload(`/api/imports/${encodeURIComponent(kind.value)}?${params}`, chosen, type, me2.csrfToken, setPhase);
      progress.value = 100;
      progress.dataset.phase = 'done';
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (code === 401) {
        location.assign(`/admin/login.html?next=${encodeURIComponent(location.pathname)}`);
        return;
      }
      if (body && Array.isArray(body.errors) && typeof body.rows === 'number') {
        status.textContent = `Xong sau ${seconds} giây.`;
        showSummary(body, what);
        if (!body.ok) notify(body.message || 'Tệp có dòng không hợp lệ; chưa nhập dòng nào.', 'error');
        else notify(body.dryRun ? 'Tệp hợp lệ: chưa nhập gì. Bấm "Nhập" để nhập thật.' : 'Đã nhập xong.');
        return;
      }
      progress.hidden = true;
      status.textContent = '';
      const issues = body && Array.isArray(body.issues) ? body.issues.map((i) => i.message).join('; ') : '';
      const message = code === 403 ? 'Tài khoản của anh/chị không có quyền nhập loại dữ liệu này.'
        : issues || (body && typeof body.error === 'string' ? body.error : `Lỗi ${code}`);
      notify(message, 'error');
    } catch (err) {
      progress.hidden = true;
      status.textContent = '';
      notify(err.message || 'Đã có lỗi, vui lòng thử lại.', 'error');
    } finally {
      busy = false;
      dryButton.disabled = false;
      importButton.disabled = false;
    }
  });

  function showSummary(s, what) {
    const invalidRows = new Set(s.errors.filter((e) => e.row > 0).map((e) => e.row)).size;
    const heading = !s.ok ? `Tệp có ${s.errors.length} lỗi${invalidRows ? ` ở ${invalidRows} dòng` : ''}: chưa nhập dòng nào.`
      : s.dryRun ? `Kiểm tra xong: ${s.rows} dòng ${what} đều hợp lệ. Chưa nhập gì.`
        : `Đã nhập ${s.rows} dòng ${what}. Bot dùng dữ liệu mới ngay.`;
    const facts = [['Số dòng', s.rows]];
    if (s.ok) {
      const verb = s.dryRun ? 'Sẽ ' : 'Đã ';
      facts.push([`${verb}thêm mới`, s.created], [`${verb}cập nhật`, s.updated], ['Không thay đổi', s.unchanged]);
    } else facts.push(['Số lỗi', s.errors.length]);
    result.append(el('div', { className: `card import-summary ${s.ok ? 'ok' : 'error'}`, dataset: { ok: String(s.ok), dryRun: String(s.dryRun) } },
      el('h2', { className: 'summary-title', text: heading }),
      el('ul', { className: 'summary-facts' }, facts.map(([label, value]) => el('li', {}, `${label}: `, el('strong', { text: String(value) })))),
      s.warnings && s.warnings.length > 0 && el('ul', { className: 'warnings' }, s.warnings.map((w) => el('li', { text: w })))));
    if (s.errors.length) {
      result.append(el('h2', { text: 'Các dòng cần sửa' }), el('table', { className: 'table stack row-errors' },
        el('thead', {}, el('tr', {}, ['Dòng', 'Cột', 'Lý do'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, s.errors.map((e) => el('tr', {},
          el('td', { 'data-label': 'Dòng', className: 'err-row', text: e.row > 0 ? String(e.row) : '—' }),
          el('td', { 'data-label': 'Cột', className: 'err-column', text: e.column || '—' }),
          el('td', { 'data-label': 'Lý do', className: 'err-reason', text: e.reason }))))));
    }
  }
});

function exportsView() {
  return el('section', { className: 'card', id: 'exports' },
    el('h2', { text: 'Xuất dữ liệu' }),
    el('p', { className: 'muted', text: 'Tệp xuất dùng đúng các cột của mẫu nhập: sửa trong Excel rồi nhập lại được ngay.' }),
    EXPORTS.map((x) => el('div', { className: 'exports-group' },
      el('h3', { text: x.label }),
      el('div', { className: 'exports' },
        el('a', { className: 'button', href: `/api/exports/${x.kind}.csv`, download: '', dataset: { export: `${x.kind}.csv` }, text: 'Tải CSV' }),
        el('a', { className: 'button', href: `/api/exports/${x.kind}.xlsx`, download: '', dataset: { export: `${x.kind}.xlsx` }, text: 'Tải Excel (.xlsx)' })))));
}
