import { entityPage } from './entity-page.js';

entityPage({
  file: 'procedures.html',
  path: 'procedures',
  title: 'Thủ tục hành chính',
  newLabel: 'Thêm thủ tục',
  itemTitle: (row) => row.name,
  itemMeta: (row) => [row.code, row.field, row.level].filter(Boolean).join(' · '),
  tryText: (row) => `${row.name} cần giấy tờ gì`,
  fields: [
    { name: 'name', label: 'Tên thủ tục', kind: 'text', required: true },
    { name: 'code', label: 'Mã thủ tục', kind: 'text', nullable: true },
    { name: 'field', label: 'Lĩnh vực', kind: 'text', required: true },
    { name: 'level', label: 'Cấp thực hiện', kind: 'text', required: true },
    { name: 'office', label: 'Cơ quan thực hiện', kind: 'textarea', required: true },
    { name: 'documents', label: 'Thành phần hồ sơ', kind: 'lines', hint: 'Mỗi dòng một giấy tờ.' },
    { name: 'processingTime', label: 'Thời hạn giải quyết', kind: 'text', required: true },
    { name: 'fee', label: 'Phí, lệ phí', kind: 'textarea', required: true },
    { name: 'place', label: 'Nơi nộp hồ sơ', kind: 'textarea', required: true },
    { name: 'howToSubmit', label: 'Cách thức nộp', kind: 'textarea', required: true },
    { name: 'onlineAvailable', label: 'Có nộp trực tuyến', kind: 'bool' },
    { name: 'onlineUrl', label: 'Đường dẫn nộp trực tuyến', kind: 'url', nullable: true },
    { name: 'legalBasis', label: 'Căn cứ pháp lý', kind: 'lines', hint: 'Mỗi dòng một văn bản.' },
    { name: 'forms', label: 'Mẫu đơn, tờ khai', kind: 'forms', hint: 'Mỗi dòng: Tên mẫu | https://…' },
    { name: 'aliases', label: 'Tên gọi khác', kind: 'lines', hint: 'Cách người dân hay gọi, mỗi dòng một tên (ví dụ: làm giấy khai sinh).' },
  ],
});
