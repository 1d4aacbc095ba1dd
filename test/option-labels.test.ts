import { describe, expect, it } from 'vitest';
import { optionLabels } from '../src/bot/option-labels.js';

describe('labels of "which procedure?" buttons', () => {
  it('show what tells the options apart', () => {
    expect(optionLabels(['Đăng ký khai sinh', 'Đăng ký khai sinh có yếu tố nước ngoài', 'Đăng ký lại khai sinh']))
      .toEqual(['Đăng ký khai sinh', 'Có yếu tố nước ngoài', 'Lại']);
  });

  it('never start with a qualifier cut from its head: the beginning of the name is shown instead', () => {
    const labels = optionLabels([
      'Giải thể doanh nghiệp, giải thể trong trường hợp bị thu hồi Giấy chứng nhận đăng ký doanh nghiệp hoặc theo quyết định của Tòa án',
      'Đề nghị dừng thực hiện thủ tục đăng ký doanh nghiệp; thông báo hủy bỏ nghị quyết, quyết định giải thể doanh nghiệp',
    ]);
    expect(labels[0]).toBe('Giải thể doanh nghi…');
    expect(labels[1]).toMatch(/^Đề nghị dừng/);
  });
});
