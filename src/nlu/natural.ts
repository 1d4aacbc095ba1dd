import { createRequire } from 'node:module';

// natural's index pulls in storage back-ends that load dotenv, which prints banners on stdout and
// reads .env files; importing the pieces we use directly keeps output clean and start-up fast.
process.env.DOTENV_CONFIG_QUIET ??= 'true';
const require = createRequire(import.meta.url);

interface Tokenizer { tokenize(text: string): string[] }
type Distance = (a: string, b: string, options?: Record<string, unknown>) => number;

const VietnameseTokenizer = require('natural/lib/natural/tokenizers/aggressive_tokenizer_vi') as new () => Tokenizer;
export const vietnameseTokenizer: Tokenizer = new VietnameseTokenizer();
export const damerauLevenshtein = (require('natural/lib/natural/distance/levenshtein_distance') as {
  DamerauLevenshteinDistance: Distance;
}).DamerauLevenshteinDistance;
