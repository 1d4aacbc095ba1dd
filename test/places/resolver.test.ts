import { beforeAll, describe, expect, it } from 'vitest';
import { PlaceIndex } from '../../src/places/place-index.js';
import type { PlaceReading, PlaceResolution } from '../../src/places/types.js';
import { communesOf, provinceOf } from './evaluate.js';

let index: PlaceIndex;
beforeAll(() => { index = PlaceIndex.fromFiles(); });

const resolve = (text: string, opts?: { expectPlace?: boolean }) => index.resolve(text, opts);
/** The places a message names, as written. */
const placesNamed = (text: string) => resolve(text).mentions.map((m) => m.text);
const reading = <K extends PlaceReading['kind']>(r: PlaceResolution, kind: K) => {
  expect(r.reading?.kind).toBe(kind);
  return r.reading as Extract<PlaceReading, { kind: K }>;
};

describe('the type a unit had before', () => {
  it.each([
    ['xã an phú thị xã thuận an cũ giờ ở phường nào', 'Phường An Phú', 'Thuận An'],
    ['xã tân định huyện bến cát', 'Phường Tân Định', 'Bến Cát'],
    // A longer name of another type gives way when the rest names its district.
    ['phường an phú thuận an giờ thuộc đâu', 'Phường An Phú', 'Thuận An'],
  ])('"%s" is %s of %s (a commune made a ward before 2025; the district\'s old type word)', (text, name, district) => {
    const old = reading(resolve(text), 'old_commune');
    expect(old.old.name).toBe(name);
    expect(old.old.district.name).toContain(district);
  });

  it('reads a name typed without its marks in a message with diacritics as the unit the district after it holds', () => {
    // "vinh xuan" as spelled is xã Vinh Xuân (Huế); Trà Ôn held xã Vĩnh Xuân.
    for (const text of ['hk cũ là xã vinh xuan h. Tra On (cũ) á ad', 'xã Vinh Xuân huyện Trà Ôn cũ giờ là xã nào']) {
      const old = reading(resolve(text), 'old_commune');
      expect(old.old.name, text).toBe('Xã Vĩnh Xuân');
      expect(old.old.district.name).toContain('Trà Ôn');
    }
    // Without a district, the spelling typed decides.
    expect(reading(resolve('xã Vinh Xuân cũ giờ là xã nào'), 'old_commune').old.district.name).toContain('Phú Vang');
  });

  it('reads "que quan" typed without diacritics as quê quán, not a quận', () => {
    expect(placesNamed('lam can cuoc thi que quan ghi tinh nao a')).toEqual([]);
  });

  it('still says a district holds no unit of that name when none of any type was there', () => {
    expect(resolve('xã hòa khánh huyện hòa vang giờ ra sao').kind).toBe('not_found');
  });

  it('reads a Roman numeral after a unit-type word as the number of a ward so named, but not a name typed that way', () => {
    for (const text of ['phường IV tây ninh giờ là phường nào', 'phuong iv thanh pho tay ninh cu']) {
      expect(reading(resolve(text), 'old_commune').old.name, text).toBe('Phường IV');
    }
    expect(reading(resolve('xa thuan hoa huyen vi xuyen ha giang'), 'old_commune').old.district.name).toContain('Vị Xuyên');
    expect(resolve('q1 gio con may phuong v ad').kind).toBe('district'); // "v" is "vậy"
  });

  it('reads the words for what happened to a unit as the end of its name', () => {
    expect(resolve('huyện thăng bình bỏ rồi thì lên đâu làm giấy tờ').reading?.kind).toBe('old_district');
    expect(resolve('huyện thăng bình giải thể rồi').kind).toBe('district');
  });
});

describe('an old commune', () => {
  it('resolves "xã Bình Triều cũ" to xã Thăng An, Đà Nẵng, with the resolution', () => {
    const r = resolve('Xã Bình Triều cũ giờ là xã nào vậy ạ?');
    expect(r.kind).toBe('old_to_new');
    const old = reading(r, 'old_commune');
    expect(old.old).toMatchObject({ code: '20806', name: 'Xã Bình Triều', district: { code: '513' }, province: { code: '49' } });
    expect(old.targets).toHaveLength(1);
    expect(old.targets[0]).toMatchObject({ code: '20794', name: 'Xã Thăng An', province: { code: '48', name: 'Thành phố Đà Nẵng' },
      resolution: { number: '1659/NQ-UBTVQH15', date: '2025-06-16', clause: 'Điều 1 khoản 50' } });
    expect(old.split).toBe(false);
    expect(r.mentions[0]).toMatchObject({ text: 'Xã Bình Triều', typeWord: 'xã', level: 'commune', era: 'old', marker: 'old', role: 'primary' });
    expect(r.asksAboutPlace).toBe(true);
  });

  it.each([
    ['xa binh trieu cu gio la xa nao'],
    ['xã bình triều h là xã j vậy ad'],
    ['X. Bình Triều H. Thăng Bình nay thuộc xã nào'],
    ['Bình Triều giờ thuộc xã nào'],
    ['xã Bình Triều, Thăng Bình, Quảng Nam giờ là xã gì'],
  ])('reads "%s" in any register', (text) => {
    expect(communesOf(resolve(text).reading)).toEqual(['20794']);
  });

  it('lists every new unit of a split one and flags it ("phường Đại Nài")', () => {
    const old = reading(resolve('phường Đại Nài cũ giờ thuộc phường nào'), 'old_commune');
    expect(old.split).toBe(true);
    expect(old.targets.map((t) => [t.code, t.part])).toEqual([['18073', true], ['18652', true]]);
  });

  it('says that an old name now carried by a different new unit is not that unit ("phường Trần Phú, TP Hà Tĩnh")', () => {
    const old = reading(resolve('phường Trần Phú thành phố Hà Tĩnh cũ giờ là phường nào'), 'old_commune');
    expect(old.targets.map((t) => t.name)).toEqual(['Phường Thành Sen']);
    expect(old.nameReusedBy.map((n) => [n.code, n.name])).toEqual([['18100', 'Phường Trần Phú']]);
  });

  it('handles numbered wards with their city: "phường 5 Vũng Tàu", "p5 vt", "P.5 TP Vũng Tàu", "f5 vũng tàu"', () => {
    for (const text of ['phường 5 Vũng Tàu giờ thuộc phường nào', 'p5 vt nay thuoc dau ad', 'P.5 TP Vũng Tàu cũ', 'f5 vũng tàu h là p j']) {
      const r = resolve(text);
      expect(communesOf(r.reading), text).toEqual(['26506']);
      expect(provinceOf(r.reading)).toBe('79');
    }
  });

  it('uses the district to pick the right "phường 5" and the old name when the new one is named after the city', () => {
    expect(communesOf(resolve('phường 5 quận 3 giờ thuộc phường nào').reading)).toEqual(['27154']);
    expect(communesOf(resolve('Phường 2 Bảo Lộc cũ bây giờ là phường nào?').reading)).toEqual(['24820']);
    expect(resolve('Phường 2 Bảo Lộc cũ bây giờ là phường nào?').kind).toBe('old_to_new');
  });

  it('matches spelling variants from the data and either tone-mark placement', () => {
    expect(communesOf(resolve('thị trấn Ngan Dừa huyện Hồng Dân giờ là xã gì').reading)).toEqual(['31843']);
    expect(communesOf(resolve('Xuân Quang 3 Đồng Xuân giờ thuộc xã nào').reading)).toEqual(['22111']);
    // The NSO table spells it Điềm Thuỵ, the registry Điềm Thụy.
    for (const text of ['xã Điềm Thuỵ gồm những xã cũ nào', 'xã Điềm Thụy gồm những xã cũ nào']) {
      expect(communesOf(resolve(text).reading)).toEqual(['05941']);
    }
    // Old-style "Hoà" for a unit written "Hòa".
    expect(resolve('phường Hoà Mạc thị xã Duy Tiên cũ giờ là phường nào').kind).toBe('old_to_new');
  });

  it('keeps a unit the resolution left unchanged and a town turned into a xã', () => {
    expect(reading(resolve('xã Tam Thanh huyện Quan Sơn cũ giờ là xã nào'), 'old_commune').unchanged).toBe(true);
    expect(communesOf(resolve('thị trấn Mường Lát giờ là xã gì').reading)).toEqual(['14845']);
  });
});

