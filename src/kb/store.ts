import type { Logger } from 'pino';
import type { Database } from '../db/open.js';
import { buildNlu, nluFingerprint } from '../nlu/build.js';
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

  async load(): Promise<void> {
    const started = performance.now();
    const snapshot = await loadKbSnapshot(this.db.prisma);
    const key = nluFingerprint(snapshot);
    const rebuilt = key !== this.nluKey;
    // Swapped together, in one synchronous step: a turn sees the old pair or the new one, never a mix.
    const nlu = rebuilt ? buildNlu(this.data, snapshot, this.options, this.places) : this.nlu;
    this.nlu = nlu;
    this.nluKey = key;
    this.snapshot = snapshot;
    this.log?.info({ version: snapshot.version, procedures: snapshot.procedures.length, models: snapshot.models.length,
      faqs: snapshot.faqs.length, nluRebuilt: rebuilt, ms: Math.round(performance.now() - started) }, 'knowledge base loaded');
  }

  /** Reloads when the stored version moved; concurrent callers share one reload. */
  async refresh(): Promise<void> {
    this.reloading ??= (async () => {
      try {
        if ((await readKbVersion(this.db.prisma)) !== this.snapshot?.version) await this.load();
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
