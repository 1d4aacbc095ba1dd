import type { Role } from './auth.js';

// Who may read citizens' personal data on the console (names, phones, addresses, what they typed into a form):
// the officials who answer them. Editors and viewers see the conversation with those parts masked.

export const PERSONAL_ROLES: readonly Role[] = ['admin', 'agent'];
export const maySeePersonal = (role: Role) => PERSONAL_ROLES.includes(role);

export const HIDDEN = '(dữ liệu cá nhân, chỉ cán bộ hỗ trợ xem được)';

/** "Nguyễn Thị Hoa" -> "N. T. H." */
export const maskName = (name: string | null) =>
  (name ? name.trim().split(/\s+/).map((w) => `${[...w][0] ?? ''}.`).join(' ') : name);

/** "0912345678" -> "*******678" */
export const maskPhone = (phone: string | null) =>
  (phone ? `${'*'.repeat(Math.max(0, phone.length - 3))}${phone.slice(-3)}` : phone);

/** A form answer's entities mark personal data: `{ form: { personal: true } }`. */
export function isPersonalAnswer(entities: unknown): boolean {
  const form = (entities as { form?: { personal?: unknown } } | null)?.form;
  return form?.personal === true;
}

/** A message's text as a role sees it: a citizen's form answer with personal data is masked for the others. */
export const shownText = (m: { direction: string; text: string; entities: unknown }, personal: boolean) =>
  (!personal && m.direction === 'in' && isPersonalAnswer(m.entities) ? HIDDEN : m.text);
