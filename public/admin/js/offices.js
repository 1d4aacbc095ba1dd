import { entityPage } from './entity-page.js';

entityPage({
  file: 'offices.html',
  path: 'offices',
  title: 'Cơ quan và thông tin liên hệ',
  newLabel: 'Thêm cơ quan',
  itemTitle: (row) => `${row.isPrimary ? '★ ' : ''}${row.name}`,
  itemMeta: (row) => [row.phone, row.hours].filter(Boolean).join(' · ').slice(0, 140),
  tryText: () => 'số điện thoại liên hệ của phường',
  fields: [
    { name: 'name', label: 'Tên cơ quan', kind: 'text', required: true },
    { name: 'address', label: 'Địa chỉ', kind: 'textarea', required: true },
    { name: 'phone', label: 'Điện thoại', kind: 'text', required: true },
    { name: 'hotline', label: 'Đường dây nóng', kind: 'text', nullable: true },
    { name: 'email', label: 'Thư điện tử', kind: 'text', nullable: true },
    { name: 'hours', label: 'Giờ làm việc', kind: 'textarea', required: true },
    { name: 'website', label: 'Trang thông tin', kind: 'url', nullable: true },
    { name: 'note', label: 'Ghi chú', kind: 'textarea', nullable: true },
    { name: 'isPrimary', label: 'Cơ quan chính (bot giới thiệu đầu tiên)', kind: 'bool' },
  ],
});
