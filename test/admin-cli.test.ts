import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verify } from '@node-rs/argon2';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.js';
import { ROOT } from './helpers/processes.js';

// `npm run admin -- create-user` takes the password from a prompt or standard input, never from its arguments.

const dir = mkdtempSync(path.join(tmpdir(), 'cchc-admin-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const url = `file:${path.join(dir, 'db')}`;

/** `node --import tsx src/cli/admin.ts <args>` with `stdin` written to it (no terminal). */
function admin(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: url, SEED_SAMPLE_DATA: 'false', NODE_ENV: 'test' }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('npm run admin -- create-user', () => {
  it('reads the password from the first line of standard input and stores only its hash', async () => {
    const r = await admin(['create-user', '--username', 'chutich', '--role', 'admin'], 'Mat-khau dai 2026\nignored line\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Created user "chutich" \(id \d+\) with role admin\./);
    expect(r.stdout).not.toContain('Mat-khau');
    const db = await openDatabase(url);
    try {
      const user = await db.prisma.user.findUniqueOrThrow({ where: { username: 'chutich' } });
      expect(await verify(user.passwordHash, 'Mat-khau dai 2026')).toBe(true);
    } finally {
      await db.close();
    }
  }, 180_000);

  it('refuses --password with the reason, and creates nobody', async () => {
    const r = await admin(['create-user', '--username', 'lo', '--password', 'in-the-history', '--role', 'admin'], '');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--password is not accepted');
    expect(r.stderr).toContain('shell history');
    const list = await admin(['list-users'], '');
    expect(list.stdout).not.toContain('\tlo\t');
  }, 180_000);

  it('stops with a message when standard input gives no password, or a short one', async () => {
    const empty = await admin(['create-user', '--username', 'rong', '--role', 'agent'], '');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('No password was given');
    const short = await admin(['create-user', '--username', 'ngan', '--role', 'agent'], 'abc\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('password: Mật khẩu cần ít nhất 8 ký tự');
  }, 180_000);
});
