import { coreName, dateVi, inline, listVi, oldCommuneVi, resolutionVi, shortLabel, unitsVi, withProvince } from './format.js';
import { placeTexts as T } from './texts.js';
import type { NewCommuneInfo, PlaceReading, PlaceResolution } from './types.js';

// The citizen-facing reply to a place question, composed from a PlaceResolution. Channel-neutral: text, and
// short option labels when the bot asks the citizen to choose.

/** Contact details of a commune's one-stop office, as the knowledge base holds them (never invented). */
export interface OfficeContact { name: string; address: string; phone?: string | null; hours?: string | null }
export type OfficeLookup = (commune: NewCommuneInfo) => OfficeContact | null | undefined;

export interface PlaceAnswer { text: string; options?: string[] }

const MAX_OPTIONS = 12;
const join = (...parts: Array<string | false | null | undefined>) => parts.filter(Boolean).join(' ');

function officeLines(units: NewCommuneInfo[], lookup?: OfficeLookup): string[] {
  if (!lookup) return [];
  return units.flatMap((u) => {
    const o = lookup(u);
    return o ? [T.office(o.name, o.address, o.phone ?? null, o.hours ?? null)] : [];
  });
}

function submitLines(units: NewCommuneInfo[], lookup?: OfficeLookup): string {
  const offices = officeLines(units, lookup);
  const unitNames = listVi(units.map((u) => inline(u.name)));
  return join(T.submitAt(unitNames), offices.length ? offices.join(' ') : T.findOffice(inline(units[0].province.name)));
}

function oldCommune(r: Extract<PlaceReading, { kind: 'old_commune' }>, q: PlaceResolution, lookup?: OfficeLookup): PlaceAnswer {
  const old = oldCommuneVi(r.old);
  const res = resolutionVi(r.targets[0].resolution);
  const reused = r.nameReusedBy.map((n) => T.reusedName(inline(n.name), inline(n.province.name)));
  if (r.split) {
    const list = r.targets.map((t) => withProvince(t, t.province));
    return {
      text: join(T.split(old, r.targets.length, listVi(list), res), q.subCommune ? T.splitSubCommune(q.subCommune) : T.splitAsk,
        ...reused, q.submit && T.findOffice(inline(r.targets[0].province.name))),
      options: r.targets.map((t) => shortLabel(t.name)).slice(0, MAX_OPTIONS),
    };
  }
  const target = r.targets[0];
  const targetText = withProvince(target, target.province);
  const lead = r.unchanged ? T.unchanged(old, targetText, res)
    : target.note.startsWith('Đổi') ? T.becameAlone(old, targetText, res) : T.mergedInto(old, targetText, '', res);
  return {
    text: join(lead, q.contextMismatch && T.contextMismatch(q.contextMismatch), ...reused, q.submit && submitLines([target], lookup)),
  };
}

function newCommune(r: Extract<PlaceReading, { kind: 'new_commune' }>, q: PlaceResolution, lookup?: OfficeLookup): PlaceAnswer {
  const unit = withProvince(r.commune, r.commune.province);
  const res = resolutionVi(r.commune.resolution);
  const byDistrict = new Map<string, string[]>();
  // Units merged whole first, then the parts of split ones.
  for (const f of [...r.formedFrom].sort((a, b) => Number(a.part) - Number(b.part))) {
    const names = byDistrict.get(f.district.name) ?? [];
    names.push(f.part ? T.part(inline(f.name)) : inline(f.name));
    byDistrict.set(f.district.name, names);
  }
  const list = listVi([...byDistrict].map(([district, names]) => `${listVi(names, 10)} (${inline(district)}${T.oldSuffix})`), 6);
  let lead: string;
  if (r.commune.status === 'not_rearranged') lead = T.keptAsIs(unit, res);
  else if (r.commune.status === 'renamed' && r.formedFrom.length === 1) lead = T.renamedFrom(unit, inline(r.formedFrom[0].name), res);
  else if (r.formedFrom.length === 0) lead = T.districtWhole(listVi(r.fromDistricts.map((d) => inline(d.name))), unit, res);
  else lead = T.formedFrom(unit, list, res);
  return { text: join(lead, q.submit && submitLines([r.commune], lookup)) };
}

