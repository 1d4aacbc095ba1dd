import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';

// One line of the national catalogue (JSON Lines, gzipped or not) as the crawl wrote it.

const field = z.string().nullish().transform((v) => v ?? '');

export const nationalRecordSchema = z.object({
  ma_thu_tuc: z.string({ error: 'thiếu mã thủ tục (ma_thu_tuc)' }).trim().min(1, 'thiếu mã thủ tục (ma_thu_tuc)'),
  ten_thu_tuc: z.string({ error: 'thiếu tên thủ tục (ten_thu_tuc)' }).trim().min(1, 'thiếu tên thủ tục (ten_thu_tuc)'),
  so_quyet_dinh: field,
  cap_thuc_hien: field,
  linh_vuc: field,
  doi_tuong_thuc_hien: field,
  co_quan_co_tham_quyen: field,
  co_quan_thuc_hien: field,
  dia_chi_tiep_nhan: field,
  trinh_tu_thuc_hien: field,
  cach_thuc_thuc_hien: field,
  thanh_phan_ho_so: field,
  can_cu_phap_ly: field,
  yeu_cau_dieu_kien: field,
  ket_qua_xu_ly: field,
  detail_url: field,
  bo_nganh_thu_muc: field,
  /** When the record was crawled, if the crawl says (ISO date). */
  crawled_at: z.string().nullish(),
});
export type NationalRecord = z.infer<typeof nationalRecordSchema>;

export type RecordLine = { line: number; record: NationalRecord } | { line: number; error: string };

/** Each non-blank line of a .jsonl or .jsonl.gz file, parsed, or why it cannot be. */
export async function* readRecords(file: string): AsyncGenerator<RecordLine> {
  const input = createReadStream(file);
  const text = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      if (!raw.trim()) continue;
      yield parseLine(raw, line);
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

export function parseLine(raw: string, line: number): RecordLine {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { line, error: `không phải JSON hợp lệ (${(err as Error).message})` };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { line, error: 'không phải một bản ghi (đối tượng JSON)' };
  const parsed = nationalRecordSchema.safeParse(json);
  if (parsed.success) return { line, record: parsed.data };
  const issue = parsed.error.issues[0];
  return { line, error: /[^\x00-\x7F]/.test(issue.message) ? issue.message : `trường ${issue.path.join('.')}: ${issue.message}` };
}
