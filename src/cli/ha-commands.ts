/**
 * `snapshot` and `restore`: the HA case of `ha.ts` on the command line.
 * @module
 */
import { type XfrmClient } from '../client/client.js';
import {
  restore,
  restoreInPlace,
  snapshot,
  snapshotStates,
  type RestoreOptions,
  type RestoreResult,
  type XfrmSnapshot,
} from '../client/ha.js';
import { NetlinkError } from '../netlink/errors.js';
import { parseU64, takeOptions, usageError } from './args.js';
import { type CommandContext } from './context.js';
import { CommandError, errorText } from './errors.js';
import { CliError, EXIT_DATA, EXIT_KERNEL } from './exit-codes.js';
import { saIdText } from './format.js';
import { Progress } from './progress.js';
import { parseStateFilter } from './state-args.js';
import { USAGE } from './usage.js';

/** Margin used when `--outbound-seq-margin` is not given. */
export const DEFAULT_OUTBOUND_SEQ_MARGIN = 65536n;

/** `snapshot [FILTER]`: the snapshot JSON on stdout. */
export async function snapshotCommand(ctx: CommandContext, words: string[]): Promise<number> {
  const filter = parseStateFilter(words, USAGE.snapshot);
  if (ctx.env.stdoutIsTTY) {
    ctx.env.err('netlink-xfrm: warning: the snapshot contains the SA keys in clear: redirect it to a file you protect (snapshot > file.json)\n');
  }
  const client = ctx.client();
  let total: number | undefined;
  if (ctx.env.stderrIsTTY) total = (await client.countStates().catch(() => undefined))?.count;
  const listing = new Progress(ctx.env.err, ctx.env.stderrIsTTY, 'snapshot: reading SAs', total);
  const details = new Progress(ctx.env.err, ctx.env.stderrIsTTY, 'snapshot: reading replay thresholds', total);
  // The client as ha.snapshot() sees it, counting the SAs it reads (dump, then one GETAE each).
  const counting = new Proxy(client, {
    get(target, prop) {
      if (prop === 'listStates') {
        return async function* (f: Parameters<XfrmClient['listStates']>[0]) {
          for await (const s of target.listStates(f)) {
            listing.tick();
            yield s;
          }
          listing.end();
        };
      }
      if (prop === 'getReplayState') {
        return (...args: Parameters<XfrmClient['getReplayState']>) => {
          details.tick();
          return target.getReplayState(...args);
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  let snap: XfrmSnapshot;
  try {
    snap = await snapshot(counting, filter);
  } catch (e) {
    throw new CommandError(e, { command: 'snapshot' });
  } finally {
    listing.end();
    details.end();
  }
  ctx.env.out(JSON.stringify(snap, null, 2) + '\n');
  if (ctx.env.stderrIsTTY) ctx.env.err(`snapshot: ${snap.states.length} SA${snap.states.length === 1 ? '' : 's'}\n`);
  return 0;
}

/** Options of `restore` after parsing. */
export interface RestoreArgs {
  /** The file (`-` = stdin). */
  file: string;
  /** ha.ts options. */
  options: RestoreOptions;
  /** Use NEWAE on existing SAs instead of NEWSA. */
  inPlace: boolean;
  /** The margin was not given (the default applies). */
  defaultMargin: boolean;
}

/** Parse `restore …`. */
export function parseRestore(words: readonly string[]): RestoreArgs {
  const usage = USAGE.restore;
  const { rest, options } = takeOptions(
    words,
    { '--outbound-seq-margin': 'value', '--inbound-window': 'value', '--replace': 'flag', '--in-place': 'flag' },
    usage,
  );
  if (rest.length !== 1) throw usageError(rest.length === 0 ? 'restore needs a FILE (or - for standard input)' : `unexpected "${rest[1]}"`, usage);
  const m = options.get('--outbound-seq-margin');
  const margin = typeof m === 'string' ? parseU64(m, '--outbound-seq-margin', usage) : DEFAULT_OUTBOUND_SEQ_MARGIN;
  const w = options.get('--inbound-window') ?? 'saved';
  if (w !== 'saved' && w !== 'closed') throw usageError('--inbound-window: saved or closed', usage);
  const inPlace = options.has('--in-place');
  if (inPlace && options.has('--replace')) throw usageError('--replace and --in-place exclude each other', usage);
  return {
    file: rest[0]!,
    options: { outboundSeqMargin: margin, inboundWindow: w, existing: options.has('--replace') ? 'replace' : 'fail' },
    inPlace,
    defaultMargin: typeof m !== 'string',
  };
}

/** Read and check a snapshot file. @throws {@link CliError} EXIT_DATA. */
export function readSnapshot(ctx: CommandContext, file: string): XfrmSnapshot {
  const text = new TextDecoder().decode(ctx.env.readInput(file));
  let snap: XfrmSnapshot;
  try {
    snap = JSON.parse(text) as XfrmSnapshot;
  } catch (e) {
    throw new CliError(`restore: ${file === '-' ? 'standard input' : file} is not JSON: ${(e as Error).message}`, EXIT_DATA);
  }
  try {
    snapshotStates(snap);
  } catch (e) {
    if (e instanceof TypeError || e instanceof NetlinkError) throw new CliError(`restore: not a usable snapshot: ${e.message}`, EXIT_DATA);
    throw e;
  }
  return snap;
}

/** `restore …`: reinstall a snapshot. @returns 0, or 1 if any SA failed. */
export async function restoreCommand(ctx: CommandContext, words: string[]): Promise<number> {
  const args = parseRestore(words);
  const snap = readSnapshot(ctx, args.file);
  if (args.defaultMargin && !args.inPlace) {
    ctx.env.err(`netlink-xfrm: note: no --outbound-seq-margin given: outbound sequence numbers are raised by ${DEFAULT_OUTBOUND_SEQ_MARGIN}\n`);
  }
  const client = ctx.client();
  const progress = new Progress(ctx.env.err, ctx.env.stderrIsTTY, 'restore', snap.states.length);
  const results: RestoreResult[] = [];
  try {
    // One SA at a time through ha.ts, so the progress line moves.
    for (const one of snap.states) {
      const part = { ...snap, states: [one] };
      results.push(...(await (args.inPlace ? restoreInPlace(client, part, args.options) : restore(client, part, args.options))));
      progress.tick();
    }
  } finally {
    progress.end();
  }
  let failed = 0;
  for (const r of results) {
    if (ctx.opts.json) {
      ctx.env.out(
        JSON.stringify(
          r.ok
            ? { ok: true, id: r.id, oseq: r.oseq.toString() }
            : { ok: false, id: r.id, error: errorText(r.error, { command: 'restore' }) },
        ) + '\n',
      );
    } else if (r.ok) {
      ctx.env.out(`restored ${saIdText(r.id)} oseq ${r.oseq}\n`);
    }
    if (!r.ok) {
      failed++;
      ctx.env.err(`netlink-xfrm: restore: ${saIdText(r.id)}: ${errorText(r.error)}${hintSuffix(r.error, args)}\n`);
    }
  }
  if (!ctx.opts.json) {
    const how = args.inPlace ? 'in place (NEWAE)' : `outbound sequence numbers raised by ${args.options.outboundSeqMargin}`;
    ctx.env.out(`restored ${results.length - failed} of ${results.length} SAs, ${how}${failed ? `; ${failed} failed` : ''}\n`);
  }
  return failed > 0 ? EXIT_KERNEL : 0;
}

function hintSuffix(e: Error, args: RestoreArgs): string {
  if (!args.inPlace && args.options.existing !== 'replace' && /EEXIST/.test(e.message)) return ' (hint: the SA exists: use --replace, or --in-place to set only its counters)';
  return '';
}
