import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/open.js';
import { KbStore } from '../kb/store.js';
import { PlaceIndex } from '../places/place-index.js';
import { loadNluData } from './data-files.js';
import { understandAsk, type Ask } from './ask.js';
import type { Understanding } from './nlu.js';
import type { NluOptions } from './options.js';

/**
 * The NLU thread (see thread-client.ts): its own connection to the PostgreSQL server, its own copy of the knowledge
 * base and of the NLU built from it, reloaded as every instance reloads (KbState.version), and understanding the
 * messages the bot's thread asks about while that thread decides and sends.
 */

export interface NluThreadData { databaseUrl: string; options: NluOptions; pollMs: number; nluThread: true }

export type ThreadRequest =
  | { type: 'understand'; id: number; key: string; asks: Ask[] }
  | { type: 'refresh' }
  | { type: 'close' };

export type ThreadReply =
  | { type: 'ready'; key: string; ms: number }
  | { type: 'failed'; message: string }
  /** One answer per ask, as soon as it is ready; `u` absent when this thread's NLU was not built from `key`. */
  | { type: 'understood'; id: number; at: number; u?: Understanding }
  | { type: 'closed' };

const port = parentPort!;
const data = workerData as NluThreadData | undefined;
const post = (reply: ThreadReply) => port.postMessage(reply);

/** Undefined when the NLU fails on it: the bot's thread tries again, and logs what it throws there. */
function understand(kb: KbStore, ask: Ask): Understanding | undefined {
  try {
    return understandAsk(kb.nlu, kb.snapshot.procedureById, ask);
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const { databaseUrl, options, pollMs } = data!;
  const db = await openDatabase(databaseUrl);
  const kb = new KbStore(db, loadNluData(), options, undefined, await PlaceIndex.fromDatabase(db.prisma));
  await kb.load();
  kb.start(pollMs);
  port.on('message', (m: ThreadRequest) => {
    if (m.type === 'understand') {
      m.asks.forEach((ask, at) => {
        const u = kb.key === m.key ? understand(kb, ask) : undefined;
        try {
          post({ type: 'understood', id: m.id, at, u });
        } catch {
          post({ type: 'understood', id: m.id, at }); // something in it cannot be copied to the other thread
        }
      });
    } else if (m.type === 'refresh') {
      kb.refresh().catch((err: Error) => post({ type: 'failed', message: `reloading the knowledge base: ${err.message}` }));
    } else {
      kb.stop();
      void db.close().finally(() => post({ type: 'closed' }));
    }
  });
  post({ type: 'ready', key: kb.key!, ms: Math.round(performance.now() - started) });
}

// Only as the thread NluThread starts: imported anywhere else (a type's module by mistake, or a test runner's worker)
// this module does nothing.
if (data?.nluThread === true) main().catch((err: Error) => post({ type: 'failed', message: err.message }));
