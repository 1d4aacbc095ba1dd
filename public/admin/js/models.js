import { entityPage } from './entity-page.js';

entityPage({
  file: 'models.html',
  path: 'models',
  title: 'Mô hình cải cách hành chính',
  newLabel: 'Thêm mô hình',
  itemTitle: (row) => row.name,
  itemMeta: (row) => [row.locality, row.province, row.year].filter(Boolean).join(' · '),
  tryText: (row) => `mô hình ${row.name} là gì`,
  fields: [
    { name: 'name', label: 'Tên mô hình', kind: 'text', required: true },
    { name: 'locality', label: 'Địa phương', kind: 'text', required: true },
    { name: 'province', label: 'Tỉnh, thành phố', kind: 'text', required: true },
    { name: 'agency', label: 'Cơ quan triển khai', kind: 'text', required: true },
    { name: 'year', label: 'Năm triển khai', kind: 'number', required: true },
    { name: 'category', label: 'Nhóm', kind: 'text', required: true },
    { name: 'summary', label: 'Tóm tắt', kind: 'textarea', required: true },
    { name: 'howToUse', label: 'Người dân sử dụng thế nào', kind: 'textarea', required: true },
    { name: 'keywords', label: 'Từ khóa', kind: 'lines', hint: 'Mỗi dòng một từ khóa người dân có thể dùng.' },
    { name: 'sourceFile', label: 'Tài liệu nguồn', kind: 'text', required: true },
    { name: 'sourceNote', label: 'Ghi chú nguồn (chỉ cán bộ xem)', kind: 'textarea', nullable: true, hint: 'Điều văn bản nguồn không nói rõ, cần kiểm tra thêm. Bot không bao giờ gửi ghi chú này cho người dân.' },
    { name: 'agencyChanged', label: 'Cơ quan đã đổi tên', kind: 'bool', hint: 'Sau sắp xếp bộ máy từ 1/7/2025: bot nhắc người dân liên hệ cơ quan hiện nay.' },
    { name: 'agencyNow', label: 'Tên cơ quan hiện nay', kind: 'text', nullable: true },
  ],
});
