import type { Logger } from 'pino';
import { Bot } from './bot/bot.js';
import { createMessengerChannel } from './channels/messenger/index.js';
import type { Channel, ChannelName } from './channels/types.js';
import { createWebChannel } from './channels/web/index.js';
import { createZaloChannel } from './channels/zalo/index.js';
import type { Config } from './config.js';
import { prepareDatabase } from './db/prepare.js';
import type { AppDeps } from './deps.js';
import { JobQueue } from './jobs/queue.js';
import { KbStore } from './kb/store.js';
import { PlaceIndex } from './places/place-index.js';
import { loadNluData } from './nlu/data-files.js';
import { DEFAULT_NLU_OPTIONS } from './nlu/build.js';
import { NluThread } from './nlu/thread-client.js';
import { InboundRecorder } from './pipeline/inbound.js';
import { processHandler } from './pipeline/decide.js';
import { sendHandler, sendJobKind, sendLanes } from './pipeline/outbound.js';
import { notifyHandler } from './dossiers/notify.js';
import { HANDOFF_ALERT_JOB, startEscalation } from './services/routes.js';
import { handoffAlertHandler } from './services/handoff-alert.js';
import { otpSmsHandler } from './services/otp-sms.js';
import { OTP_SMS_JOB } from './bot/forms/prove.js';
import { startRetention } from './retention/job.js';
import { startEmbeddedVacuum } from './db/vacuum.js';

export interface Runtime { deps: AppDeps; close(): Promise<void> }

/** Opens the database, loads the knowledge base and NLU, enables channels and starts the job worker. */
export async function startRuntime(config: Config, log: Logger, opts: { fetch?: typeof fetch; now?: () => Date; worker?: boolean } = {}): Promise<Runtime> {
  const data = loadNluData(); // a malformed intents/ file stops start-up here, naming file and line
  const db = await prepareDatabase(config.DATABASE_URL, { seed: config.SEED_SAMPLE_DATA, log });
  let nluThread: NluThread | undefined;
  try {
    const places = await PlaceIndex.fromDatabase(db.prisma);
    const kbOptions = { ...DEFAULT_NLU_OPTIONS, confidenceThreshold: config.NLU_CONFIDENCE_THRESHOLD };
    const kb = new KbStore(db, data, kbOptions, log, places);
    await kb.load();
    nluThread = config.NLU_THREAD && db.kind === 'postgres'
      ? new NluThread(kb, { databaseUrl: config.DATABASE_URL, options: kbOptions, pollMs: config.KB_POLL_MS }, log) : undefined;
    // Each channel sends in its own lane (sendLanes).
    const CHANNELS: ChannelName[] = ['zalo', 'messenger', 'web'];
    const queue = new JobQueue(db, log, { concurrency: config.WORKER_CONCURRENCY, lanes: sendLanes(CHANNELS, config) });
    const channels: Partial<Record<ChannelName, Channel>> = { web: createWebChannel() };
    const zalo = createZaloChannel({ config, db, log, fetch: opts.fetch });
    if (zalo) channels.zalo = zalo;
    else log.info('Zalo channel disabled: set ZALO_APP_ID, ZALO_OA_SECRET_KEY and ZALO_ACCESS_TOKEN/ZALO_REFRESH_TOKEN to enable it');
    const messenger = createMessengerChannel({ config, log, fetch: opts.fetch });
    if (messenger) channels.messenger = messenger; // when absent, the channel module logged what is missing
    const deps: AppDeps = {
      config, db, log, kb, queue, bot: new Bot(kb, config, (name) => channels[name]?.capabilities ?? {}), inbound: new InboundRecorder({ db, queue, log }), channels, now: opts.now ?? (() => new Date()), nluThread,
    };
    queue.giveWayTo(() => deps.inbound.idle());
    queue.register('process', processHandler(deps));
    // 'send' is the kind jobs had before each channel got its lane: such jobs still run after an upgrade.
    const send = sendHandler(deps);
    for (const kind of ['send', ...CHANNELS.map(sendJobKind)]) queue.register(kind, send);
    queue.register('notify', notifyHandler(deps));
    queue.register(HANDOFF_ALERT_JOB, handoffAlertHandler({ config, log, fetch: opts.fetch }));
    queue.register(OTP_SMS_JOB, otpSmsHandler({ config, fetch: opts.fetch }));
    kb.start(config.KB_POLL_MS);
    if (opts.worker !== false) await queue.start();
    const stopEscalation = opts.worker !== false ? startEscalation(deps) : () => {};
    const stopRetention = opts.worker !== false ? startRetention(deps) : async () => {};
    const stopVacuum = opts.worker !== false ? startEmbeddedVacuum({ ...deps, busy: () => queue.busy || deps.inbound.busy }) : async () => {};
    return {
      deps,
      async close() {
        stopEscalation();
        await stopRetention();
        await stopVacuum();
        kb.stop();
        await queue.stop();
        await nluThread?.close();
        await db.close();
      },
    };
  } catch (err) {
    await nluThread?.close();
    await db.close();
    throw err;
  }
}
