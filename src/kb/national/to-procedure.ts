import type { ProcedureInput } from '../schemas.js';
import { feeOf, howToSubmitOf, isOnline, parseChannels, processingTimeOf, type Channel } from './channels.js';
import { parseDocuments } from './documents.js';
import { parseLegalBasis } from './legal-basis.js';
import { levelsOf } from './levels.js';
import type { NationalRecord } from './record.js';
import { parseResult } from './result.js';
import { clean, oneLine, paragraphs } from './text.js';

// A national record as a knowledge-base procedure, every field from the record itself: no invented aliases,
// no form links (the record has none), nothing the portal does not say.

export const NATIONAL_SOURCE = 'Cổng Dịch vụ công quốc gia';
/** The crawl of the shipped catalogue ended on 20 July 2026 (datasets/national-tthc/SOURCE.md), Viet Nam time. */
export const CRAWL_DATE = new Date('2026-07-20T00:00:00+07:00');

export function toProcedure(r: NationalRecord): ProcedureInput {
  const channels = parseChannels(r.cach_thuc_thuc_hien);
  const { toSubmit, toShow } = parseDocuments(r.thanh_phan_ho_so);
  const legalBasis = parseLegalBasis(r.can_cu_phap_ly);
  const url = clean(r.detail_url) || null;
  const sourceDate = crawlDate(r.crawled_at);
  return {
    code: r.ma_thu_tuc.trim(),
    name: oneLine(r.ten_thu_tuc),
    field: oneLine(r.linh_vuc),
    level: oneLine(r.cap_thuc_hien),
    office: officeOf(r),
    competentBody: oneLine(r.co_quan_co_tham_quyen),
    documents: toSubmit,
    documentsToShow: toShow,
    processingTime: processingTimeOf(channels),
    fee: feeOf(channels),
    channels,
    feeByProvince: feeByProvince(channels, legalBasis),
    place: paragraphs(r.dia_chi_tiep_nhan),
    howToSubmit: howToSubmitOf(channels),
    onlineAvailable: isOnline(channels),
    onlineUrl: url,
    portalUrl: url,
    legalBasis,
    steps: paragraphs(r.trinh_tu_thuc_hien),
    conditions: paragraphs(r.yeu_cau_dieu_kien),
    eligibility: oneLine(r.doi_tuong_thuc_hien),
    result: parseResult(r.ket_qua_xu_ly),
    decision: oneLine(r.so_quyet_dinh) || null,
    source: NATIONAL_SOURCE,
    sourceDate,
    verifiedBy: NATIONAL_SOURCE,
    verifiedAt: sourceDate,
    aliases: [],
    forms: [],
  };
}

function crawlDate(value: string | null | undefined): Date {
  const d = value ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+07:00` : value) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : CRAWL_DATE;
}

/**
 * Who handles it: the record's "cơ quan thực hiện", else the competent body, else the commune's People's
 * Committee for a commune-only procedure, else the competent authority at the record's levels.
 */
function officeOf(r: NationalRecord): string {
  const office = oneLine(r.co_quan_thuc_hien) || oneLine(r.co_quan_co_tham_quyen);
  if (office) return office;
  const levels = levelsOf(r.cap_thuc_hien);
  if (levels.length === 1 && levels[0] === 'xa' && /cấp xã/i.test(r.cap_thuc_hien)) return 'Ủy ban nhân dân cấp xã';
  const at = oneLine(r.cap_thuc_hien).toLowerCase().replace(/,?\s*cơ quan khác/, '');
  return at ? `Cơ quan có thẩm quyền ${at}` : 'Cơ quan có thẩm quyền';
}

/** Fee levels set by the provincial council (or committee): amounts differ from one province to another. */
const PROVINCE_FEE = /(hội đồng nhân dân|hđnd|ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s*(các\s*)?(cấp\s*)?(tỉnh|thành phố trực thuộc)/i;
const COUNCIL_FEE = /theo (quy định|quyết định|nghị quyết) của (hội đồng nhân dân|hđnd)/i;
/** Thông tư 85/2019/TT-BTC (fees decided by provincial councils) and 106/2021/TT-BTC, which amends it. */
const PROVINCE_FEE_LAW = /^(85\/2019\/TT-BTC|106\/2021\/TT-BTC)\b|phí và lệ phí thuộc thẩm quyền quyết định của hội đồng nhân dân/i;

function feeByProvince(channels: Channel[], legalBasis: string[]): boolean {
  if (channels.some((c) => PROVINCE_FEE.test(c.fee) || COUNCIL_FEE.test(c.fee))) return true;
  return legalBasis.some((l) => PROVINCE_FEE_LAW.test(l));
}
