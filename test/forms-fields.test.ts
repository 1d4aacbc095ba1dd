import { describe, expect, it } from 'vitest';
import { readAddress, readDate, readName, readPhone, readScore, readText, readYesNo, tidy } from '../src/bot/forms/fields.js';

// What a form accepts for each kind of field: anything that does not fit is refused (the form asks again).

describe('phone numbers in every Vietnamese way of writing them', () => {
  it.each([
    ['0912345678', '0912345678'], ['0912 345 678', '0912345678'], ['0912.345.678', '0912345678'], ['0912-345-678', '0912345678'],
    ['+84912345678', '0912345678'], ['+84 912 345 678', '0912345678'], ['84912345678', '0912345678'], ['(+84) 912.345.678', '0912345678'],
    ['+84 (0) 912 345 678', '0912345678'], ['sđt: 0912 345 678', '0912345678'], ['0351234567', '0351234567'], ['028 3829 1234', '02838291234'],
  ])('reads %s as %s', (input, expected) => expect(readPhone(input)).toBe(expected));

  it.each(['Nguyễn Thị Hoa', '091234567', '09123456789', '0412345678', '12345', '', '😀', '0912345678 hoặc 0987654321', '1'.repeat(10_000)])(
    'refuses %s', (input) => expect(readPhone(input)).toBeNull());
});

describe('names', () => {
  it('accepts full names, capitalised as on forms', () => {
    expect(readName('nguyễn thị hoa')).toBe('Nguyễn Thị Hoa');
    expect(readName('Trần Thị Bình')).toBe('Trần Thị Bình');
    expect(readName('Lê Văn A')).toBe('Lê Văn A');
    expect(readName('Đặng Phúc Vũ')).toBe('Đặng Phúc Vũ');
  });
  it.each(['đăng ký phục vụ tại nhà', 'dang ky phuc vu tai nha', 'Hoa', '0912345678', '😀 😀', 'tôi muốn làm thủ tục', 'cho tôi hỏi', 'A'.repeat(200), 'Nguyễn 123'])(
    'refuses %s', (input) => expect(readName(input)).toBeNull());
});

describe('dates in common formats (day first), relative to Vietnam time', () => {
  const now = new Date('2026-05-10T03:00:00Z'); // 10/05/2026 10:00 in Vietnam
  const day = (d: Date | null) => (d ? new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10) : null);
  it.each([
    ['20/5/2026', '2026-05-20'], ['20-05-26', '2026-05-20'], ['20.5', '2026-05-20'], ['2026-05-20', '2026-05-20'],
    ['ngày 20 tháng 5 năm 2026', '2026-05-20'], ['20 tháng 5', '2026-05-20'], ['hôm nay', '2026-05-10'], ['mai', '2026-05-11'],
    ['ngày mai', '2026-05-11'], ['ngày kia', '2026-05-12'],
  ])('reads %s as %s', (input, expected) => expect(day(readDate(input, now))).toBe(expected));
  it.each(['31/2/2026', '32/1', 'abc', '5/13/2026', '😀'])('refuses %s', (input) => expect(readDate(input, now)).toBeNull());
});

describe('scores, yes/no, addresses and free text', () => {
  it('reads a score 1-5 typed, starred, spelled or tapped', () => {
    expect(['5', '5 sao', '4⭐', 'năm', 'rất hài lòng', 'không hài lòng', '#score:3', 'bình thường'].map(readScore)).toEqual([5, 5, 4, 5, 5, 2, 3, 3]);
    expect(['10', '0', '6', '4.5', 'abc', '😀'].map(readScore)).toEqual([null, null, null, null, null, null]);
  });
  it('reads yes and no', () => {
    expect(['có', 'Đồng ý', 'ok', 'ừ', 'đúng rồi ạ', '#yes', 'gửi'].map(readYesNo)).toEqual([true, true, true, true, true, true, true]);
    expect(['không', '#no', 'ko'].map(readYesNo)).toEqual([false, false, false]);
    expect(readYesNo('để tôi xem')).toBeUndefined();
  });
  it('accepts an address with words and refuses emoji or a lone word', () => {
    expect(readAddress('12 Nguyễn Huệ, phường 1')).toBe('12 Nguyễn Huệ, phường 1');
    expect(readAddress('😀😀😀😀😀')).toBeNull();
    expect(readAddress('nhà')).toBeNull();
  });
  it('keeps free text within its bounds: 10,000 characters are "long", emoji alone is nothing', () => {
    expect(readText('x'.repeat(10_000), 10, 4000)).toBe('long');
    expect(readText('😀😀😀😀😀😀😀😀😀😀😀', 10, 4000)).toBeNull();
    expect(readText('Đèn đường ở tổ 3 bị hỏng 😡', 10, 4000)).toBe('Đèn đường ở tổ 3 bị hỏng 😡');
  });
  it('removes control characters and lone surrogates', () => {
    expect(tidy('a\u0000b\uD800c  d')).toBe('abc d');
  });
});
