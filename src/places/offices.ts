import { fold } from '../nlu/text.js';
import type { OfficeContact, OfficeLookup } from './answer.js';
import { inline } from './format.js';

// Finds a commune's one-stop office among the knowledge base's offices by name ("Trung tâm Phục vụ hành chính
// công phường Sa Đéc"). Only offices the knowledge base holds are ever shown: the map itself has no addresses.

const ONE_STOP = /(hanh chinh cong|mot cua|ubnd|uy ban nhan dan)/;

export function officeLookupFromKb(offices: OfficeContact[]): OfficeLookup {
  const folded = offices.map((o) => ({ o, name: ` ${fold(o.name.toLowerCase())} ` }));
  return (commune) => {
    const unit = ` ${fold(inline(commune.name).toLowerCase())} `;
    const own = folded.filter((f) => f.name.includes(unit));
    return (own.find((f) => ONE_STOP.test(f.name)) ?? own[0])?.o ?? null;
  };
}
