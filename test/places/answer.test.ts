import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { placeAnswer } from '../../src/places/answer.js';
import { officeLookupFromKb } from '../../src/places/offices.js';
import { PlaceIndex } from '../../src/places/place-index.js';
import { loadNotPlaces, loadPlaceDevSet } from './evaluate.js';

let index: PlaceIndex;
beforeAll(() => { index = PlaceIndex.fromFiles(); });
const answer = (text: string) => placeAnswer(index.resolve(text));

describe('answers to place questions', () => {
  it('names the new commune, the province and the resolution for an old commune', () => {
    const a = answer('xa binh trieu cu gio la xa nao');
    expect(a.text).toBe('Dạ, từ ngày 1/7/2025, xã Bình Triều (huyện Thăng Bình, tỉnh Quảng Nam cũ) đã được sắp xếp vào xã Thăng An, '
      + 'thành phố Đà Nẵng, theo Nghị quyết số 1659/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội.');
    expect(a.options).toBeUndefined();
  });

  it('lists the new units of a split one and asks for the hamlet or street', () => {
    const a = answer('phường Đại Nài cũ giờ thuộc phường nào');
    expect(a.text).toContain('được chia về 2 đơn vị: phường Thành Sen, tỉnh Hà Tĩnh và phường Hà Huy Tập, tỉnh Hà Tĩnh');
    expect(a.text).toContain('thôn/ấp/tổ dân phố hoặc tên đường');
    expect(a.options).toEqual(['P. Thành Sen', 'P. Hà Huy Tập']);
  });

  it('warns that a re-used name is another unit', () => {
    expect(answer('phường Trần Phú thành phố Hà Tĩnh cũ giờ là phường nào').text)
      .toContain('Lưu ý: phường Trần Phú hiện nay (tỉnh Hà Tĩnh) là một đơn vị khác');
  });

  it('says there is no district level and lists a district\'s communes compactly', () => {
    const small = answer('huyện Thăng Bình giờ thuộc tỉnh nào').text;
    expect(small).toMatch(/^Dạ, từ ngày 1\/7\/2025 không còn cấp huyện; địa bàn huyện Thăng Bình \(tỉnh Quảng Nam cũ\) nay thuộc thành phố Đà Nẵng/);
    expect(small).toContain('6 đơn vị cấp xã');
    expect(small).toContain('các xã Thăng Bình, Thăng An');
    const big = answer('thành phố Thủ Đức giờ có bao nhiêu phường').text;
    expect(big).toMatch(/gồm \d+ đơn vị cấp xã/);
    expect(big).toMatch(/và \d+ đơn vị khác/);
    expect(big).not.toContain('1/1/2021');
    // A district merged before 2025 is answered as the city it joined, and the answer says so.
    const q9 = answer('quận 9 giờ chia thành mấy phường').text;
    expect(q9).toContain('địa bàn thành phố Thủ Đức');
    expect(q9).toContain('Quận 9 đã nhập vào thành phố Thủ Đức từ ngày 1/1/2021 (Nghị quyết số 1111/NQ-UBTVQH14)');
  });

  it('cites the province merger resolution and the counts', () => {
    const a = answer('tỉnh Quảng Nam giờ là tỉnh nào').text;
    expect(a).toContain('tỉnh Quảng Nam được hợp nhất với thành phố Đà Nẵng thành thành phố Đà Nẵng, theo Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội');
    expect(a).toContain('94 đơn vị hành chính cấp xã (23 phường, 70 xã, 1 đặc khu)');
    // Where the merged province is governed from, as the list attached to Nghị quyết 60-NQ/TW says.
    expect(answer('Lào Cai với Yên Bái nhập lại thì trụ sở tỉnh mới ở đâu').text)
      .toContain('Trung tâm chính trị - hành chính của tỉnh Lào Cai đặt tại tỉnh Yên Bái cũ (theo Nghị quyết 60-NQ/TW)');
    expect(answer('Hà Nội có sáp nhập không').text).not.toContain('Trung tâm chính trị');
  });

  it('lists what a new commune was formed from', () => {
    expect(answer('phường Bàn Cờ gồm những phường cũ nào').text)
      .toContain('trên cơ sở phường 5, phường 3, phường 2, phường 1 và một phần phường 4 (quận 3 cũ)');
  });

  it('says where to submit without inventing an address, or with the one the knowledge base holds', () => {
    const q = index.resolve('tôi ở thôn 3 xã Bình Triều huyện Thăng Bình cũ thì nộp hồ sơ ở đâu');
    const plain = placeAnswer(q).text;
    expect(plain).toContain('Trung tâm Phục vụ hành chính công (Bộ phận Một cửa) của UBND xã Thăng An');
    expect(plain).toContain('dichvucong.gov.vn');
    expect(plain).toContain('VNeID');
    expect(plain).not.toMatch(/điện thoại|\b0\d{2,3} \d{3}|Số \d+ đường|địa chỉ:/i);
    const offices = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../prisma/seed/offices.json'), 'utf8'));
    const withKb = placeAnswer(index.resolve('tôi ở phường 1 Sa Đéc cũ thì nộp hồ sơ khai sinh ở đâu'), officeLookupFromKb(offices)).text;
    expect(withKb).toContain('UBND phường Sa Đéc');
    expect(withKb).toContain('Trung tâm Phục vụ hành chính công phường Sa Đéc: Số 01 đường Hùng Vương');
    expect(placeAnswer(index.resolve('không còn huyện thì làm ở đâu')).text).toMatch(/^Dạ, từ ngày 1\/7\/2025 không còn cấp huyện\./);
  });

  it('does not guess when the name exists only outside the district or province given', () => {
    const a = answer('xã Đông Xuân thành phố Thanh Hóa cũ giờ là xã nào');
    expect(a.text).toMatch(/^Dạ, theo danh mục đơn vị hành chính \(trước và sau ngày 1\/7\/2025\), không có xã Đông Xuân thuộc thành phố Thanh Hóa\./);
    expect(a.text).toContain('hoặc xã Đông Xuân (huyện Quốc Oai');
    expect(a.options).toEqual(['Đông Xuân, Sóc Sơn', 'Đông Xuân, Quốc Oai']);
    expect(answer('xã Thạch Khê huyện Thạch Hà cũ giờ là xã nào').text)
      .toContain('Lưu ý: theo danh mục, đơn vị này không thuộc huyện Thạch Hà như anh/chị ghi');
  });

  it('says the district given holds none of the namesakes before listing them ("phường 3 quận 5")', () => {
    const a = answer('em ở phường 3 quận 5 giờ đổi thành phường nào vậy');
    expect(a.text).toMatch(/^Dạ, theo danh mục đơn vị hành chính \(trước và sau ngày 1\/7\/2025\), không có phường 3 thuộc quận 5\. Có 5 đơn vị cùng tên ở nơi khác: /);
    expect(a.text).toContain('thuộc huyện, quận nào');
    expect(a.options).toContain('Tân Bình');
  });

  it('asks which province with short options when several units fit', () => {
    const a = answer('xã Tân Phú cũ giờ thuộc xã nào');
    expect(a.text).toMatch(/^Dạ, có \d+ đơn vị hành chính tên xã Tân Phú/);
    expect(a.text).toContain('thuộc tỉnh (và huyện) nào');
    expect(a.options?.length).toBeGreaterThan(3);
    expect(a.options).toContain('Long An');
  });

  it('says a name is not found and offers the closest names', () => {
    const a = answer('phường Trúc Bạc cũ giờ là phường nào');
    expect(a.text).toMatch(/^Dạ, em không tìm thấy đơn vị hành chính tên "phường Trúc Bạc"/);
    expect(a.text).toContain('Có phải anh/chị muốn hỏi: phường Trúc Bạch (quận Ba Đình, thành phố Hà Nội cũ)');
    expect(a.options?.[0]).toBe('P. Trúc Bạch');
  });

  it('keeps every reply polite, complete and every option a button label (whole development set)', () => {
    const texts = [...loadPlaceDevSet(), ...loadPlaceDevSet(path.join(import.meta.dirname, 'heldout.jsonl'))].map((l) => l.text);
    for (const text of [...texts, ...loadNotPlaces()]) {
      const a = answer(text);
      expect(a.text, text).toMatch(/^Dạ, /);
      expect(a.text, text).not.toMatch(/undefined|null|NaN|\bvà và\b|\s{2}|\(\)/);
      for (const o of a.options ?? []) expect(o.length, `${text}: ${o}`).toBeLessThanOrEqual(20);
    }
  });
});