describe('an old district', () => {
  it('gives the province now and the communes that took it ("huyện Thăng Bình")', () => {
    const r = resolve('huyện Thăng Bình giờ thuộc tỉnh nào');
    expect(r.kind).toBe('district');
    const d = reading(r, 'old_district');
    expect(d.old).toMatchObject({ code: '513', name: 'Huyện Thăng Bình', province: { name: 'Tỉnh Quảng Nam' } });
    expect(d.provinces.map((p) => p.code)).toEqual(['48']);
    expect(d.communes.map((c) => c.code)).toEqual(['20791', '20794', '20818', '20827', '20836', '20848']);
  });

  it.each([
    ['quận 1 giờ có những phường nào', '760'], ['q1 tphcm', '760'], ['Q.1 còn không ad', '760'],
    ['thị xã Sơn Tây giờ còn không', '269'], ['tx sơn tây h còn ko ad', '269'], ['TP Vũng Tàu giờ thuộc đâu', '747'],
    ['H. Thăng Bình giờ thuộc tỉnh nào', '513'], ['Thăng Bình giờ thuộc tỉnh nào', '513'],
  ])('"%s" is old district %s', (text, code) => {
    const r = resolve(text);
    expect(r.kind).toBe('district');
    expect(reading(r, 'old_district').old.code).toBe(code);
  });

  it('an island district became a đặc khu whole ("huyện Côn Đảo")', () => {
    expect(communesOf(resolve('Huyện Côn Đảo bây giờ là gì?').reading)).toEqual(['26732']);
  });
});

describe('provinces', () => {
  it.each([
    ['tỉnh Quảng Nam giờ là tỉnh nào', '48', '49'], ['Bà Rịa - Vũng Tàu giờ thuộc đâu', '79', '77'], ['BRVT sáp nhập vào đâu', '79', '77'],
    ['Sài Gòn giờ có bao nhiêu phường', '79', null], ['TPHCM giờ có bao nhiêu xã phường', '79', null],
    ['Thừa Thiên Huế giờ là gì', '46', null], ['Huế giờ có bao nhiêu phường', '46', null], ['tinh dak nong sap nhap vao dau', '68', '67'],
  ])('"%s" -> province %s', (text, code, oldCode) => {
    const r = resolve(text);
    expect(r.kind).toBe('province');
    const p = reading(r, 'province');
    expect(p.province.code).toBe(code);
    if (oldCode) expect(p.asked).toMatchObject({ code: oldCode, era: 'old' });
  });

  it('names the merger resolution for a merged province and the counts by type', () => {
    const p = reading(resolve('tỉnh Quảng Nam giờ là tỉnh nào'), 'province');
    expect(p.mergerResolution).toEqual({ number: '202/2025/QH15', date: '2025-06-12' });
    expect(p.province).toMatchObject({ communeCount: 94, countsByType: { 'xã': 70, 'phường': 23, 'đặc khu': 1 } });
    expect(reading(resolve('Hà Nội giờ có bao nhiêu phường'), 'province').mergerResolution).toBeNull();
  });
});

describe('a new commune (new -> old)', () => {
  it('lists the old units "phường Bàn Cờ" was formed from, with the part of a split one', () => {
    const r = resolve('phường Bàn Cờ gồm những phường cũ nào');
    expect(r.kind).toBe('new_to_old');
    const n = reading(r, 'new_commune');
    expect(n.commune).toMatchObject({ code: '27154', province: { code: '79' } });
    expect(n.formedFrom.map((f) => [f.name, f.part]).sort()).toEqual(
      [['Phường 1', false], ['Phường 2', false], ['Phường 3', false], ['Phường 4', true], ['Phường 5', false]]);
  });

  it('reads a new name as new ("xã Thăng An mới"), and a renamed one', () => {
    expect(resolve('xã Thăng An mới gồm những xã cũ nào').kind).toBe('new_to_old');
    const renamed = reading(resolve('Xã Đạ Huoai 3 trước đây là xã nào'), 'new_commune');
    expect(renamed.commune.status).toBe('renamed');
    expect(renamed.formedFrom.map((f) => f.name)).toEqual(['Xã Bà Gia']);
  });
});

