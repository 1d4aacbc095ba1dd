import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

export class DatabaseInUseError extends Error {}

/** The file in an embedded database's directory that names the process holding it. */
export const LOCK_FILE = '.app.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One process at a time may open an embedded database directory; returns the release function. */
export function lockEmbeddedDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try { unlinkSync(file); } catch { /* already gone */ }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && alive(pid)) {
        throw new DatabaseInUseError(
          `The embedded database ${dir} is in use by another process (pid ${pid}${pid === process.pid ? ', this one' : ''}). ` +
          'Stop that process first, or point DATABASE_URL at a PostgreSQL server to run several processes.');
      }
      unlinkSync(file); // stale lock left by a process that died
    }
  }
  throw new DatabaseInUseError(`Could not lock the embedded database ${dir}.`);
}