function district(r: Extract<PlaceReading, { kind: 'old_district' }>, q: PlaceResolution): PlaceAnswer {
  const sameProvince = r.provinces.length === 1 && r.provinces[0].name === r.old.province.name;
  const name = `${inline(r.old.name)} (${inline(r.old.province.name)}${sameProvince ? '' : T.oldSuffix})`;
  const resolutions = [...new Map(r.communes.map((c) => [c.resolution.number, c.resolution])).values()].map(resolutionVi);
  if (r.communes.length === 1 && r.communes[0].type === 'đặc khu') {
    return { text: T.districtWhole(name, withProvince(r.communes[0], r.communes[0].province), resolutions[0]) };
  }
  const provinces = sameProvince ? null : listVi(r.provinces.map((p) => inline(p.name)));
  const body = T.districtCommunes(name, provinces, r.communes.length, unitsVi(r.communes.map((c) => c.name), 8), listVi(resolutions));
  const formerly = q.formerly && T.joinedBefore(q.formerly.name, inline(r.old.name), q.formerly.date, q.formerly.resolution);
  if (q.submit) {
    return {
      text: join(body, formerly, T.submitAt('xã, phường nơi anh/chị cư trú'), T.askWhichCommuneOfDistrict),
      options: r.communes.map((c) => shortLabel(c.name)).slice(0, MAX_OPTIONS),
    };
  }
  return { text: join(body, formerly) };
}

function province(r: Extract<PlaceReading, { kind: 'province' }>, q: PlaceResolution): PlaceAnswer {
  const p = r.province;
  const now = inline(p.name);
  const parts = (['phường', 'xã', 'đặc khu'] as const).filter((t) => p.countsByType[t]).map((t) => `${p.countsByType[t]} ${t}`).join(', ');
  const counts = T.provinceCounts(now[0].toUpperCase() + now.slice(1), p.communeCount, parts, resolutionVi(p.communeResolution));
  let lead: string;
  if (!r.mergerResolution) lead = T.provinceKept(now);
  else {
    const res = T.provinceResolution(r.mergerResolution.number, dateVi(r.mergerResolution.date));
    const others = p.mergedFrom.filter((m) => m.code !== r.asked.code || r.asked.era === 'new');
    lead = r.asked.era === 'old' && p.mergedFrom.some((m) => m.code === r.asked.code)
      ? T.provinceMerged(inline(r.asked.name), listVi(others.map((m) => inline(m.name))), now, res)
      : T.provinceMergedFrom(now, listVi(p.mergedFrom.map((m) => inline(m.name))), res);
  }
  // "trụ sở tỉnh mới ở đâu": where the merged province is governed from (the list attached to Nghị quyết 60-NQ/TW).
  const centre = r.mergerResolution && p.adminCenter ? T.provinceCentre(now, `${inline(p.adminCenter.replace(/\s*hiện nay$/u, ''))} cũ`) : '';
  return { text: join(lead, counts, centre, q.submit && T.askCommune) };
}

