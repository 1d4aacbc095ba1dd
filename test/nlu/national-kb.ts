import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sampleKbForNlu } from '../../src/kb/seed.js';
import type { KbForNlu, KbProcedure } from '../../src/nlu/nlu.js';
import { fold } from '../../src/nlu/text.js';

// The knowledge base the evaluation runs on: the sample plus national records, merged as the national import
// merges them (same code, or same name: one procedure that keeps the sample's name and aliases).

const SHIPPED = path.resolve(import.meta.dirname, '../../datasets/national-tthc/procedures.jsonl.gz');
const SHARED = path.resolve(import.meta.dirname, '../../../shared/data/national-tthc/procedures.jsonl.gz');

interface RawRecord { ma_thu_tuc: string; ten_thu_tuc: string; cap_thuc_hien: string; linh_vuc: string; doi_tuong_thuc_hien: string;
  co_quan_co_tham_quyen: string; co_quan_thuc_hien: string; ket_qua_xu_ly: string; thanh_phan_ho_so: string; yeu_cau_dieu_kien: string;
  trinh_tu_thuc_hien: string }

export function nationalRecords(): RawRecord[] {
  const file = existsSync(SHIPPED) ? SHIPPED : SHARED;
  return gunzipSync(readFileSync(file)).toString('utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as RawRecord);
}

const empty = (s: string) => (!s || s.trim() === 'Không có thông tin' ? '' : s.trim());
const key = (s: string) => fold(s.toLowerCase()).replace(/\s+/g, ' ').trim();

export function toKbProcedure(r: RawRecord, id: number): KbProcedure {
  return {
    id, code: r.ma_thu_tuc, name: r.ten_thu_tuc.replace(/\s+/g, ' ').trim(), field: r.linh_vuc, level: r.cap_thuc_hien, aliases: [],
    result: empty(r.ket_qua_xu_ly.split(/Mã: ?KQ/)[0]), eligibility: empty(r.doi_tuong_thuc_hien),
    competentBody: empty(r.co_quan_co_tham_quyen), office: empty(r.co_quan_thuc_hien),
    body: [r.thanh_phan_ho_so, r.yeu_cau_dieu_kien, r.trinh_tu_thuc_hien].map(empty).join('\n'),
  };
}

/** The sample KB plus the national records `keep` selects. */
export function kbWithNational(keep: (r: RawRecord) => boolean): KbForNlu {
  const kb = sampleKbForNlu();
  const byCode = new Map(kb.procedures.filter((p) => p.code).map((p) => [p.code!, p]));
  const byName = new Map(kb.procedures.map((p) => [key(p.name), p]));
  let id = 10_000;
  for (const r of nationalRecords()) {
    if (!keep(r)) continue;
    const rec = toKbProcedure(r, id++);
    const same = byCode.get(rec.code!) ?? byName.get(key(rec.name));
    if (same) {
      Object.assign(same, { ...rec, id: same.id, name: same.name, aliases: same.aliases });
      continue;
    }
    kb.procedures.push(rec);
  }
  return kb;
}
