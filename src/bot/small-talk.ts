import { clean, fold, hasDiacritics } from '../nlu/text.js';
import type { Reply } from '../channels/types.js';
import { MENU_BUTTONS, SMALL_TALK as S, T } from './texts.js';

// Small talk, emoji and English answered kindly before the NLU (the intent set is fixed): rules on the message's
// form, kept narrow so that a real question is never taken for small talk.

const IDENTITY = /\b(em|ban|bot|may|ad|admin|chatbot|tro ly|ben kia)\b.*\b(la nguoi|nguoi that|nguoi hay may|la may|la bot|la robot|robot a|la ai|nguoi hay bot|co phai nguoi)\b|^(ai vay|ai do|ai day|ai the)$/;
const NAME = /\b(em|ban|bot)\b.*\bten (la )?gi\b|^ten (em|ban) la gi$/;
const LAUGH = /^((ha|hi|he|hj|kk|ke)\s*){2,}$|^(kkk+|hihi|haha|hehe|=+\)+|:+\)+|:d+|\^\^|<3)$/;
const ACK = /^(ok|oke|okay|okie|uh|u|um|vang|da|da vang|vang a|da a|ok a|ok em|duoc roi|roi|biet roi|da biet|vang vang)$/;
const HOW_ARE_YOU = /\b(khoe khong|co khoe khong|an com chua|ngu chua|buon khong|co vui khong)\b/;
const OFF_TOPIC = /\b(thoi tiet|du bao thoi tiet|xo so|ket qua xo so|bong da|da bong|ty so|gia vang|ty gia|chung khoan|tu vi|boi toan|xem boi|phim gi|bai hat|cong thuc nau|nau mon)\b/;

/** Words of English sentences that are no Vietnamese syllable when typed without diacritics ("the" is thẻ, "my" Mỹ). */
const ENGLISH = new Set(('what how where when why who which is are was were does did will would could should please hello hey thanks thank '
  + 'you your need want get apply register birth certificate status application i im i\'m of for with this that it have has there from '
  + 'about help speak english office hours open time fee fees document documents passport marriage id card address phone number check '
  + 'much many take make know tell find am be been and or not any some don\'t doesn\'t can\'t cost pay what\'s where\'s it\'s there\'s '
  + 'would like get got submit request dossier procedure procedures official officer staff talk human person').split(' '));

export function isEnglish(raw: string): boolean {
  if (hasDiacritics(raw)) return false;
  const words = raw.toLowerCase().match(/[a-z']+/g) ?? [];
  if (words.length < 2) return false;
  const hits = words.filter((w) => ENGLISH.has(w)).length;
  return hits >= 2 && hits / words.length >= 0.5;
}

/** A reply for small talk, or null when the message is something else. */
export function smallTalk(raw: string): Reply | null {
  const text = raw.trim();
  if (!text || text.startsWith('#')) return null;
  const menu3 = MENU_BUTTONS.slice(0, 3);
  if (!/[\p{L}\p{N}]/u.test(text)) return { text: S.emoji, buttons: menu3 };
  if (isEnglish(text)) return { text: S.english, buttons: MENU_BUTTONS };
  const f = fold(clean(text)).replace(/[?!.,…~]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (IDENTITY.test(f)) return { text: S.identity, buttons: menu3 };
  if (NAME.test(f)) return { text: S.name, buttons: menu3 };
  if (LAUGH.test(f)) return { text: S.laugh };
  if (ACK.test(f)) return { text: S.ack };
  if (HOW_ARE_YOU.test(f)) return { text: S.howAreYou, buttons: menu3 };
  if (OFF_TOPIC.test(f)) return { text: T.outOfScope, buttons: MENU_BUTTONS };
  return null;
}
