import { describe, expect, it } from 'vitest';
import { toksOf } from '../src/nlu/normalizer.js';
import { ProcedureIndex, type ProcedureTexts } from '../src/nlu/procedure-index.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/options.js';
import { runNow } from '../src/nlu/work.js';

// A word the catalogue writes only as half of one pair ("đào" of "đào tạo") is another word in a message without a
// pair the catalogue knows around it ("đào giếng"): it must not bring the pair's records.
const texts = (name: string): ProcedureTexts => ({ name: toksOf(name), phrases: [], side: [], familyKey: name, body: [] });
function catalogue(): Array<{ item: string; texts: ProcedureTexts }> {
  const names = [
    ...['lái xe', 'luật sư', 'nghề', 'y tế', 'kế toán', 'thuyền viên'].map((w) => `Cấp giấy phép đào tạo ${w}`),
    'Đăng ký khai thác nước dưới đất', 'Tranh chấp đất đai', 'Chấp thuận chủ trương đầu tư',
    // filler records: a catalogue of a realistic size (bound words are read from 300 records up)
    ...Array.from({ length: 320 }, (_, i) => `Thủ tục số ${i} về hồ sơ loại ${i % 17} nhóm ${i % 13}`),
  ];
  return names.map((name) => ({ item: name, texts: texts(name) }));
}

describe('words bound to a pair', () => {
  const index = runNow(ProcedureIndex.build(catalogue(), DEFAULT_NLU_OPTIONS.rank));
  const top = (message: string) => index.rank([toksOf(message)], 3).map((r) => r.item);

  it('reads "đào" as a half of "đào tạo" only beside a word it makes a pair with', () => {
    expect(index.boundWords()).toContain('dao');
    expect(top('đào tạo lái xe')[0]).toBe('Cấp giấy phép đào tạo lái xe');
    expect(top('xin đào giếng khai thác nước')[0]).toBe('Đăng ký khai thác nước dưới đất');
    // "đào" alone brings no record of "đào tạo"
    expect(top('đào giếng').filter((n) => n.includes('đào tạo'))).toEqual([]);
  });

  it('keeps a bound word that another known pair explains', () => {
    expect(top('tranh chấp đất')[0]).toBe('Tranh chấp đất đai');
  });

  it('binds nothing in a small catalogue, where every word has few neighbours', () => {
    const small = runNow(ProcedureIndex.build(catalogue().slice(0, 20), DEFAULT_NLU_OPTIONS.rank));
    expect(small.boundWords()).toEqual([]);
  });
});
