import { entityPage } from './entity-page.js';

entityPage({
  file: 'index.html',
  path: 'faqs',
  title: 'Câu hỏi thường gặp',
  newLabel: 'Thêm câu hỏi',
  itemTitle: (row) => row.questions[0] || `Câu hỏi ${row.id}`,
  itemMeta: (row) => `${row.enabled ? '' : '[Tạm tắt] '}${row.answer.slice(0, 140)}`,
  tryText: (row) => row.questions[0] || '',
  fields: [
    { name: 'questions', label: 'Các cách hỏi', kind: 'lines', required: true, hint: 'Mỗi dòng một cách hỏi; càng nhiều cách hỏi, bot càng dễ hiểu.' },
    { name: 'answer', label: 'Câu trả lời', kind: 'textarea', required: true },
    { name: 'buttons', label: 'Nút bấm kèm theo', kind: 'buttons', hint: 'Mỗi dòng: Tiêu đề | đường dẫn https://… (tối đa 20 ký tự cho tiêu đề).' },
    { name: 'tags', label: 'Nhãn', kind: 'lines', hint: 'Mỗi dòng một nhãn, dùng để tìm và thống kê.' },
    { name: 'enabled', label: 'Đang dùng (bot trả lời bằng câu này)', kind: 'bool', initial: true },
  ],
});
