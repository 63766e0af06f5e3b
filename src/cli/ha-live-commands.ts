/**
 * `ha publish`, `ha follow`, `ha takeover`: live HA (src/ha/) on the command line.
 * `publish` and `follow` run until SIGTERM/SIGINT (or `ctx.env.signal`) and exit 0; status
 * and lag go to standard error, one line each. Nothing printed holds key material.
 * @module
 */
import { isIP } from 'node:net';
import { quoteSafe } from '../netlink/secret.js';
import { HaFileError } from '../ha/atomic-file.js';
import { HaFollower, type HaFollowerEvent } from '../ha/follower.js';
import { HaJournal } from '../ha/journal.js';
import { HaPublisher, type HaPublisherEvent } from '../ha/publisher.js';
import { haSaIdText } from '../ha/records.js';
import { connectHaLink, listenHaLink, readPskFile } from '../ha/tls-link.js';
import { takeover, type HaTakeoverReport } from '../ha/takeover.js';
import { HaTakeoverRefusedError } from '../ha/takeover-plan.js';
import { parseU64, takeOptions, usageError } from './args.js';
import { stopSignal, type CommandContext } from './context.js';
import { CommandError, errorText } from './errors.js';
import { CliError, EXIT_IO, EXIT_KERNEL, EXIT_USAGE } from './exit-codes.js';
import { DEFAULT_OUTBOUND_SEQ_MARGIN } from './ha-commands.js';
import { USAGE } from './usage.js';

/** Environment variable: the publisher's subscription receive buffer in bytes (tests use a tiny one to force an overrun). */
export const HA_RCVBUF_ENV = 'NLX_HA_RCVBUF';
/** Environment variable: ms between two status lines of `publish` and `follow` (default 10000). */
export const HA_STATUS_MS_ENV = 'NLX_HA_STATUS_MS';

function statusEveryMs(): number {
  const v = Number(process.env[HA_STATUS_MS_ENV]);
  return Number.isSafeInteger(v) && v >= 10 ? v : 10_000;
}

/** An `ADDR:PORT` (`[v6]:PORT` for IPv6). @throws {@link CliError} (usage). */
export function parseHostPort(text: string, what: string, usage: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]]+):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[2]) : NaN;
  if (!m || isIP(m[1]!) === 0 || !(port >= 0 && port <= 65535)) {
    throw usageError(`${what}: expected ADDR:PORT with an IP address ([ADDR]:PORT for IPv6), got ${quoteSafe(text)}`, usage);
  }
  return { host: m[1]!, port };
}

function intOption(v: string | true | undefined, name: string, min: number, max: number, usage: string): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw usageError(`${name}: expected an integer from ${min} to ${max}`, usage);
  return n;
}

function requireValue(v: string | true | undefined, name: string, usage: string): string {
  if (typeof v !== 'string' || v === '') throw usageError(`${name} is required`, usage);
  return v;
}

function psk(path: string) {
  try {
    return readPskFile(path);
  } catch (e) {
    // A file the user must fix (too short, too long, open to others, not a file) is a usage
    // error; an I/O failure (missing, unreadable) is exit 4.
    const bad = e instanceof HaFileError && ['short', 'long', 'mode', 'type'].includes(e.code);
    throw new CliError(e instanceof Error ? e.message : String(e), bad ? EXIT_USAGE : EXIT_IO);
  }
}

/** `ha publish|follow|takeover …`. */
export async function haCommand(ctx: CommandContext, verb: string | undefined, words: string[]): Promise<number> {
  switch (verb) {
    case 'publish':
      return publishCommand(ctx, words);
    case 'follow':
      return followCommand(ctx, words);
    case 'takeover':
      return takeoverCommand(ctx, words);
    default:
      throw new CliError(`ha: expected publish, follow or takeover${verb !== undefined ? `, got ${quoteSafe(verb)}` : ''}\nusage: ${USAGE['ha publish']}\n       ${USAGE['ha follow']}\n       ${USAGE['ha takeover']}`, EXIT_USAGE);
  }
}

