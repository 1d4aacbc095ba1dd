import type { Logger } from 'pino';
import type { Channel, ChannelName } from './channels/types.js';
import type { Config } from './config.js';
import type { Database } from './db/open.js';
import type { JobQueue } from './jobs/queue.js';
import type { KbStore } from './kb/store.js';
import type { Bot } from './bot/bot.js';
import type { InboundRecorder } from './pipeline/inbound.js';
import type { NluThread } from './nlu/thread-client.js';

/** Everything the app is built from; tests build the same object with an in-memory database. */
export interface AppDeps {
  config: Config;
  db: Database;
  log: Logger;
  kb: KbStore;
  queue: JobQueue;
  bot: Bot;
  /** Stores inbound events before they are acknowledged (group commit). */
  inbound: InboundRecorder;
  /** Enabled channels only; a channel without its secrets is absent. */
  channels: Partial<Record<ChannelName, Channel>>;
  now: () => Date;
  /** Understands a batch's messages beside the bot's thread (a PostgreSQL server and NLU_THREAD only). */
  nluThread?: NluThread;
}
