import { describe, expect, it } from 'vitest';
import { coarseStatus, dossierCard, noticeText } from '../src/bot/dossier-text.js';
import { isEnglish, smallTalk } from '../src/bot/small-talk.js';
import type { Dossier } from '../src/generated/prisma/client.js';

// Rules before the NLU (small talk, emoji, English) and one coherent message per dossier status.

describe('small talk, emoji and English', () => {
  it('answers emoji, "em là người hay máy", laughter and thanks-like acknowledgements kindly', () => {
    expect(smallTalk('👍')?.text).toContain('😊');
    expect(smallTalk('❤️❤️')?.text).toContain('trợ lý');
    expect(smallTalk('em là người hay máy vậy')?.text).toContain('không phải người');
    expect(smallTalk('ban la robot a?')?.text).toContain('trợ lý tự động');
    expect(smallTalk('hihi')?.text).toContain('😊');
    expect(smallTalk('ok em')?.text).toContain('Dạ vâng');
    expect(smallTalk('thời tiết sa đéc hôm nay thế nào')?.text).toContain('ngoài phạm vi');
  });

  it('says in English that it answers in Vietnamese, and what it can do', () => {
    expect(isEnglish('How much is the birth certificate fee?')).toBe(true);
    expect(isEnglish('Where can I check my application status')).toBe(true);
    expect(smallTalk('Hello, can you help me register a birth?')?.text).toMatch(/answers in Vietnamese only/);
  });

  it('leaves Vietnamese, with or without diacritics, and codes to the NLU', () => {
    for (const text of ['lam giay khai sinh can gi', 'the can cuoc lam o dau', 'le phi ket hon bao nhieu', 'cho toi gap can bo', 'thủ tục đăng ký thường trú',
      'ho so 000.00.19.H12-231123-0001', 'tối nay ai đá bóng? ', '1', '#score:5', 'toi can ho tro']) {
      expect(isEnglish(text)).toBe(false);
      if (!/bóng/.test(text)) expect(smallTalk(text)).toBeNull();
    }
  });
});

const base: Dossier = {
  id: 1, code: 'H12.26-260105-0001', procedureCode: null, procedureName: 'Đăng ký khai sinh', applicantName: 'Nguyễn Văn An',
  applicantPhone: '0912345678', office: 'Bộ phận Một cửa phường 5', receivedAt: new Date('2026-01-05T00:00:00+07:00'),
  dueAt: new Date('2026-01-09T17:00:00+07:00'), status: 'processing', note: 'CCCD 012345678901 của Nguyễn Văn An', notePublic: false,
  isSample: false, createdAt: new Date(), updatedAt: new Date(),
};
const later = new Date('2026-02-01T00:00:00+07:00');

describe('dossier messages that fit the status', () => {
  it('apologises only when the office is late, never while the citizen has to act', () => {
    expect(dossierCard({ ...base, status: 'processing' }, later)).toContain('xin lỗi');
    expect(dossierCard({ ...base, status: 'received' }, later)).toContain('xin lỗi');
    for (const status of ['awaiting_payment', 'needs_supplement', 'suspended', 'done', 'returned', 'rejected']) {
      expect(dossierCard({ ...base, status }, later)).not.toContain('xin lỗi');
    }
    expect(dossierCard({ ...base, status: 'processing' }, new Date('2026-01-06T00:00:00+07:00'))).not.toContain('xin lỗi');
  });

  it('never says both "wait for the date" and "the date has passed"', () => {
    const card = dossierCard({ ...base, status: 'processing' }, later);
    expect(card).not.toContain('chờ đến ngày hẹn');
  });

  it('tells the citizen what to do next when payment or documents are awaited', () => {
    expect(dossierCard({ ...base, status: 'awaiting_payment' }, later)).toContain('Việc anh/chị cần làm: nộp phí, lệ phí');
    expect(dossierCard({ ...base, status: 'needs_supplement' }, later)).toContain('Việc anh/chị cần làm: bổ sung giấy tờ');
  });

  it('shows an official\'s note only when it is marked public', () => {
    expect(dossierCard(base, later)).not.toContain('012345678901');
    expect(dossierCard({ ...base, notePublic: true, note: 'Bản sao giấy chứng sinh', status: 'needs_supplement' }, later)).toContain('• Cần bổ sung: Bản sao giấy chứng sinh');
    const facts = { code: base.code, procedureName: base.procedureName, status: 'needs_supplement', statusChanged: true, dueAt: base.dueAt, previousDueAt: null, now: later };
    expect(noticeText({ ...facts, note: 'CCCD 012345678901' })).not.toContain('012345678901');
    expect(noticeText({ ...facts, note: 'Bản sao giấy chứng sinh', notePublic: true })).toContain('Bản sao giấy chứng sinh');
  });

  it('a later date is an apology while the office works, a new date while the citizen acts', () => {
    const facts = { code: base.code, procedureName: base.procedureName, statusChanged: false, dueAt: new Date('2026-03-01T17:00:00+07:00'), previousDueAt: base.dueAt, note: null, now: later };
    expect(noticeText({ ...facts, status: 'processing' })).toContain('thành thật xin lỗi');
    expect(noticeText({ ...facts, status: 'processing' })).not.toContain('đã quá ngày hẹn');
    expect(noticeText({ ...facts, status: 'needs_supplement' })).not.toContain('xin lỗi');
  });

  it('gives strangers only a coarse status', () => {
    expect(coarseStatus('needs_supplement')).toBe(coarseStatus('awaiting_payment'));
    expect(coarseStatus('processing')).toBe(coarseStatus('suspended'));
  });
});
