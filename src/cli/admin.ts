import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { DatabaseInUseError } from '../db/embedded-lock.js';
import { DatabaseUrlError, type Database } from '../db/open.js';
import { prepareDatabase } from '../db/prepare.js';
import { AccountError, ROLES, createApiKey, createUser } from '../console/auth.js';
import { NoSecretError, readSecret } from './read-secret.js';
import { anonymiseCitizen } from '../retention/anonymise.js';

// Console accounts and API keys from scripts, on the same DATABASE_URL as the server:
//   npm run admin -- create-user --username <u> --role <role>   (the password at a prompt, or one line on stdin)
//   npm run admin -- create-api-key --name <name>      (the key is printed once, on the last line)
//   npm run admin -- revoke-api-key --id <n>
//   npm run admin -- list-users
//   npm run admin -- anonymise --channel <zalo|messenger|web> --user <id>   (a citizen's request to erase personal data)

const USAGE = `Usage: npm run admin -- <command> [options]
  create-user --username <u> --role <${ROLES.join('|')}>
      asks for the password (nothing is shown as you type), or reads it from the first line of standard input:
      printf '%s\n' "$PASSWORD" | npm run --silent admin -- create-user --username <u> --role admin
  create-api-key --name <name>
  revoke-api-key --id <n>
  list-users
  anonymise --channel <zalo|messenger|web> --user <id>`;

class UsageError extends Error {}

function need(values: Record<string, string | undefined>, name: string): string {
  const v = values[name]?.trim();
  if (!v) throw new UsageError(`Missing --${name}.\n${USAGE}`);
  return v;
}

async function run(db: Database, command: string, values: Record<string, string | undefined>, password?: string): Promise<string[]> {
  const { prisma } = db;
  switch (command) {
    case 'create-user': {
      const user = await createUser(prisma, { username: need(values, 'username'), password: password ?? '', role: need(values, 'role') });
      await prisma.auditLog.create({ data: { actor: 'cli', action: 'user.create', entityType: 'user', entityId: String(user.id), detail: { username: user.username, role: user.role } } });
      return [`Created user "${user.username}" (id ${user.id}) with role ${user.role}.`];
    }
    case 'create-api-key': {
      const { key, record } = await createApiKey(prisma, need(values, 'name'), 'cli');
      await prisma.auditLog.create({ data: { actor: 'cli', action: 'api_key.create', entityType: 'api_key', entityId: String(record.id), detail: { name: record.name, prefix: record.prefix } } });
      return [`Created API key #${record.id} "${record.name}". Store it now: it is shown only once and cannot be recovered.`, key];
    }
    case 'revoke-api-key': {
      const id = Number(need(values, 'id'));
      if (!Number.isInteger(id) || id <= 0) throw new UsageError(`--id must be a positive whole number, got "${values.id}".`);
      const key = await prisma.apiKey.findUnique({ where: { id } });
      if (!key) throw new AccountError(`No API key with id ${id} (see the console's API keys page for ids).`);
      if (key.revokedAt) return [`API key #${id} "${key.name}" was already revoked on ${key.revokedAt.toISOString()}.`];
      await prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
      await prisma.auditLog.create({ data: { actor: 'cli', action: 'api_key.revoke', entityType: 'api_key', entityId: String(id), detail: { name: key.name, prefix: key.prefix } } });
      return [`Revoked API key #${id} "${key.name}" (${key.prefix}…).`];
    }
    case 'list-users': {
      const users = await prisma.user.findMany({ orderBy: { id: 'asc' } });
      if (users.length === 0) return ['No users yet: create one with `npm run admin -- create-user --username <u> --role admin`.'];
      return users.map((u) => [u.id, u.username, u.role, u.disabled ? 'disabled' : 'active', u.createdAt.toISOString()].join('\t'));
    }
    case 'anonymise': {
      const channel = need(values, 'channel');
      if (!['zalo', 'messenger', 'web'].includes(channel)) throw new UsageError(`--channel must be zalo, messenger or web, got "${channel}".`);
      const userId = need(values, 'user');
      const r = await anonymiseCitizen(db, channel, userId, new Date(), { onRequest: true });
      await prisma.auditLog.create({ data: { actor: 'cli', action: 'privacy.anonymise', entityType: 'conversation', entityId: `${channel}:${userId}`, detail: { ...r } } });
      return [`Anonymised ${channel}:${userId}: ${r.messages} messages and ${r.records} records rewritten, ${r.deleted} rows deleted${r.conversation ? '' : ' (no conversation found)'}.`];
    }
    default:
      throw new UsageError(command ? `Unknown command "${command}".\n${USAGE}` : USAGE);
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { username: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' }, channel: { type: 'string' }, user: { type: 'string' } },
    });
    if (parsed.values.password !== undefined) {
      throw new UsageError('--password is not accepted: a password in the arguments stays in the shell history and in npm\'s echo of the command. '
        + 'Leave it out and type it at the prompt, or give it on standard input.');
    }
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 1;
  }
  const command = parsed.positionals[0] ?? '';
  let db: Database | undefined;
  try {
    // Asked first, so that nothing typed ahead while the database opens is echoed.
    const password = command === 'create-user' ? await readSecret(`Password for "${need(parsed.values, 'username')}": `) : undefined;
    const config = loadConfig();
    db = await prepareDatabase(config.DATABASE_URL, { seed: config.SEED_SAMPLE_DATA });
    process.stdout.write(`${(await run(db, command, parsed.values, password)).join('\n')}\n`);
    return 0;
  } catch (err) {
    const known = [UsageError, AccountError, ConfigError, DatabaseInUseError, DatabaseUrlError, NoSecretError].some((E) => err instanceof E);
    process.stderr.write(known ? `${(err as Error).message}\n` : `${(err as Error).stack ?? String(err)}\n`);
    return 1;
  } finally {
    await db?.close();
  }
}

process.exitCode = await main();
