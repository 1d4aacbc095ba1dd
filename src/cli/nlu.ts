import { createInterface } from 'node:readline';
import { loadConfig } from '../config.js';
import { prepareDatabase } from '../db/prepare.js';
import { DatabaseInUseError } from '../db/embedded-lock.js';
import { loadKbSnapshot } from '../kb/snapshot.js';
import { buildNlu } from '../nlu/build.js';
import { loadNluData } from '../nlu/data-files.js';
import type { Understanding } from '../nlu/nlu.js';
import { PlaceIndex } from '../places/place-index.js';

// `npm run --silent nlu -- --jsonl`: one message per stdin line -> exactly one JSON object per line on stdout.
// `npm run nlu -- "câu hỏi"`: the same for one message given as an argument.

export function toContract(u: Understanding) {
  return {
    text: u.text,
    intent: u.intent,
    confidence: Math.round(u.confidence * 1000) / 1000,
    entities: {
      ...(u.entities.dossier_code ? { dossier_code: u.entities.dossier_code } : {}),
      ...(u.entities.aspect ? { aspect: u.entities.aspect } : {}),
    },
    procedure: u.procedure ? { code: u.procedure.code, name: u.procedure.name } : null,
    model: u.model ? { name: u.model.name, locality: u.model.locality } : null,
    // The options the bot would offer when it asks which procedure (best first), and whether it would ask.
    candidates: u.candidates.map((c) => ({ code: c.item.code, name: c.item.name, score: Math.round(c.score * 1000) / 1000 })),
    clarify: u.clarify,
  };
}

async function main() {
  const args = process.argv.slice(2);
  const config = loadConfig();
  const data = loadNluData();
  // Answers come from the knowledge base this DATABASE_URL holds, never from a stand-in: when the server holds
  // the embedded database, say so and stop rather than answer from the sample.
  const db = await prepareDatabase(config.DATABASE_URL, { seed: config.SEED_SAMPLE_DATA });
  const nlu = buildNlu(data, await loadKbSnapshot(db.prisma), undefined, await PlaceIndex.fromDatabase(db.prisma));
  await db.close();

  const write = (line: string) => process.stdout.write(JSON.stringify(toContract(nlu.understand(line))) + '\n');
  if (args.includes('--jsonl')) {
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) write(line);
  } else {
    const text = args.filter((a) => !a.startsWith('--')).join(' ');
    if (!text) {
      process.stderr.write('Usage: npm run --silent nlu -- --jsonl < messages.txt   or   npm run nlu -- "câu hỏi"\n');
      process.exit(2);
    }
    write(text);
  }
}

main().catch((err) => {
  const hint = err instanceof DatabaseInUseError
    ? '\nnpm run nlu reads the knowledge base of DATABASE_URL: stop the server first, or point DATABASE_URL at a PostgreSQL server both can share.'
    : '';
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}${hint}\n`);
  process.exit(1);
});
