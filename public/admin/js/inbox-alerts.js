// New and escalated hand-off requests: a browser notification (permission asked on a click, as browsers require)
// and a short tone generated with Web Audio, once per request and once more when it is escalated.

let audio;
const seen = new Set();
let primed = false;

/** Asks for notifications and unlocks sound; call from a click. Returns what the browser granted. */
export async function enableAlerts() {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (Ctx && !audio) audio = new Ctx();
  await audio?.resume().catch(() => undefined);
  if (!('Notification' in window)) return 'unsupported';
  return Notification.permission === 'default' ? Notification.requestPermission() : Notification.permission;
}

export const alertsEnabled = () => ('Notification' in window && Notification.permission === 'granted') || Boolean(audio);

function tone() {
  if (!audio || audio.state !== 'running') return false;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.type = 'sine';
  osc.frequency.value = 880;
  gain.gain.setValueAtTime(0.0001, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.25, audio.currentTime + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.35);
  osc.connect(gain).connect(audio.destination);
  osc.start();
  osc.stop(audio.currentTime + 0.4);
  return true;
}

/**
 * Compares the waiting requests with those already seen; the first call only remembers them. Returns the new
 * ones (`{ conversationId, escalated }`) after notifying and sounding for them.
 */
export function checkRequests(requests, describe) {
  const fresh = [];
  for (const r of requests) {
    const key = `${r.handoffId}:${r.escalated ? 'late' : 'new'}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (primed) fresh.push(r);
  }
  primed = true;
  if (!fresh.length) return fresh;
  const sounded = tone();
  if ('Notification' in window && Notification.permission === 'granted') {
    for (const r of fresh.slice(0, 3)) {
      try {
        const n = new Notification(r.escalated ? 'Yêu cầu quá hạn chưa có cán bộ trả lời' : 'Công dân cần gặp cán bộ', { body: describe(r), tag: `handoff-${r.handoffId}` });
        n.onclick = () => { window.focus(); location.hash = `id=${r.conversationId}`; };
      } catch { /* some mobile browsers only notify from a service worker: the banner and the tone remain */ }
    }
  }
  document.body.dataset.alerts = String(Number(document.body.dataset.alerts || 0) + fresh.length);
  if (sounded) document.body.dataset.tones = String(Number(document.body.dataset.tones || 0) + 1);
  return fresh;
}