describe('where to submit', () => {
  it('names the commune responsible for an old address with a hamlet ("thôn 3 xã Y huyện Z cũ")', () => {
    const r = resolve('tôi ở thôn 3 xã Bình Triều huyện Thăng Bình cũ thì nộp hồ sơ ở đâu');
    expect(r.kind).toBe('where_to_submit');
    expect(r.submit).toBe(true);
    expect(r.subCommune).toBe('thôn 3');
    expect(communesOf(r.reading)).toEqual(['20794']);
    // The hamlet's name is not taken for a commune.
    expect(r.mentions.map((m) => m.name)).toEqual(['Bình Triều', 'Thăng Bình']);
  });

  it('reads "về xã nào để nộp hồ sơ" as where to submit, and "gồm các phường nào" as what a new unit was made of', () => {
    const r = resolve('Tôi quê ở xã Bình Triều, giờ làm khai sinh cho con thì về xã nào để nộp hồ sơ?');
    expect(r.kind).toBe('where_to_submit');
    expect(communesOf(r.reading)).toEqual(['20794']);
    // Papers that name the unit are no errand: the question is what it was made of.
    expect(resolve('Giấy tờ ghi phường Ba Đình, cho hỏi phường mới này gồm các phường nào cũ vậy?').kind).toBe('new_to_old');
  });

  it('answers "không còn huyện thì làm ở đâu" without a place', () => {
    const r = resolve('không còn huyện thì làm ở đâu');
    expect(r).toMatchObject({ kind: 'where_to_submit', noDistrictLevel: true, reading: null });
  });
});

