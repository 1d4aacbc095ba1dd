// What citizens call places besides their official names. Each alias stands for an official core name (it is
// looked up as that name), so "vt" finds every unit named Vũng Tàu and the context decides which one.
// `weak` aliases are ordinary letters too ("sg", "hn"): trusted only next to a unit-type word, another place, or a
// question about places.

export interface PlaceAlias {
  alias: string;
  name: string;
  weak?: boolean;
  /** Means the province even where a smaller unit bears the name (Phường Sài Gòn is not what "Sài Gòn" means). */
  province?: boolean;
  /** Stands for units of this kind only (a former district's number must not name the wards of that number). */
  only?: 'old_district';
  /** The unit the citizen named, merged into the one the alias stands for before 2025: said with the answer (texts.ts). */
  formerly?: FormerUnit;
}

/** A unit merged before 2025 ("Quận 9", into Thủ Đức on 1/1/2021 by Nghị quyết 1111/NQ-UBTVQH14). */
export interface FormerUnit { name: string; date: string; resolution: string }

const THU_DUC_2021 = { date: '1/1/2021', resolution: '1111/NQ-UBTVQH14' };

export const PLACE_ALIASES: PlaceAlias[] = [
  { province: true, alias: 'sài gòn', name: 'Hồ Chí Minh' },
  { province: true, alias: 'saigon', name: 'Hồ Chí Minh' },
  { alias: 'sg', name: 'Hồ Chí Minh', weak: true },
  { province: true, alias: 'hcm', name: 'Hồ Chí Minh' },
  { province: true, alias: 'tphcm', name: 'Hồ Chí Minh' },
  { province: true, alias: 'tp hcm', name: 'Hồ Chí Minh' },
  { alias: 'hn', name: 'Hà Nội', weak: true },
  { alias: 'hà lội', name: 'Hà Nội' },
  { alias: 'hanoi', name: 'Hà Nội' },
  { province: true, alias: 'thừa thiên huế', name: 'Huế' },
  { alias: 'thừa thiên', name: 'Huế' },
  { province: true, alias: 'tt huế', name: 'Huế' },
  { alias: 'tth', name: 'Huế', weak: true },
  { province: true, alias: 'brvt', name: 'Bà Rịa - Vũng Tàu' },
  { province: true, alias: 'br vt', name: 'Bà Rịa - Vũng Tàu' },
  { province: true, alias: 'bà rịa vt', name: 'Bà Rịa - Vũng Tàu' },
  { alias: 'vt', name: 'Vũng Tàu', weak: true },
  // People say "Vũng Tàu" for the whole old province as well as for its city.
  { alias: 'vũng tàu', name: 'Bà Rịa - Vũng Tàu' },
  // Provinces by their initials, as on number plates and in chat ("tp Thuận An BD"); weak: "hd" is also "hướng dẫn".
  // Initials two provinces share (ĐN, QN, TN, BT, HG) are left out.
  ...[['bd', 'Bình Dương'], ['hd', 'Hải Dương'], ['hp', 'Hải Phòng'], ['bp', 'Bình Phước'], ['ag', 'An Giang'], ['py', 'Phú Yên'],
    ['qb', 'Quảng Bình'], ['bg', 'Bắc Giang'], ['hy', 'Hưng Yên'], ['ht', 'Hà Tĩnh'], ['na', 'Nghệ An'], ['gl', 'Gia Lai']]
    .map(([alias, name]) => ({ province: true, alias, name, weak: true })),
  // Districts and cities people abbreviate in chat.
  { alias: 'gv', name: 'Gò Vấp', weak: true },
  { alias: 'pn', name: 'Phú Nhuận', weak: true },
  { alias: 'tb', name: 'Tân Bình', weak: true },
  { alias: 'td', name: 'Thủ Đức', weak: true },
  { alias: 'bmt', name: 'Buôn Ma Thuột', weak: true },
  { alias: 'daklak', name: 'Đắk Lắk' },
  { alias: 'đắc lắc', name: 'Đắk Lắk' },
  { alias: 'đaklak', name: 'Đắk Lắk' },
  { alias: 'daknong', name: 'Đắk Nông' },
  // Districts merged before 2025 that people still write: Quận 2, Quận 9 and Quận Thủ Đức became the city of Thủ Đức
  // on 1/1/2021 (Nghị quyết 1111/NQ-UBTVQH14). A number names a unit only after its type word ("q2", "quận 9").
  { alias: '2', name: 'Thủ Đức', only: 'old_district', formerly: { name: 'Quận 2', ...THU_DUC_2021 } },
  { alias: '9', name: 'Thủ Đức', only: 'old_district', formerly: { name: 'Quận 9', ...THU_DUC_2021 } },
];
