import { describe, expect, it } from 'vitest';
import { faqButtons, procedureForms } from '../src/db/json-columns.js';

// JSON columns are read through schemas: what does not fit is left out instead of reaching a reply as a cast.

describe('JSON columns read back from the database', () => {
  it('keeps the form files that have a name and a link, and nothing else', () => {
    expect(procedureForms({ forms: [{ name: 'Tờ khai', url: 'https://dichvucong.gov.vn/a.docx' }, { name: 'x' }, 'y', null] }))
      .toEqual([{ name: 'Tờ khai', url: 'https://dichvucong.gov.vn/a.docx' }]);
    expect(procedureForms({ forms: null })).toEqual([]);
    expect(procedureForms({ forms: { name: 'not a list' } })).toEqual([]);
  });

  it('keeps the FAQ buttons that have a title', () => {
    expect(faqButtons({ buttons: [{ title: 'Cổng DVC', url: 'https://dichvucong.gov.vn' }, { url: 'https://x' }, { title: 'Gọi', phone: 5 }] }))
      .toEqual([{ title: 'Cổng DVC', url: 'https://dichvucong.gov.vn' }]);
    expect(faqButtons({ buttons: 'nope' })).toEqual([]);
  });
});