describe('ambiguous and unknown names', () => {
  it('gives every candidate when a name exists in several provinces and nothing says which', () => {
    const r = resolve('xã Tân Phú cũ giờ thuộc xã nào');
    expect(r.kind).toBe('ambiguous');
    expect(r.candidates.length).toBeGreaterThan(5);
    expect(new Set(r.candidates.map((c) => c.kind))).toEqual(new Set(['old_commune']));
    expect(resolve('phường 5 giờ là phường gì').kind).toBe('ambiguous');
    expect(resolve('huyện Châu Thành cũ giờ thuộc tỉnh nào').kind).toBe('ambiguous');
  });

  it('narrows with context: "xã Tân Phú huyện Đức Hòa" is one unit', () => {
    expect(resolve('xã Tân Phú huyện Đức Hòa cũ giờ là xã nào').kind).toBe('old_to_new');
  });

  it('says a name that does not exist is not found, with the closest names, and never guesses', () => {
    const r = resolve('xã Hoa Mai Vàng cũ giờ là xã nào');
    expect(r.kind).toBe('not_found');
    expect(r.reading).toBeNull();
    expect(r.notFound?.name).toBe('Hoa Mai Vàng');
    const typo = resolve('phường Trúc Bạc cũ giờ là phường nào');
    expect(typo.kind).toBe('not_found');
    expect(typo.notFound?.suggestions[0]).toMatchObject({ name: 'Phường Trúc Bạch' });
    // A real name followed by words that make it another, unknown name is not the real one.
    expect(resolve('huyện Thanh Sơn Lâm cũ giờ thuộc tỉnh nào').kind).toBe('not_found');
    // An abbreviation without its dot still introduces a capitalised name.
    expect(resolve('tt Bến Mơ cũ bh thuộc đâu z ad').notFound?.name).toBe('Bến Mơ');
  });

  it('says an unknown name written as a name is not found in a question of where to submit, and not a word that is no name', () => {
    const r = resolve('Nhà tôi ở xã Phú Lộc Thượng Đông, giờ làm giấy tờ thì nộp ở đâu ạ?');
    expect(r.kind).toBe('not_found');
    expect(r.notFound?.name).toBe('Phú Lộc Thượng Đông');
    expect(resolve('Phường bát âm của các cụ muốn mượn hội trường thì liên hệ ai ạ?').kind).toBe('none');
  });

  it('says an unknown commune is not in the district given, rather than answering for the district', () => {
    const r = resolve('xa khuoi san mu huyen bao lac gio la xa gi');
    expect(r.kind).toBe('not_found');
    expect(r.reading).toBeNull();
    expect(r.notFound).toMatchObject({ name: 'khuoi san mu', within: 'huyện Bảo Lạc, tỉnh Cao Bằng' });
    // A known commune there is still answered, and the district alone still lists its communes.
    expect(reading(resolve('xã Cốc Pàng huyện Bảo Lạc giờ thuộc xã nào'), 'old_commune').old.name).toBe('Xã Cốc Pàng');
    expect(resolve('huyện Bảo Lạc giờ gồm những xã nào').kind).toBe('district');
  });

  it('reads provinces by their initials next to a place in them, "huyện đảo", and "giờ ra sao" after a unit', () => {
    expect(communesOf(resolve('tt Nam Sách HD cũ bh là xã j').reading)).toEqual(['10606']);
    expect(resolve('Huyện đảo Lý Sơn bây giờ thành đơn vị gì rồi?').kind).toBe('district');
    // "what became of it" right after a unit, known or not, asks about it.
    expect(resolve('huyen chau thanh tien giang gio ra sao').asksAboutPlace).toBe(true);
    expect(resolve('Huyện Krông Tơ Lan giờ ra sao rồi ạ?').kind).toBe('not_found');
    expect(resolve('hồ sơ nộp hôm thứ ba giờ ra sao rồi').kind).toBe('none');
    // "la gi" typed without diacritics is "là gì", not the old thị xã La Gi, unless a type word says so.
    expect(resolve('tinh Long An sap nhap voi tinh nao, ten moi la gi a').kind).toBe('province');
    expect(resolve('thi xa La Gi gio la phuong nao').kind).toBe('district');
    // "tháng nay là", "năm nay" are times, "ở HN giờ về quê" goes home: no place question.
    for (const text of ['lich tiem vaccine cho tre so sinh o tram y te thang nay la ngay nao', 'diem chuan vao lop 10 truong huyen nam nay la bao nhieu vay',
      'mạ e lãnh lương hưu ở HN giờ về quê ở với con, chuyển chỗ nhận lương hưu mần ở mô ạ']) {
      expect(resolve(text).asksAboutPlace, text).toBe(false);
    }
    // Not alone: "hd" is also "hướng dẫn".
    expect(resolve('ad hd giúp em thủ tục khai sinh').kind).toBe('none');
  });

  it('follows the data when the district given is another of the same old province, and says so', () => {
    const r = resolve('xã Thạch Khê huyện Thạch Hà cũ giờ là xã nào');
    expect(r.kind).toBe('old_to_new');
    expect(r.contextMismatch).toBe('huyện Thạch Hà');
    expect(reading(r, 'old_commune').old.district.name).toBe('Thành phố Hà Tĩnh');
  });

  it('does not answer for a commune of the same name elsewhere when the address names another province', () => {
    const r = resolve('xã Đông Xuân thành phố Thanh Hóa cũ giờ là xã nào');
    expect(r.kind).toBe('not_found');
    expect(r.reading).toBeNull();
    expect(r.notFound).toMatchObject({ name: 'Đông Xuân', typeWord: 'xã', within: 'thành phố Thanh Hóa' });
    expect(r.notFound?.suggestions.map((s) => s.where)).toEqual(['huyện Sóc Sơn, thành phố Hà Nội cũ', 'huyện Quốc Oai, thành phố Hà Nội cũ']);
  });

  it('prefers a shorter name spelled as typed over a longer one that is not ("Tân Phú Đồng Xoài")', () => {
    expect(communesOf(resolve('Phường Tân Phú Đồng Xoài nay là phường gì?').reading)).toEqual(['25195']);
  });

  it('reads the districts merged into Thủ Đức in 2021 ("q2", "quận 9") as that city, and a number after "quận" never as a ward', () => {
    expect(communesOf(resolve('p.an phú q2 cũ giờ thuộc phường nào vậy ad').reading)).toEqual(['27094', '27097']);
    expect(communesOf(resolve('phuong phuoc long b q9 gio la phuong gi').reading)).toEqual(['26848']);
    const district = resolve('quận 9 cũ giờ thuộc phường nào');
    expect(district.kind).toBe('district');
    expect(reading(district, 'old_district').old.name).toBe('Thành phố Thủ Đức');
    expect(resolve('phường 2 quận 9').mentions.find((m) => m.role === 'primary')).toMatchObject({ typeWord: 'phường', level: 'commune' });
    // No "quận 13" ever existed: not the wards numbered 13, and no place at all.
    expect(placesNamed('quận 13 giờ là gì')).toEqual([]);
  });

  it('says so when the district given holds none of the namesakes ("phường 3 quận 5")', () => {
    const r = resolve('em ở phường 3 quận 5 giờ đổi thành phường nào vậy');
    expect(r.kind).toBe('ambiguous');
    expect(r.contextMismatch).toBe('quận 5');
  });

  it('reads a bare name right after a typed unit as the place it lies in, not a finer namesake inside it', () => {
    // "Long An" is a province and a xã of huyện Châu Thành (Tiền Giang): after "huyện Châu Thành" it is the province.
    const r = resolve('Huyện Châu Thành Long An bỏ rồi thì nộp hồ sơ ở đâu ạ');
    const district = reading(r, 'old_district');
    expect(district.old.province.name).toBe('Tỉnh Long An');
    expect(reading(resolve('xã Long An huyện Châu Thành Tiền Giang cũ giờ là xã nào'), 'old_commune').old.name).toBe('Xã Long An');
  });

  it('reads what became of a unit asked in everyday words, an island commune, and "có bị" typed without diacritics', () => {
    expect(reading(resolve('Huyện Kbang bị xóa rồi thì giờ gồm những xã nào ạ?'), 'old_district').old.name).toBe('Huyện KBang');
    expect(reading(resolve('Xã đảo Nhơn Lý ở Quy Nhơn giờ là phường nào rồi ạ?'), 'old_commune').old.name).toBe('Xã Nhơn Lý');
    // "co bi" is "có bị", not the xã Cổ Bi of Hà Nội: the province is what is asked.
    expect(resolve('tinh Cao Bang sau 1/7 co bi sap nhap khong').kind).toBe('province');
  });

  it('reads "trc" (trước) as typed in chat: "đặc khu Bạch Long Vĩ trc là j"', () => {
    const r = resolve('đặc khu Bạch Long Vĩ trc là j ad');
    expect(r.kind).toBe('new_to_old');
    expect(reading(r, 'new_commune').commune.name).toBe('Đặc khu Bạch Long Vĩ');
  });

  it('reads a numeral typed in digits after a name written with a Roman one ("tam xuân 2" is Xã Tam Xuân II)', () => {
    expect(reading(resolve('tam xuân 2 núi thành h là xã j ạ'), 'old_commune').old.name).toBe('Xã Tam Xuân II');
    expect(reading(resolve('tam xuân II núi thành giờ là xã gì'), 'old_commune').old.name).toBe('Xã Tam Xuân II');
  });

  it('trusts a name right before a place that holds it, typed without diacritics or a place question', () => {
    const r = resolve('Toi o phuong Tran Phu Mong Cai, gio muon sang ten so do thi nop ho so o dau');
    expect(r.kind).toBe('where_to_submit');
    expect(reading(r, 'old_commune').old.district.name).toContain('Móng Cái');
    expect(resolve('châu thái quỳ hợp muốn c.thực bản sao sổ hk thì ra đâu ạ').kind).toBe('where_to_submit');
    expect(reading(resolve('Pà Cò Mai Châu còn giữ tên xã không các bác'), 'old_commune').old.name).toBe('Xã Pà Cò');
  });

  it('reads the first part of a dashed name alone as that unit ("Phan Rang" for Phan Rang-Tháp Chàm), not its last', () => {
    const r = resolve('phường Đông Hải ở Phan Rang giờ thuộc phường nào');
    expect(r.kind).toBe('old_to_new');
    expect(reading(r, 'old_commune').old.district.name).toContain('Phan Rang');
    expect(resolve('Đà Lạt giờ chia thành mấy phường').kind).toBe('district');
  });

  it('reads which office to go to in the ways people ask it ("tới trụ sở nào", "đi nộp ... thì lên", "làm ở xã mình")', () => {
    expect(resolve('nhà tôi ở xã Diên Phú (Diên Khánh) cũ, giờ làm giấy tờ thì tới trụ sở nào').kind).toBe('where_to_submit');
    expect(resolve('tôi ở phường Cống Vị cũ, giờ đi nộp hồ sơ thì lên phường Ngọc Hà phải không').kind).toBe('where_to_submit');
    expect(resolve('tôi ở xã Cù Lao Giêng mới, đăng ký khai sinh làm ở xã mình luôn được không').kind).toBe('where_to_submit');
  });

  it('reads Đăk and Đắk as one word (xã Đăk Nông of Kon Tum, tỉnh Đắk Nông): the place beside it tells which', () => {
    const r = resolve('huyện Cư Jút Đăk Nông giờ thuộc tỉnh nào');
    expect(r.kind).toBe('district');
    expect(r.mentions.map((m) => m.level)).toEqual(['district', 'province']);
  });

  it('reads "xa" before a known commune as the type word, not the end of a village\'s name ("ban Huoi Dao xa Nam Cha")', () => {
    const r = resolve('toi o ban Huoi Dao xa Nam Cha huyen Nam Nhun, lam giay khai sinh cho con thi di xa nao');
    expect(r.kind).toBe('where_to_submit');
    expect(reading(r, 'old_commune').old.name).toBe('Xã Nậm Chà');
  });

  it('reads a name said again as the unit it named first, and "X mới" as the unit asked about', () => {
    expect(reading(resolve('Tam Đa Yên Phong giờ vẫn giữ tên xã Tam Đa hả anh?'), 'old_commune').old.district.name).toContain('Yên Phong');
    expect(resolve('Huyện Thanh Ba Phú Thọ bỏ rồi, giờ các xã của Thanh Ba cũ nhập lại thành những xã nào?').kind).toBe('district');
    const fresh = resolve('Xã Ba Tơ mới gồm thị trấn Ba Tơ với những xã nào nữa ạ?');
    expect(fresh.kind).toBe('new_to_old');
    expect(reading(fresh, 'new_commune').commune.name).toBe('Xã Ba Tơ');
  });

  it('asks what a district became, not where to submit, when "bỏ cấp huyện" comes with "những phường nào"', () => {
    expect(resolve('Thị xã Quảng Yên bỏ cấp huyện rồi thì giờ có những phường nào ạ?').kind).toBe('district');
  });

  it('says a bare name is not in the province named after it ("ngũ kiên thái bình"), and reads "với" as a word', () => {
    expect(resolve('ngũ kiên thái bình h về xã nào v').kind).toBe('not_found');
    expect(resolve('Bac Giang voi Bac Ninh nhap lai thi ten tinh la gi').kind).toBe('province');
  });

  it('reads a province written with its first word cut to the initial ("Q.Bình", "N.An")', () => {
    const r = resolve('h.Quảng Ninh(Q.Bình cũ) giờ tách ra thành nhg xã nào vậy ad');
    expect(r.kind).toBe('district');
    expect(reading(r, 'old_district').old.province.name).toBe('Tỉnh Quảng Bình');
  });

  it('says a typed ward is not in the province or city named after it ("phường Hoàn Kiếm ở Hải Phòng", "p.tân định tp đà lạt")', () => {
    expect(resolve('phuong Hoan Kiem o Hai Phong cu gio thuoc phuong nao').kind).toBe('not_found');
    expect(resolve('p.tân định tp đà lạt h là p gì ạ').kind).toBe('not_found');
  });

  it('reads "thì ra UB xã nào" as where to go, and a common-word name after a comma as an ordinary word', () => {
    expect(resolve('nhà e ở xóm Trại x.Tuy Lai h.Mỹ Đức HN, h muốn đky kết hôn thì ra UB xã nào ạ').kind).toBe('where_to_submit');
    expect(resolve('Bình Định sáp nhập với Gia Lai thì tỉnh mới tên gì, trung tâm hành chính đặt ở đâu?').kind).toBe('province');
  });

  it('reads a name spelt as typed after a word that only looks like a name ("ở Điện Biên" is not Ô Diên)', () => {
    expect(resolve('Xã Nà Phặc ở Điện Biên sau sáp nhập tên là gì ạ?').kind).toBe('not_found');
  });

  it('ends a name before initials in capitals ("huyện Hồng Dân BL cũ"), and reads "có bị sáp nhập" next to a province', () => {
    expect(reading(resolve('huyện Hồng Dân BL cũ h có mấy xã, tên j z mn'), 'old_district').old.name).toBe('Huyện Hồng Dân');
    expect(provinceOf(resolve('điện biên có bị sáp nhập vs lai châu ko ad').reading)).toBe('11');
  });

  it('reads two capitalised words after "p" without its dot as a ward nobody knows ("p Gò Sao cũ"), not a known district after it', () => {
    const r = resolve('p Gò Sao cũ h thuộc p nào z');
    expect(r.kind).toBe('not_found');
    expect(r.mentions.map((m) => m.name)).toEqual(['Gò Sao']);
    expect(resolve("xa Ea Pok Nam Cu M'gar gio la xa gi").mentions.map((m) => m.name)).toContain("Cu M'gar");
  });

  it('reads "Xin hỏi" as courtesy, not as something to do there', () => {
    expect(resolve('Xin hỏi ấp 3, xã Viên An Đông, huyện Ngọc Hiển, tỉnh Cà Mau bây giờ thuộc xã nào?').kind).toBe('old_to_new');
  });

  it('suggests the unit of that name at another level ("tỉnh Sa Pa")', () => {
    const r = resolve('tỉnh Sa Pa cũ giờ là tỉnh nào');
    expect(r.kind).toBe('not_found');
    expect(r.notFound?.suggestions[0]).toMatchObject({ name: 'Thị xã Sa Pa' });
  });
});

