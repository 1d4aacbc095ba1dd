import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// One word for each thing on every console page: "khóa" and "xóa" (not "khoá", "xoá"), "Nhãn" for an FAQ's tags
// (not "Thẻ"), "Tên gọi khác" for a procedure's aliases (the "Từ khóa" of a model are its keywords).

const root = path.resolve(import.meta.dirname, '../..');
const files = (dir: string, ext: RegExp): string[] => readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
  .filter((f) => ext.test(f)).map((f) => path.join(dir, f));
// The login and account routes belong to the login-security work; their wording is checked there.
const OTHERS = new Set(['src/console/auth.ts', 'src/console/users-routes.ts']);
const AVOID = [/khoá/i, /xoá/i, /['"]Thẻ['"]/, /label: 'Từ khóa'.*aliases|aliases.*'Từ khóa'/];

describe('the console glossary', () => {
  it('is followed by every console page and console API text', () => {
    const offending = [...files('public/admin', /\.(js|html)$/), ...files('src/console', /\.ts$/)]
      .filter((f) => !OTHERS.has(f))
      .flatMap((f) => readFileSync(path.join(root, f), 'utf8').split('\n').flatMap((line, i) =>
        AVOID.some((re) => re.test(line)) ? [`${f}:${i + 1}: ${line.trim()}`] : []));
    expect(offending).toEqual([]);
  });
});
