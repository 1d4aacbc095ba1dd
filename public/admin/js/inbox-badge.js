import { api } from './api.js';

// The menu's count of citizens waiting for an official (on every page); the inbox page updates it as it polls.

const REFRESH_MS = 30_000;

/** Sets the count on the menu's inbox entry: waiting requests, with how many are past the escalation delay. */
export function setInboxCount(counts) {
  const link = document.querySelector('.nav a[href="inbox.html"]');
  if (!link) return;
  let badge = link.querySelector('.count');
  if (!counts.waiting) { badge?.remove(); return; }
  if (!badge) {
    badge = document.createElement('span');
    badge.className = 'count';
    badge.id = 'inbox-count';
    // Styled here so the menu count looks the same on every page (admin.css belongs to the whole console).
    Object.assign(badge.style, { marginLeft: '.3rem', padding: '0 .4rem', borderRadius: '999px', background: '#fff', color: 'var(--brand)', fontWeight: '700', fontSize: '.8rem' });
    link.append(badge);
  }
  badge.textContent = String(counts.waiting);
  badge.title = `${counts.waiting} công dân đang chờ cán bộ${counts.escalated ? `, ${counts.escalated} quá hạn` : ''}`;
}

/** Polls the counts for the menu; quiet on errors (the page itself reports those). */
export function showInboxCount() {
  const tick = () => api('GET', '/api/inbox/counts').then(setInboxCount, () => undefined);
  tick();
  setInterval(tick, REFRESH_MS);
}
