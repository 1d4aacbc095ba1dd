import type { FormerUnit } from './aliases.js';
import type { UnitType } from './names.js';

// What the resolver returns: plain data (no references into the index), safe to log, store and compose answers
// from. Codes are the official zero-padded strings; dates are ISO (YYYY-MM-DD).

export type PlaceKind =
  | 'old_to_new' // an old commune: what it is now
  | 'new_to_old' // a new commune: what it was formed from
  | 'district' // an old district: its province now and the communes that took its communes
  | 'province' // an old or new province
  | 'where_to_submit' // where to submit, now that the district level is gone
  | 'ambiguous' // the name fits several units: ask which province (or district)
  | 'not_found' // a unit-type word followed by a name that does not exist
  | 'none'; // no place in the message

export type Level = 'commune' | 'district' | 'province';

export interface Ref { code: string; name: string }

export interface Resolution {
  /** e.g. "1659/NQ-UBTVQH15" */
  number: string;
  /** ISO date, e.g. "2025-06-16" */
  date: string;
  /** e.g. "Điều 1 khoản 50"; null for a unit the resolution left unchanged */
  clause: string | null;
}

export interface NewCommuneInfo {
  code: string;
  name: string;
  type: string;
  province: Ref;
  resolution: Resolution;
  /** created | not_rearranged | renamed */
  status: string;
}

export interface OldCommuneInfo {
  /** Null only for the one non-commune area in the table. */
  code: string | null;
  name: string;
  district: Ref;
  /** The pre-2025 province. */
  province: Ref;
}

export interface ProvinceInfo {
  code: string;
  name: string;
  type: string;
  communeCount: number;
  countsByType: Record<string, number>;
  /** Pre-2025 provinces merged into it (itself alone when unchanged). */
  mergedFrom: Ref[];
  /** The commune-arrangement resolution of the province. */
  communeResolution: Resolution;
  adminCenter: string | null;
}

export type PlaceReading =
  | {
    kind: 'old_commune';
    old: OldCommuneInfo;
    /** The new commune(s) that took it; `part` when only part of it went there. */
    targets: Array<NewCommuneInfo & { part: boolean; note: string }>;
    /** Split between several new units: ask for the thôn/ấp/tổ dân phố or street. */
    split: boolean;
    unchanged: boolean;
    /** New units in the same province that now carry its name but are NOT what it became. */
    nameReusedBy: NewCommuneInfo[];
    provinces: Ref[];
  }
  | {
    kind: 'new_commune';
    commune: NewCommuneInfo;
    formedFrom: Array<OldCommuneInfo & { part: boolean; note: string }>;
    /** Old districts it was formed from (whole islands included). */
    fromDistricts: Array<Ref & { province: Ref }>;
  }
  | {
    kind: 'old_district';
    old: Ref & { type: string; province: Ref };
    /** New communes that took all or part of its communes. */
    communes: NewCommuneInfo[];
    provinces: Ref[];
  }
  | {
    kind: 'province';
    province: ProvinceInfo;
    /** The name the citizen used, when it is an old province (e.g. Tỉnh Quảng Nam). */
    asked: Ref & { era: 'old' | 'new' };
    /** The province-merger resolution (202/2025/QH15), when the province was merged. */
    mergerResolution: { number: string; date: string } | null;
  };

export interface PlaceMention {
  /** The span as typed, type word included. */
  text: string;
  start: number;
  end: number;
  typeWord: UnitType | null;
  name: string;
  level: Level | null;
  era: 'old' | 'new' | 'both' | null;
  marker: 'old' | 'new' | null;
  role: 'primary' | 'context' | 'unknown';
  candidates: number;
}

export interface PlaceSuggestion { name: string; where: string; era: 'old' | 'new' }

export interface PlaceResolution {
  text: string;
  kind: PlaceKind;
  /**
   * The message asks about administrative geography (what a unit is now or was, mergers, where to go now), rather
   * than merely naming a place ("mô hình của thị xã Phú Mỹ"). The locality intent should require it.
   */
  asksAboutPlace: boolean;
  /** The message is only an address (asksAboutPlace for that alone): during a hand-off it is meant for the official. */
  bareAddress: boolean;
  /** The citizen asks where to submit or whom to contact. */
  submit: boolean;
  /** The citizen says there is no district any more ("không còn huyện thì làm ở đâu"). */
  noDistrictLevel: boolean;
  /** Asked for the count of communes ("bao nhiêu phường"). */
  countQuestion: boolean;
  mentions: PlaceMention[];
  /** The one unit the question is about, when it is clear. */
  reading: PlaceReading | null;
  /** The units it may be about, when several fit (kind "ambiguous"). */
  candidates: PlaceReading[];
  notFound: {
    name: string;
    typeWord: UnitType | null;
    /** Set when the name exists, but not in the district or province the citizen gave ("xã X, huyện Y"). */
    within: string | null;
    suggestions: PlaceSuggestion[];
  } | null;
  /** A hamlet, residential group or street the citizen gave ("thôn 3"). */
  subCommune: string | null;
  /** The unit asked about was merged before 2025 and is answered as the unit it joined ("quận 9": Thủ Đức). */
  formerly: FormerUnit | null;
  /**
   * The district given does not match the data, though it is in the unit's old province ("xã Thạch Khê, huyện Thạch
   * Hà" for a commune listed under TP Hà Tĩnh): the answer follows the data and says so. This is the text as typed.
   */
  contextMismatch: string | null;
}
