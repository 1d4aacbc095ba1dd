import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { KbStore } from '../kb/store.js';
import { metrics } from '../metrics.js';
import { startThread } from '../threads.js';
import type { Ask } from './ask.js';
import type { Understanding } from './nlu.js';
import type { NluThreadData, ThreadReply, ThreadRequest } from './thread.js';

/** The thread's answer for `ask`, asked with the NLU of `key`: undefined when it had none. */
export interface Foreseen { ask: Ask; key: string | undefined; understanding: Promise<Understanding | undefined> }

/**
 * Understanding messages on a thread of its own (thread.ts), on a PostgreSQL server: the NLU was ~30 % of the bot's
 * thread under load, and that thread was the limit of replied events/s. The decisions of a batch ask for all its
 * messages at once; each turn then uses its answer when it asked exactly what the turn needs and the thread's NLU
 * was built from the same knowledge base (the same key), and understands the message itself otherwise (during a
 * reload, a mispredicted context, before the thread is ready or after it failed). The embedded database has a
 * single connection, its process's: the thread needs its own.
 */
export class NluThread {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, Array<(u: Understanding | undefined) => void>>();
  private state: 'starting' | 'ready' | 'failed' | 'closed' = 'starting';
  /** True once the thread has built its NLU; false if it could not. */
  readonly ready: Promise<boolean>;
  private settle: (ok: boolean) => void = () => undefined;
  private closed: (() => void) | undefined;

  constructor(private readonly kb: KbStore, data: Omit<NluThreadData, 'nluThread'>, private readonly log: Logger) {
    this.worker = startThread(import.meta.url, 'thread', { ...data, nluThread: true } satisfies NluThreadData);
    this.ready = new Promise((resolve) => { this.settle = resolve; });
    this.worker.on('message', (m: ThreadReply) => {
      if (m.type === 'understood') {
        const answers = this.waiting.get(m.id);
        answers?.[m.at](m.u);
        if (answers && m.at === answers.length - 1) this.waiting.delete(m.id);
      } else if (m.type === 'ready') {
        this.state = 'ready';
        this.settle(true);
        log.info({ ms: m.ms, sameKnowledgeBase: m.key === kb.key }, 'NLU thread ready');
      } else if (m.type === 'failed') {
        if (this.state === 'ready') log.warn({ reason: m.message }, 'NLU thread: a reload failed (messages are understood on the main thread until it catches up)');
        else this.fail(m.message);
      } else this.closed?.();
    });
    this.worker.on('error', (err) => this.fail(err.message));
    this.worker.on('exit', (code) => this.fail(`stopped (exit code ${code})`));
    // This instance reloaded: so does the thread, now rather than at its next poll.
    kb.onLoad(() => this.post({ type: 'refresh' }));
  }

  /**
   * What the thread understands of each message, in order; each promise resolves undefined when it could not
   * (not ready, failed, or its NLU is not the one `kb` has now). Never rejects.
   */
  understandAll(asks: Ask[]): Array<Promise<Understanding | undefined>> {
    return this.request(this.kb.key, asks);
  }

  /** understandAll for a batch's messages, some with nothing to ask (undefined), each answer with its ask and key. */
  foresee(asks: Array<Ask | undefined>): Array<Foreseen | undefined> {
    const key = this.kb.key;
    const answers = this.request(key, asks.filter((a) => a !== undefined));
    let k = 0;
    return asks.map((ask) => (ask ? { ask, key, understanding: answers[k++] } : undefined));
  }

  private request(key: string | undefined, asks: Ask[]): Array<Promise<Understanding | undefined>> {
    if (this.state !== 'ready' || key === undefined || asks.length === 0) return asks.map(() => Promise.resolve(undefined));
    const id = this.nextId++;
    const answers: Array<(u: Understanding | undefined) => void> = [];
    const promises = asks.map(() => new Promise<Understanding | undefined>((resolve) => answers.push(resolve)));
    this.waiting.set(id, answers);
    this.post({ type: 'understand', id, key, asks });
    return promises;
  }

  /** Seconds the thread has spent working since it started: its share of the CPU (metrics). */
  busySeconds(): number {
    return this.worker.performance.eventLoopUtilization().active / 1000;
  }

  private post(m: ThreadRequest): void {
    if (this.state === 'ready') this.worker.postMessage(m);
  }

  private fail(reason: string): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    this.state = 'failed';
    this.settle(false);
    this.log.error({ reason }, 'NLU thread failed: messages are understood on the main thread');
    metrics.nluThread.inc({ result: 'failed' });
    this.answerNothing();
    void this.worker.terminate();
  }

  /** Every answer still awaited resolves undefined: the bot understands those messages itself. */
  private answerNothing(): void {
    for (const answers of this.waiting.values()) for (const answer of answers) answer(undefined);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    const was = this.state;
    this.state = 'closed';
    this.answerNothing();
    if (was === 'ready') {
      // Its connections closed rather than cut; a thread that does not answer within a second is stopped.
      await new Promise<void>((resolve) => {
        this.closed = resolve;
        this.worker.postMessage({ type: 'close' } satisfies ThreadRequest);
        setTimeout(resolve, 1000).unref();
      });
    }
    await this.worker.terminate();
  }
}
