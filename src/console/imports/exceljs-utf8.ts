import { createRequire } from 'node:module';
import { StringDecoder } from 'node:string_decoder';

// exceljs 4.4 (the latest release) decodes each compressed chunk of an XLSX part to text on its own, so a
// Vietnamese letter whose UTF-8 bytes straddle two chunks becomes "��" (exceljs issues #2084, #2316; fixes in
// open pull requests #1665, #1821, #2894). This module replaces exceljs's SAX helper with the same code reading
// chunks through a StringDecoder, which carries a split character over to the next chunk. Import it before
// exceljs is first loaded.

const require = createRequire(import.meta.url);
const { SaxesParser } = require('saxes') as typeof import('saxes');
const modulePath = require.resolve('exceljs/lib/utils/parse-sax.js');

type SaxEvent = { eventType: 'opentag' | 'text' | 'closetag'; value: unknown };

async function* parseSax(iterable: AsyncIterable<Buffer | string>): AsyncGenerator<SaxEvent[]> {
  const parser = new SaxesParser();
  const decoder = new StringDecoder('utf8');
  let error: Error | undefined;
  parser.on('error', (err) => { error = err; });
  let events: SaxEvent[] = [];
  parser.on('opentag', (value) => events.push({ eventType: 'opentag', value }));
  parser.on('text', (value) => events.push({ eventType: 'text', value }));
  parser.on('closetag', (value) => events.push({ eventType: 'closetag', value }));
  for await (const chunk of iterable) {
    parser.write(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (error) throw error;
    yield events;
    events = [];
  }
  const rest = decoder.end();
  if (rest) {
    parser.write(rest);
    if (error) throw error;
    yield events;
  }
}

if (!require.cache[modulePath]) {
  require.cache[modulePath] = { id: modulePath, filename: modulePath, loaded: true, exports: parseSax, children: [], paths: [] } as unknown as NodeJS.Module;
}
