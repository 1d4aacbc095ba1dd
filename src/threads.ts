import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * A worker thread running the module `name` (without extension) beside `callerUrl` (the caller's import.meta.url).
 * From dist/ the thread is plain JavaScript. From the sources (tsx, vitest) it registers tsx first: a worker does
 * not inherit the loader hooks, and `--import tsx` in its execArgv is not applied (Node 20).
 */
export function startThread(callerUrl: string, name: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const here = fileURLToPath(callerUrl);
  const file = path.join(path.dirname(here), `${name}${path.extname(here)}`);
  return file.endsWith('.ts')
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })`,
      { eval: true, workerData, resourceLimits })
    : new Worker(file, { workerData, resourceLimits });
}
