import type { Logger } from 'pino';
import type { Database } from '../db/open.js';
import { buildingNlu, nluFingerprint } from '../nlu/build.js';
import { runNow, runSliced, type Work } from '../nlu/work.js';
import type { NluData } from '../nlu/data-files.js';
import type { Nlu } from '../nlu/nlu.js';
import type { PlaceIndex } from '../places/place-index.js';
import type { NluOptions } from '../nlu/options.js';
import { bumpKbVersion, loadKbSnapshot, readKbVersion, type KbSnapshot } from './snapshot.js';

/**
 * The knowledge base and the NLU built from it, shared by every request. Every instance polls
 * KbState.version and rebuilds when an official changed something (here or on another instance).
 */
export class KbStore {
  snapshot!: KbSnapshot;
  nlu!: Nlu;
  private nluKey: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> | undefined;
  private checkAgain = false;

  constructor(
    private readonly db: Database,
    private readonly data: NluData,
    private readonly options: NluOptions,
    private readonly log?: Logger,
    /** The administrative map (loaded once: it does not change with the knowledge base). */
    readonly places?: PlaceIndex,
  ) {}

  get loaded(): boolean {
    return this.snapshot !== undefined;
  }

  /** What the NLU was built from (nluFingerprint): two NLUs with the same key understand every message alike. */
  get key(): string | undefined {
    return this.nluKey;
  }

  private readonly listeners: Array<() => void> = [];

  /** Calls `fn` after each load (the NLU thread reloads when this instance did, not a poll later). */
  onLoad(fn: () => void): void {
    this.listeners.push(fn);
  }

  /**
   * Reads what changed and rebuilds the NLU when what it reads changed. After the first load the work runs in
   * slices (work.ts) while the bot goes on answering with the previous pair: an official's edit with the national
   * catalogue loaded does not hold up replies for the seconds a rebuild takes.
   */
  async load(): Promise<void> {
    const started = performance.now();
    const previous = this.snapshot;
    const run = <T>(work: Work<T>) => (previous ? runSliced(work) : Promise.resolve(runNow(work)));
    const snapshot = await loadKbSnapshot(this.db.prisma, previous);
    const key = await run(nluFingerprint(snapshot));
    const rebuilt = key !== this.nluKey;
    const nlu = rebuilt ? await run(buildingNlu(this.data, snapshot, this.options, this.places)) : this.nlu;
    // Swapped together, in one synchronous step: a turn sees the old pair or the new one, never a mix.
    this.nlu = nlu;
    this.nluKey = key;
    this.snapshot = snapshot;
    for (const fn of this.listeners) fn();
    this.log?.info({ version: snapshot.version, procedures: snapshot.procedures.length, proceduresRead: snapshot.proceduresRead, models: snapshot.models.length,
      faqs: snapshot.faqs.length, nluRebuilt: rebuilt, ms: Math.round(performance.now() - started) }, 'knowledge base loaded');
  }

  /**
   * Reloads when the stored version moved. Callers during a reload share it, and it checks the version once more
   * when it ends: a change committed after it started is loaded before they return.
   */
  async refresh(): Promise<void> {
    if (this.reloading) {
      this.checkAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.checkAgain = false;
          if ((await readKbVersion(this.db.prisma)) !== this.snapshot?.version) await this.load();
        } while (this.checkAgain);
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  /** Call after a change was committed: bumps the version for other instances and reloads here now. */
  async changed(): Promise<void> {
    await bumpKbVersion(this.db.prisma);
    await this.refresh();
  }

  start(pollMs: number): void {
    this.timer = setInterval(() => {
      this.refresh().catch((err) => this.log?.error({ err }, 'knowledge base reload failed'));
    }, pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