describe('ordinary words are not places', () => {
  it.each([
    'đăng ký khai sinh cho con', 'làm giấy phép xây dựng nhà ở', 'hộ nghèo', 'tách hộ', 'chứng thực hợp đồng',
    'thủ tục này là gì vậy', 'văn phòng công chứng ở đâu', 'hồ sơ tôi nộp hôm thứ ba giờ ra sao rồi', 'bảo trợ xã hội cho người già',
    'xin giay xac nhan cu tru', 'đạo hàm của x bình phương là gì', 'nop ho so dang ky thuong tru bao nhieu ngay',
    // "đăng ký" is one word (not xã Kỳ Phương), and so is "phương tiện" after it (not xã Tiền Thủy)
    'Dang ky phuong tien thuy lan dau thi nop o dau?',
  ])('"%s" resolves to no place', (text) => {
    const r = resolve(text);
    expect(r.kind).toBe('none');
    expect(r.mentions).toEqual([]);
  });

  it('needs a unit-type word or a place question before trusting a common-word name', () => {
    expect(placesNamed('tôi ở Tân Phú muốn làm căn cước')).toEqual([]);
    expect(resolve('xã Tân Phú huyện Đức Hòa cũ giờ là xã nào').mentions.length).toBe(2);
    expect(resolve('Tân Phú', { expectPlace: true }).kind).toBe('ambiguous');
  });

  it('reads a message that is only an address, or asks whether a unit is still there, as a place question', () => {
    for (const text of ['xã an bình huyện phú giáo bình dương', 'hội an giờ còn là thành phố không', 'giờ còn quận bình thạnh không']) {
      expect(resolve(text).asksAboutPlace, text).toBe(true);
    }
    // An address inside a question about something else is not.
    expect(resolve('tôi ở xã An Bình huyện Phú Giáo muốn làm căn cước cho con').asksAboutPlace).toBe(false);
    // An address alone is flagged as such (during a hand-off it is for the official).
    expect(resolve('xã an bình huyện phú giáo bình dương').bareAddress).toBe(true);
    expect(resolve('hội an giờ còn là thành phố không').bareAddress).toBe(false);
  });

  it('reads a type word typed without diacritics in a message typed with them as the ordinary word, unless a known name follows', () => {
    // "xa" is "far", "quan" the "quan" of "cơ quan": no unknown unit, no place question.
    for (const text of ['Tôi đi làm ăn xa 10 năm, giờ về quê thì hộ khẩu đã bị xóa, muốn đăng ký lại thường trú thì làm sao?',
      'Cơ quan bảo tôi nộp giấy xác nhận thông tin hộ tịch đã đăng ký trước đây, xin ở đâu và làm thế nào ạ?']) {
      expect(resolve(text).mentions, text).toEqual([]);
      expect(resolve(text).asksAboutPlace, text).toBe(false);
    }
    expect(placesNamed('Tôi ở xa Tân Lập cũ giờ thuộc xã nào')).toEqual(['xa Tân Lập']);
    expect(placesNamed('nhà tôi ở phuong 10 cũ giờ là phường nào')).toEqual(['phuong 10']);
  });

  it('reads a name given to a person as a name ("Em tên Hà Giang"), and a firm\'s or a cooperative\'s name as no place', () => {
    expect(resolve('Hồ sơ đăng ký kết hôn em nộp hôm thứ hai đến giờ có kết quả chưa ạ? Em tên Hà Giang, sinh năm 1998.').kind).toBe('none');
    expect(placesNamed('Cty Hoàng Long nơi tôi làm đã giải thể, giờ sổ bảo hiểm xã hội của tôi chốt ở đâu ạ?')).toEqual([]);
    expect(placesNamed('ad ơi hợp tác xã Bình Minh muốn đăng ký lại con dấu thì làm ở đâu ạ')).toEqual([]);
  });

  it('splits words glued at a capital ("YangTao huyenLak") and still reads a name written glued ("Đambri")', () => {
    const r = resolve('xa YangTao huyenLak gio nhap vao xa nao vay');
    expect(r.kind).toBe('old_to_new');
    expect(reading(r, 'old_commune').old.district.name).toBe('Huyện Lắk');
    expect(resolve('e ở xã Đambri tp Bảo Lộc, cần chứng thực hợp đồng thì h ra phường nào lm ạ').kind).toBe('where_to_submit');
  });

  it('reads "thành phường nào", "ghi xã nào", "nhập vô đâu" as what the unit became, whatever the citizen is doing', () => {
    expect(resolve('Em chuẩn bị làm hồ sơ xin việc mà giấy tờ cũ ghi phường 2 thành phố Đông Hà. Giờ phường 2 đổi thành phường nào vậy ạ').kind).toBe('old_to_new');
    expect(resolve('Cho mình hỏi xã Đạ Ròn, Đơn Dương, Lâm Đồng giờ nhập vô đâu rồi? Mình đang điền tờ khai.').kind).toBe('old_to_new');
    // "công an phường nào" is where to go, not xã An Phương.
    const r = resolve('Toi o phuong 2 TP Vung Tau, muon dang ky sang ten xe oto thi gio len cong an phuong nao?');
    expect(r.kind).toBe('where_to_submit');
    expect(r.mentions.map((m) => m.text)).toEqual(['phuong 2', 'TP Vung Tau']);
  });

  it('reads provinces by their initials glued ("QNam", "qbinh"), and the seat of a province as a question about the map', () => {
    const r = resolve('ad ơi xã Đại Thắng h.Đại Lộc QNam h đổi thành xã j v ạ');
    expect(r.kind).toBe('old_to_new');
    expect(r.mentions.map((m) => m.text)).toEqual(['xã Đại Thắng', 'h.Đại Lộc', 'QNam']);
    expect(resolve('qbinh vs qtri nhập lại h tên tỉnh là j v').kind).toBe('province');
    // "trụ sở tỉnh mới ở đâu" is no office to go to.
    expect(resolve('Bắc Giang nhập với Bắc Ninh rồi thì trụ sở tỉnh mới đặt ở đâu ạ?').kind).toBe('province');
    expect(resolve('Địa chỉ cũ: phường Chi Lăng, thành phố Lạng Sơn. Giờ đổi sang phường nào vậy ạ?').kind).toBe('old_to_new');
    // "gia hạn" is something to do there; "ủy ban thì" is not xã Bản Thi.
    expect(resolve('xa Dak Dro Krong No cu gio gia han bao hiem y te ho gia dinh o dau vay ad').kind).toBe('where_to_submit');
    expect(placesNamed('con dau tren giay to cu gio doi ten uy ban thi con hieu luc khong')).toEqual([]);
    // "tạm nhập rồi tái xuất" asks nothing about the map.
    expect(resolve('Lo hang tam nhap roi tai xuat qua cua khau Mong Cai, ho so gom nhung gi?').kind).toBe('none');
  });

  it('reads the place a question is about when a message names two: said again, where one lives, or home', () => {
    const primary = (text: string) => resolve(text).mentions.find((m) => m.role === 'primary')?.name;
    expect(primary('Chong toi que thi tran Man Duc huyen Tan Lac Hoa Binh, con toi que Ben Tre, xa Quoi Son huyen Chau Thanh. Toi chi hoi que toi thoi: xa Quoi Son bay gio thuoc xa nao?')).toBe('Quoi Son');
    expect(primary('e sinh ra o xa Phong Thanh, Phong Dien (Hue) nhg tu nho theo bo me vo Binh Duong, h dang o xa An Son tp Thuan An. cho e hoi cho e dang o (An Son) h la phuong nao z ad')).toBe('An Son');
    // Where to submit: where the citizen lives, unless the question says home.
    expect(primary('Mẹ tôi quê xã Hòa Sơn, Đô Lương, Nghệ An, còn tôi sinh sống ở thị trấn Tiểu Cần, Trà Vinh. Giờ tôi cần chứng thực bản sao giấy tờ nhà thì đến UBND xã nào?')).toBe('Tiểu Cần');
    expect(primary('e dang o phuong Thot Not Can Tho lm thue, que e xa Nong Ha, Cho Moi, Bac Kan. e can ve que xin giay xac nhan ho ngheo thi len UB xa nao a (o que)')).toBe('Nong Ha');
    // A dash or a slash ends a name ("Thôn Lâm Bình - Lâm Sơn - Ninh Sơn"), but not one written with it.
    expect(primary('Địa chỉ cũ của em: Thôn Lâm Bình - Lâm Sơn - Ninh Sơn - Ninh Thuận. Địa chỉ mới thì ghi sao, xã còn tên Lâm Sơn không?')).toBe('Lâm Sơn');
    expect(resolve('Tỉnh Bà Rịa – Vũng Tàu sáp nhập với tỉnh nào?').kind).toBe('province');
    expect(resolve('tp Phan Rang-Tháp Chàm giờ là phường nào').kind).toBe('district');
  });

  it('reads a ward numbered as none is in the city given, or numbered in another city of the province, as not found', () => {
    for (const text of ['p20 q10 h là p j v mn', 'Phường 23 quận Bình Thạnh bây giờ thuộc phường nào vậy ạ?']) {
      expect(resolve(text).kind, text).toBe('not_found');
    }
    const r = resolve('Phường 9 Bảo Lộc giờ là phường nào vậy ạ?');
    expect(r.kind).toBe('not_found');
    expect(r.notFound?.suggestions.map((s) => s.where)).toEqual(['thành phố Đà Lạt, tỉnh Lâm Đồng cũ']);
    // A number said in words, with its diacritics.
    expect(resolve('phường bảy quận 3 giờ là phường nào').mentions[0]).toMatchObject({ text: 'phường bảy', level: 'commune' });
  });

  it('reads a question right after a whole address as about its first unit, and capitals after a name as initials', () => {
    // "Muong Te" typed without diacritics is also ordinary words; the question after "tinh Dien Bien" is about it.
    const te = resolve('Huyen Muong Te tinh Dien Bien gio chia thanh nhung xa nao');
    expect(te.kind).toBe('not_found');
    expect(te.notFound?.suggestions.map((s) => s.where)).toEqual(['tỉnh Lai Châu cũ']);
    expect(resolve('h.Mù Cang Chải YB h còn mấy xã thế ad').kind).toBe('district');
    // A hamlet word right after "xã" is the start of the name asked about, not a hamlet.
    const r = resolve('Xã Bản Giốc huyện Trùng Khánh sau sáp nhập tên là gì ạ?');
    expect(r.kind).toBe('not_found');
    expect(r.notFound).toMatchObject({ name: 'Bản Giốc', typeWord: 'xã' });
  });

  it('reads a street\'s or a person\'s name as no place ("đường Lạc Long Quân", "Nguyễn Văn An"), unless the word ends another place', () => {
    const street = resolve('so 120 duong Lac Long Quan phuong 5 quan 11 gio ghi dia chi moi la phuong nao');
    expect(street.kind).toBe('old_to_new');
    expect(communesOf(street.reading)).toEqual(['27211']);
    expect(placesNamed('Tôi tên Nguyễn Văn An, giờ muốn đổi tên trong khai sinh thành Nguyễn Thành An được không?')).toEqual([]);
    // "Dương" of "Bình Dương" is no street: the name after it is still read.
    expect(placesNamed('binh duong thu dau mot gio la phuong nao')).toContain('thu dau mot');
  });

  it('reads a name typed without diacritics as a place only with the question near it, and "đâu" only after it', () => {
    // "đổi tên" (a place cue) is eight words away from "Ben thuy" (bến thủy nội địa, a wharf).
    expect(placesNamed('Ben thuy noi dia cua doanh nghiep toi muon doi ten khac thi lam thu tuc ra sao?')).toEqual([]);
    // "giá dầu Thổ Tang" typed as "gia dau tho tang": "dầu" is not "đâu".
    expect(placesNamed('quyet toan khoan phu thu khi gia dau tho tang')).toEqual([]);
    expect(placesNamed('tho tang o dau vay ad')).toEqual(['tho tang']);
    expect(resolve('cho hoi ban qua bay gio la xa nao').kind).toBe('old_to_new');
  });

  it('reads a commune said "mới" as the new unit of that name, whichever province holds the old one more closely', () => {
    const r = resolve('xa song lo moi thanh lap o phu tho gom nhung xa nao cua huyen song lo cu');
    expect(r.kind).toBe('new_to_old');
    expect(communesOf(r.reading)).toEqual(['08848']);
    // Said twice, old then new, it is still the old one asked about.
    expect(resolve('Xa Hung Dao thanh pho Cao Bang cu nay thuoc xa Hung Dao moi phai khong a?').kind).toBe('old_to_new');
  });

  it('reads two provinces named together as provinces, and "nhập từ mấy xã" as what a new unit was made of', () => {
    const r = resolve('Đồng Nai sáp nhập với Bình Phước rồi hả, tỉnh mới tên là gì?');
    expect(r.kind).toBe('province');
    expect(provinceOf(r.reading)).toBe('75');
    const made = resolve('Xã Hòa Hội ở Tây Ninh bây giờ là nhập từ mấy xã, xã nào?');
    expect(made.kind).toBe('new_to_old');
    expect(communesOf(made.reading)).toEqual(['25606']);
  });

  it('reads a capitalised name after an abbreviation without its dot as deliberate, and capitals going on as a longer name', () => {
    const town = resolve('tt Tan Chau TN h xin xac nhan cu tru thi len dau v');
    expect(town.kind).toBe('where_to_submit');
    expect(communesOf(town.reading)).toEqual(['25516']);
    expect(resolve('x Long My Thuan Tay h la xa j v').kind).toBe('not_found');
    expect(resolve('ad oi p Hoa Thanh Loi h thuoc p nao z').kind).toBe('not_found');
    // Lowercase words after the name are not part of it: "nđ" is Nam Định, "bh" is "bây giờ".
    expect(resolve('h Giao Thủy nđ giờ có nhiêu xã ad').kind).toBe('district');
  });

  it('reads no name that splits a pair of words or follows "chia lại", and "mấy giờ" as a time', () => {
    // "cần đăng ký" is not xã Cần Đăng + "ký"; "đóng lệ phí" typed without diacritics is not phường Đông Lễ.
    expect(resolve('Xã Cát Minh cũ, tôi cần đăng ký thì đến xã nào?').kind).toBe('where_to_submit');
    expect(placesNamed('mua xe may moi dong le phi truoc ba o dau z, dong online dc ko')).toEqual([]);
    expect(resolve('Mai Chau Hoa Binh sau 1/7 chia lai thanh cac xa nao?').kind).toBe('district');
    expect(placesNamed('Chợ Bến Thành mấy giờ đóng cửa vậy?')).toEqual([]);
    expect(placesNamed('DNTN Hưng Thịnh muốn giải thể thì thủ tục ra sao')).toEqual([]);
  });

  it('reads a bare name as the province it can be when the question is about provinces ("Sài Gòn gồm những tỉnh nào")', () => {
    const r = resolve('Sài Gòn sau sáp nhập gồm những tỉnh nào vậy, còn tên TP.HCM không?');
    expect(r.kind).toBe('province');
    expect(provinceOf(r.reading)).toBe('79');
    expect(resolve('Sài Gòn nhập với tỉnh nào vậy').kind).toBe('province');
    expect(provinceOf(resolve('Hoa Binh cu gio la tinh nao').reading)).toBe('25');
    // Not a commune's province: "xã Tân Phú thuộc tỉnh nào" still asks which xã Tân Phú.
    expect(resolve('xã Tân Phú thuộc tỉnh nào').kind).toBe('ambiguous');
    // A province named as one is what such a question asks about, not a commune's name among its words ("Hợp Nhất")...
    const merged = resolve('tỉnh Lào Cai bây giờ là hợp nhất của tỉnh nào với tỉnh nào vậy?');
    expect(merged.kind).toBe('province');
    expect(provinceOf(merged.reading)).toBe('15');
    // ...unless a commune is named as one too.
    expect(resolve('Xã Mai Hạ huyện Mai Châu tỉnh Hòa Bình bây giờ thuộc tỉnh nào, xã nào vậy ạ?').kind).toBe('old_to_new');
  });

  it('reads Central speech ("chừ" for "giờ", "xã mô" for "xã nào", "ở mô" for "ở đâu"), not a name with "Mô" in it', () => {
    const r = resolve('bên nhà tui ở xã Húc, chừ thuộc xã mô rứa');
    expect(r.kind).toBe('old_to_new');
    expect(placesNamed('bên nhà tui ở xã Húc, chừ thuộc xã mô rứa')).toEqual(['xã Húc']);
    expect(resolve('nhà tui ở xã Húc, Hướng Hóa, chừ làm giấy khai sinh cho cháu thì đi xã mô').kind).toBe('where_to_submit');
    expect(placesNamed('ở huyện Yên Mô cũ chừ làm giấy tờ ở mô')).toEqual(['huyện Yên Mô']);
    expect(placesNamed('xe mô tô ở xã Húc')).toEqual(['xã Húc']);
  });

  it('ends a name before "nhà em" ("xã tân phú nhà em"), and reads all of a run of names rather than leave a word over', () => {
    expect(resolve('xã tân phú nhà em giờ về xã nào ạ').kind).toBe('ambiguous');
    // "Phú Xuân Tân Phú Đồng Nai" is xã Phú Xuân of Tân Phú, Đồng Nai, not Tân Phú Đông (Tiền Giang) and a word "Nai".
    const r = resolve('Phú Xuân Tân Phú Đồng Nai giờ nhập vô xã nào');
    expect(placesNamed('Phú Xuân Tân Phú Đồng Nai giờ nhập vô xã nào')).toEqual(['Phú Xuân', 'Tân Phú', 'Đồng Nai']);
    expect(reading(r, 'old_commune').old.name).toBe('Xã Phú Xuân');
    // A run where every word is already read stays as it is.
    expect(placesNamed('Đại Hòa Lộc Bình Đại Bến Tre cũ giờ là xã nào')).toEqual(['Đại Hòa Lộc', 'Bình Đại', 'Bến Tre']);
  });

  it('finds a place named in a message that is not about places, but says it is not a place question', () => {
    const r = resolve('liệt kê giúp mình các mô hình của thị xã Phú Mỹ với');
    expect(r.mentions.map((m) => m.text)).toEqual(['thị xã Phú Mỹ']);
    expect(r.asksAboutPlace).toBe(false);
  });
});

describe('speed', () => {
  it('resolves a message in well under a few milliseconds (printed, not asserted)', () => {
    const texts = ['tôi ở thôn 3 xã Bình Triều huyện Thăng Bình cũ thì nộp hồ sơ ở đâu', 'p5 vt nay thuoc dau ad',
      'cho em hỏi thủ tục cấp lại giấy chứng nhận quyền sử dụng đất bị mất thì cần những giấy tờ gì và nộp ở đâu ạ'];
    for (const t of texts) index.resolve(t);
    const started = performance.now();
    const n = 300;
    for (let i = 0; i < n; i++) index.resolve(texts[i % texts.length]);
    const ms = (performance.now() - started) / n;
    const nf = performance.now();
    index.resolve('xã Hoa Mai Vàng cũ giờ là xã nào');
    console.log(`place resolver: ${ms.toFixed(3)} ms per message; not-found with suggestions ${(performance.now() - nf).toFixed(2)} ms`);
    expect(ms).toBeGreaterThan(0);
  });
});
