import { describe, expect, it } from 'vitest';
import { dossierCard, noticeText } from '../src/bot/dossier-text.js';
import { STATUS_TEXTS } from '../src/bot/texts.js';
import type { Dossier } from '../src/generated/prisma/client.js';
import { DOSSIER_STATUSES } from '../src/kb/schemas.js';

// Every status's card and notice, on time and past the due date: one coherent paragraph, an apology only where
// the office is late, the next step where the citizen must act, never "wait for the date" beside "it has passed".

const base: Dossier = {
  id: 1, code: 'H12.26-260105-0001', procedureCode: null, procedureName: 'Đăng ký khai sinh', applicantName: 'Nguyễn Văn An',
  applicantPhone: '0912345678', office: 'Bộ phận Một cửa', receivedAt: new Date('2026-01-05T00:00:00+07:00'),
  dueAt: new Date('2026-01-09T17:00:00+07:00'), status: 'processing', note: null, notePublic: false,
  isSample: false, createdAt: new Date(), updatedAt: new Date(),
};
const ON_TIME = new Date('2026-01-06T09:00:00+07:00');
const PAST_DUE = new Date('2026-02-01T09:00:00+07:00');
const OFFICE_WORKING = ['received', 'processing'];
const CITIZEN_ACTS = ['needs_supplement', 'awaiting_payment', 'done'];
const paragraphs = Object.values(STATUS_TEXTS).flatMap((t) => [t.now, t.late].filter((x): x is string => Boolean(x)));

function messages(status: string, now: Date): string[] {
  const facts = { code: base.code, procedureName: base.procedureName, status, statusChanged: true, dueAt: base.dueAt, previousDueAt: null, note: null, now };
  return [dossierCard({ ...base, status }, now), noticeText(facts)];
}

describe('dossier messages for every status', () => {
  for (const status of DOSSIER_STATUSES) {
    for (const [when, now] of [['on time', ON_TIME], ['past the due date', PAST_DUE]] as const) {
      it(`${status}, ${when}: one paragraph, apology only if the office is late, the next step when the citizen acts`, () => {
        for (const text of messages(status, now)) {
          expect(paragraphs.filter((p) => text.includes(p))).toHaveLength(1);
          const late = now === PAST_DUE && OFFICE_WORKING.includes(status);
          expect(text.includes('xin lỗi'), text).toBe(late);
          expect(text.includes('chờ đến ngày hẹn') && text.includes('đã quá ngày hẹn'), text).toBe(false);
          if (CITIZEN_ACTS.includes(status)) expect(text).toContain('Việc anh/chị cần làm:');
          if (!late) expect(text).not.toContain('đã quá ngày hẹn');
        }
      });
    }
  }

  it('needs supplement: no stale due date, the documents named when the note is public, and where to ask otherwise', () => {
    const card = dossierCard({ ...base, status: 'needs_supplement' }, ON_TIME);
    expect(card).not.toContain('Ngày hẹn trả:');
    expect(card).toContain('nhắn "gặp cán bộ"');
    expect(card).toContain('ngày hẹn trả mới');
    expect(dossierCard({ ...base, status: 'needs_supplement', note: 'Bản sao giấy chứng sinh', notePublic: true }, ON_TIME))
      .toContain('• Cần bổ sung: Bản sao giấy chứng sinh');
    // A due date moved while documents are awaited is neither an apology nor "the date was changed to ...".
    const notice = noticeText({ code: base.code, procedureName: base.procedureName, status: 'needs_supplement', statusChanged: true,
      dueAt: new Date('2026-01-20T17:00:00+07:00'), previousDueAt: base.dueAt, note: null, now: ON_TIME });
    expect(notice).not.toMatch(/xin lỗi|điều chỉnh thành|Ngày hẹn trả:/);
  });

  it('awaiting payment says where and how to pay, and that the dossier moves on once paid', () => {
    const card = dossierCard({ ...base, status: 'awaiting_payment' }, PAST_DUE);
    expect(card).toContain('Việc anh/chị cần làm: nộp phí, lệ phí trực tuyến trên Cổng Dịch vụ công');
    expect(card).toContain('giải quyết tiếp ngay sau khi nộp');
  });
});