/** Button labels for candidates: the province (old province for old units), with the district when needed. */
function candidateLabels(cands: PlaceReading[]): string[] {
  const where = (c: PlaceReading): [string, string] => {
    switch (c.kind) {
      case 'old_commune': return [coreName(c.old.province.name), coreName(c.old.district.name)];
      case 'new_commune': return [coreName(c.commune.province.name), coreName(c.commune.name)];
      case 'old_district': return [coreName(c.old.province.name), coreName(c.old.name)];
      case 'province': return [coreName(c.asked.name), coreName(c.province.name)];
    }
  };
  const pairs = cands.map(where);
  const provinceCount = new Map<string, number>();
  for (const [p] of pairs) provinceCount.set(p, (provinceCount.get(p) ?? 0) + 1);
  const labels = pairs.map(([p, district]) => {
    if ((provinceCount.get(p) ?? 0) === 1) return shortLabel(p);
    // A numbered district keeps its type word, so that the label read back names it: "Q. 3, Hồ Chí Minh".
    const d = /^\d+$/.test(district) ? `Q. ${district}` : district;
    const both = `${d}, ${p}`;
    return both.length <= 20 ? both : shortLabel(d);
  });
  return [...new Set(labels)].slice(0, MAX_OPTIONS);
}

function candidateText(c: PlaceReading): string {
  switch (c.kind) {
    case 'old_commune': return oldCommuneVi(c.old);
    case 'new_commune': return withProvince(c.commune, c.commune.province);
    case 'old_district': return `${inline(c.old.name)} (${inline(c.old.province.name)}${T.oldSuffix})`;
    case 'province': return inline(c.province.name);
  }
}

function ambiguous(q: PlaceResolution): PlaceAnswer {
  const primary = q.mentions.find((m) => m.role === 'primary');
  const name = primary ? (primary.typeWord ? `${primary.typeWord} ${primary.name}` : primary.name) : '';
  const sameProvince = new Set(q.candidates.map((c) => candidateLabels([c])[0])).size === 1;
  const list = listVi(q.candidates.map(candidateText), 6);
  // "phường 3 quận 5": the district given holds none of them; say so before listing the namesakes.
  const lead = q.contextMismatch
    ? join(T.notFoundWithin(name, q.contextMismatch), T.namesakesElsewhere(q.candidates.length, list))
    : join(T.ambiguous(q.candidates.length, name), T.candidatesAre(list));
  return {
    text: join(lead, sameProvince ? T.askDistrict : T.askProvince),
    options: candidateLabels(q.candidates),
  };
}

function notFound(q: PlaceResolution): PlaceAnswer {
  const nf = q.notFound!;
  const name = nf.typeWord ? `${nf.typeWord} ${nf.name}` : nf.name;
  const suggestions = listVi(nf.suggestions.map((s) => `${inline(s.name)} (${s.where})`), 5, 'hoặc');
  const names = nf.suggestions.map((s) => shortLabel(s.name));
  // Two suggestions of the same name are told apart by where they are: "Đông Xuân, Sóc Sơn".
  const options = names.map((n, i) => (names.indexOf(n) !== names.lastIndexOf(n)
    ? shortLabel(`${coreName(nf.suggestions[i].name)}, ${coreName(nf.suggestions[i].where.split(',')[0])}`) : n));
  return {
    text: nf.within
      ? join(T.notFoundWithin(name, nf.within), suggestions && T.didYouMean(suggestions), T.mergedEarlier)
      : join(T.notFound(name), suggestions && T.didYouMean(suggestions), T.checkName),
    ...(options.length ? { options: [...new Set(options)] } : {}),
  };
}

/** The reply to a resolved place question; `kbOfficeLookup` adds office contacts the knowledge base holds. */
export function placeAnswer(q: PlaceResolution, kbOfficeLookup?: OfficeLookup): PlaceAnswer {
  if (q.kind === 'not_found' && q.notFound) return notFound(q);
  if (q.kind === 'ambiguous') return ambiguous(q);
  const r = q.reading;
  if (!r) return { text: q.kind === 'where_to_submit' ? join(T.submitGeneral, T.askCommune) : T.askPlace };
  switch (r.kind) {
    case 'old_commune': return oldCommune(r, q, kbOfficeLookup);
    case 'new_commune': return newCommune(r, q, kbOfficeLookup);
    case 'old_district': return district(r, q);
    case 'province': return province(r, q);
  }
}