/** `ha publish --listen ADDR:PORT --psk-file FILE [--replay-thresh N] [--timer-thresh MS]`. */
async function publishCommand(ctx: CommandContext, words: string[]): Promise<number> {
  const usage = USAGE['ha publish'];
  const { rest, options } = takeOptions(words, { '--listen': 'value', '--psk-file': 'value', '--replay-thresh': 'value', '--timer-thresh': 'value' }, usage);
  if (rest.length) throw usageError(`unexpected ${quoteSafe(rest[0]!)}`, usage);
  const listen = parseHostPort(requireValue(options.get('--listen'), '--listen', usage), '--listen', usage);
  const pskFile = requireValue(options.get('--psk-file'), '--psk-file', usage);
  const replayThresh = intOption(options.get('--replay-thresh'), '--replay-thresh', 1, 0xffffffff, usage);
  // Not 0: without a timer the kernel reports every packet once the SA's timer has fired idle.
  const timerThreshMs = intOption(options.get('--timer-thresh'), '--timer-thresh', 1, 3_600_000, usage);
  const rcvbufText = process.env[HA_RCVBUF_ENV];
  const rcvbuf = rcvbufText !== undefined && rcvbufText !== '' ? intOption(rcvbufText, HA_RCVBUF_ENV, 1, 2 ** 31 - 1, usage) : undefined;
  const key = psk(pskFile);
  const log = (s: string): void => ctx.env.err(`ha publish: ${s}\n`);
  const onEvent = (e: HaPublisherEvent): void => {
    switch (e.kind) {
      case 'session-start':
        return log(`session ${e.session}: standby connected`);
      case 'session-end':
        return log(`session ${e.session}: ended${e.error ? ` (${errorText(e.error)})` : ''}`);
      case 'resync':
        return log(`resync (${e.reason}): full state of ${e.sas} SAs and ${e.policies} policies queued${e.session !== undefined ? ` for session ${e.session}` : ''}`);
      case 'threshold-error':
        return log(`warning: cannot set thresholds on SA ${haSaIdText(e.id)}: ${errorText(e.error)}`);
      case 'error':
        return log(`error: ${errorText(e.error)}`);
    }
  };
  const { signal, done } = stopSignal(ctx);
  let publisher: HaPublisher;
  try {
    publisher = await HaPublisher.start(ctx.client(), {
      ...(replayThresh !== undefined ? { replayThresh } : {}),
      ...(timerThreshMs !== undefined ? { timerThreshMs } : {}),
      ...(rcvbuf !== undefined ? { rcvbuf } : {}),
      onEvent,
    });
  } catch (e) {
    done();
    throw new CommandError(e, { command: 'ha publish' });
  }
  let server;
  try {
    server = await listenHaLink({ host: listen.host, port: listen.port, psk: key });
  } catch (e) {
    done();
    await publisher.close();
    throw new CliError(`ha publish: ${errorText(e)}`, EXIT_IO);
  }
  server.on('handshake-error', (e: Error) => log(`refused a connection: ${errorText(e)}`));
  publisher.serve(server);
  const st0 = publisher.stats();
  log(`listening on ${listen.host}:${server.port}, epoch ${publisher.epoch}, ${st0.sas} SAs, ${st0.policies} policies`);
  const status = setInterval(() => {
    const st = publisher.stats();
    const sess = st.sessions.map((s) => `session ${s.session} lag ${s.lag.records} records, last ack ${s.lag.msSinceAck} ms ago, backlog ${s.backlog}`).join('; ');
    log(`${st.sas} SAs, ${st.policies} policies, ${st.events} events, ${st.overruns} overruns; ${sess || 'no standby'}`);
  }, statusEveryMs());
  status.unref();
  const stopped = new Promise<'signal'>((r) => (signal.aborted ? r('signal') : signal.addEventListener('abort', () => r('signal'), { once: true })));
  const outcome = await Promise.race([stopped, publisher.closed]);
  clearInterval(status);
  done();
  await server.close();
  await publisher.close();
  if (outcome instanceof Error) throw new CommandError(outcome, { command: 'ha publish' });
  log('stopped');
  return 0;
}

/** `ha follow --connect ADDR:PORT --psk-file FILE --journal FILE`. */
async function followCommand(ctx: CommandContext, words: string[]): Promise<number> {
  const usage = USAGE['ha follow'];
  const { rest, options } = takeOptions(words, { '--connect': 'value', '--psk-file': 'value', '--journal': 'value' }, usage);
  if (rest.length) throw usageError(`unexpected ${quoteSafe(rest[0]!)}`, usage);
  const peer = parseHostPort(requireValue(options.get('--connect'), '--connect', usage), '--connect', usage);
  const pskFile = requireValue(options.get('--psk-file'), '--psk-file', usage);
  const journalPath = requireValue(options.get('--journal'), '--journal', usage);
  const key = psk(pskFile);
  let journal: HaJournal;
  try {
    journal = await HaJournal.open(journalPath);
  } catch (e) {
    throw new CliError(`ha follow: ${errorText(e)}`, EXIT_IO);
  }
  const log = (s: string): void => ctx.env.err(`ha follow: ${s}\n`);
  const r = journal.restored;
  log(`journal ${journalPath}: ${r.existed ? `resumed (epoch ${r.epoch ?? '-'}, seq ${r.lastSeq}, ${journal.mirror.summary().sas} SAs)` : 'new'}`);
  const { signal, done } = stopSignal(ctx);
  let lastFailure = '';
  const onEvent = (e: HaFollowerEvent): void => {
    switch (e.kind) {
      case 'connected':
        lastFailure = '';
        return log(`session ${e.session}: connected to ${peer.host}:${peer.port}`);
      case 'connect-failed': {
        // One line per distinct failure: a publisher that is down for minutes is one line, not hundreds.
        const text = errorText(e.error);
        if (text !== lastFailure) log(`cannot connect (${text}); retrying`);
        lastFailure = text;
        return;
      }
      case 'disconnected':
        return log(`session ${e.session}: disconnected${e.error ? ` (${errorText(e.error)})` : ''}`);
      case 'resync':
        return log(`session ${e.session}: resync (${e.reason})`);
      case 'full-state':
        return log(`session ${e.session}: full state: ${e.sas} SAs, ${e.policies} policies`);
      case 'refused':
        return log(`session ${e.session}: record refused (${errorText(e.error)}); reconnecting for a full state`);
    }
  };
  const follower = new HaFollower(journal, {
    connect: (session) => connectHaLink({ host: peer.host, port: peer.port, psk: key, session }),
    signal,
    onEvent,
  });
  const status = setInterval(() => {
    const st = follower.status();
    const m = st.mirror;
    const age = st.lastRecordAt !== undefined ? `${Date.now() - st.lastRecordAt} ms ago` : 'none yet';
    const counters = m.newestSyncedAt !== undefined ? `, newest counters ${Math.max(0, Date.now() - m.newestSyncedAt)} ms old` : '';
    log(`lag: ${st.connected ? `session ${st.session}` : 'not connected'}, seq ${m.lastSeq}, ${m.sas} SAs, ${m.policies} policies${m.complete ? '' : ' (no full state yet)'}, last record ${age}${counters}`);
  }, statusEveryMs());
  status.unref();
  try {
    await follower.run();
  } catch (e) {
    throw new CliError(`ha follow: ${errorText(e)}`, e instanceof HaFileError ? EXIT_IO : EXIT_KERNEL);
  } finally {
    clearInterval(status);
    done();
    await journal.close().catch(() => {});
  }
  log('stopped');
  return 0;
}

