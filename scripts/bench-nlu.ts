import { Nlu, type KbProcedure } from '../src/nlu/nlu.js';
import { loadNluData } from '../src/nlu/data-files.js';
import { DEFAULT_NLU_OPTIONS } from '../src/nlu/build.js';
import { sampleKbForNlu } from '../src/kb/seed.js';
import { loadDevSet } from '../test/nlu/evaluate.js';

// `npm run bench:nlu`: classification latency with 2,000 procedures loaded (the sample catalogue plus
// generated variants with distinct names and aliases), over the development set's messages.
const sample = sampleKbForNlu();
const places = ['Sa Đéc', 'Tam Kỳ', 'Hội An', 'Vũng Tàu', 'Hà Tĩnh', 'Côn Đảo', 'Phú Mỹ', 'Long Điền', 'Đất Đỏ', 'Châu Đức'];
const fields = ['đất đai', 'xây dựng', 'thương mại', 'giao thông', 'giáo dục', 'y tế', 'lao động', 'văn hóa', 'nông nghiệp', 'tài nguyên nước'];
const verbs = ['Cấp', 'Gia hạn', 'Điều chỉnh', 'Cấp lại', 'Thu hồi', 'Xác nhận', 'Đăng ký', 'Thẩm định', 'Phê duyệt', 'Công nhận'];
const things = ['giấy phép', 'chứng chỉ', 'giấy chứng nhận', 'văn bản chấp thuận', 'quyết định', 'hồ sơ', 'thẻ', 'sổ', 'biên bản', 'giấy xác nhận'];
const procedures: KbProcedure[] = [...sample.procedures];
for (let i = procedures.length; i < 2000; i++) {
  const name = `${verbs[i % 10]} ${things[Math.floor(i / 10) % 10]} ${fields[Math.floor(i / 100) % 10]} mã ${i}`;
  procedures.push({ id: i + 1, code: `9.${String(i).padStart(6, '0')}`, name, field: fields[i % 10], aliases: [`${name} ${places[i % 10]}`] });
}
const t0 = performance.now();
const nlu = new Nlu(loadNluData(), { ...sample, procedures }, DEFAULT_NLU_OPTIONS);
const buildMs = performance.now() - t0;
const texts = loadDevSet().map((l) => l.text);
for (const t of texts) nlu.understand(t); // warm-up
const times: number[] = [];
for (let round = 0; round < 10; round++) for (const t of texts) {
  const s = performance.now();
  nlu.understand(t);
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
const q = (p: number) => Math.round(times[Math.floor(p * (times.length - 1))] * 1000) / 1000;
console.log(JSON.stringify({ procedures: procedures.length, buildMs: Math.round(buildMs), messages: times.length, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: q(1) }));