/** `ha takeover --journal FILE [--outbound-seq-margin N] [--force] [--json]`. */
async function takeoverCommand(ctx: CommandContext, words: string[]): Promise<number> {
  const usage = USAGE['ha takeover'];
  const { rest, options } = takeOptions(words, { '--journal': 'value', '--outbound-seq-margin': 'value', '--force': 'flag' }, usage);
  if (rest.length) throw usageError(`unexpected ${quoteSafe(rest[0]!)}`, usage);
  const journalPath = requireValue(options.get('--journal'), '--journal', usage);
  const m = options.get('--outbound-seq-margin');
  const margin = m === undefined ? DEFAULT_OUTBOUND_SEQ_MARGIN : parseU64(requireValue(m, '--outbound-seq-margin', usage), '--outbound-seq-margin', usage);
  const force = options.get('--force') === true;
  let mirror;
  try {
    mirror = await HaJournal.read(journalPath);
  } catch (e) {
    throw new CliError(`ha takeover: ${errorText(e)}`, EXIT_IO);
  }
  let report: HaTakeoverReport;
  try {
    report = await takeover(ctx.client(), mirror, { outboundSeqMargin: margin, force });
  } catch (e) {
    if (e instanceof HaTakeoverRefusedError) {
      // The message lists every SA and why; nothing was installed.
      throw new CliError(`ha takeover: refused, nothing installed: ${e.message.replace('use force', 'use --force')}`, EXIT_KERNEL);
    }
    throw new CommandError(e, { command: 'ha takeover' });
  }
  if (ctx.opts.json) ctx.env.out(JSON.stringify(reportJson(report), null, 2) + '\n');
  else ctx.env.out(reportText(report));
  return report.ok ? 0 : EXIT_KERNEL;
}

/** The report as JSON (bigints as decimal strings, errors as their one-line text). */
export function reportJson(r: HaTakeoverReport): unknown {
  return {
    ok: r.ok,
    source: r.source,
    ...(r.hz !== undefined ? { hz: r.hz } : {}),
    policies: r.policies.map((p) => ({ dir: p.dir, index: p.index, status: p.status, ...(p.error ? { error: errorText(p.error) } : {}) })),
    sas: r.sas.map((s) => ({
      id: s.id,
      status: s.status,
      side: s.side,
      ...(s.oseq !== undefined ? { oseq: s.oseq.toString() } : {}),
      ...(s.seq !== undefined ? { seq: s.seq.toString() } : {}),
      explanation: s.explanation,
      ...(s.reason !== undefined ? { reason: s.reason } : {}),
      ...(s.error ? { error: errorText(s.error) } : {}),
    })),
  };
}

function reportText(r: HaTakeoverReport): string {
  const lines: string[] = [];
  for (const p of r.policies) lines.push(`policy dir ${p.dir} index ${p.index}: ${p.status}${p.error ? `: ${errorText(p.error)}` : ''}`);
  for (const s of r.sas) lines.push(`SA ${haSaIdText(s.id)}: ${s.status} (${s.explanation})${s.reason ? `: ${s.reason}` : ''}${s.error ? `: ${errorText(s.error)}` : ''}`);
  const count = (k: string) => r.sas.filter((s) => s.status === k).length;
  lines.push(
    `takeover ${r.ok ? 'complete' : 'INCOMPLETE'}: ${r.policies.filter((p) => p.status !== 'failed').length}/${r.policies.length} policies, ` +
      `SAs ${count('installed')} installed, ${count('present')} present, ${count('raised')} raised, ${count('skipped')} skipped, ${count('failed')} failed`,
  );
  return lines.join('\n') + '\n';
}
