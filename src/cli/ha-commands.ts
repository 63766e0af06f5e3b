/**
 * `snapshot` and `restore`: the HA case of `ha.ts` on the command line.
 * @module
 */
import { type XfrmClient } from '../client/client.js';
import {
  restore,
  restoreInPlace,
  snapshot,
  snapshotEntries,
  XfrmSnapshotEntryError,
  type RestoreFailure,
  type RestoreOptions,
  type RestoreResult,
  type XfrmSnapshot,
} from '../client/ha.js';
import { NetlinkError } from '../netlink/errors.js';
import { jsonErrorText } from '../netlink/secret.js';
import { parseU64, takeOptions, usageError } from './args.js';
import { type CommandContext } from './context.js';
import { CommandError, errorText } from './errors.js';
import { CliError, EXIT_DATA, EXIT_KERNEL, EXIT_USAGE } from './exit-codes.js';
import { writeFileAtomic } from './io.js';
import { saIdText } from './format.js';
import { Progress } from './progress.js';
import { parseStateFilter } from './state-args.js';
import { USAGE } from './usage.js';

/** Margin used when `--outbound-seq-margin` is not given. */
export const DEFAULT_OUTBOUND_SEQ_MARGIN = 65536n;

/** Parse `snapshot [--output FILE] [FILTER]`. */
export function parseSnapshot(words: readonly string[]): { output?: string; rest: string[] } {
  const usage = USAGE.snapshot;
  const { rest, options } = takeOptions(words, { '--output': 'value' }, usage);
  const o = options.get('--output');
  if (o === '') throw usageError('--output needs a file name', usage);
  return typeof o === 'string' ? { output: o, rest } : { rest };
}

/**
 * `snapshot [--output FILE] [FILTER]`: the snapshot JSON, written to FILE (mode 0600, atomic)
 * or to a redirected standard output. Never printed on a terminal: it holds the keys.
 */
export async function snapshotCommand(ctx: CommandContext, words: string[]): Promise<number> {
  const parsed = parseSnapshot(words);
  const filter = parseStateFilter(parsed.rest, USAGE.snapshot);
  if (parsed.output === undefined && ctx.env.stdoutIsTTY) {
    throw new CliError(
      'snapshot: refusing to print SA keys on a terminal: use --output FILE (written with mode 0600) or redirect standard output to a file you protect',
      EXIT_USAGE,
    );
  }
  const mode = parsed.output === undefined ? ctx.env.stdoutFileMode?.() : undefined;
  if (mode !== undefined && (mode & 0o077) !== 0) {
    ctx.env.err(
      `netlink-xfrm: warning: standard output is a file other users can read (mode 0${mode.toString(8)}) and the snapshot holds the SA keys: use --output FILE (mode 0600)\n`,
    );
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
  const text = JSON.stringify(snap, null, 2) + '\n';
  if (parsed.output !== undefined) writeFileAtomic(parsed.output, new TextEncoder().encode(text));
  else ctx.env.out(text);
  for (const k of snap.skipped ?? []) ctx.env.err(`netlink-xfrm: note: snapshot: skipped ${saIdText(k.id)}: ${k.detail}\n`);
  if (ctx.env.stderrIsTTY || parsed.output !== undefined) {
    const n = snap.states.length;
    ctx.env.err(`snapshot: ${n} SA${n === 1 ? '' : 's'}${parsed.output !== undefined ? ` written to ${parsed.output} (mode 0600)` : ''}\n`);
  }
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

/** Read a snapshot file and check its outer shape. @throws {@link CliError} EXIT_DATA. */
export function readSnapshot(ctx: CommandContext, file: string): XfrmSnapshot {
  const text = new TextDecoder().decode(ctx.env.readInput(file));
  let snap: XfrmSnapshot;
  try {
    snap = JSON.parse(text) as XfrmSnapshot;
  } catch (e) {
    throw new CliError(`restore: ${file === '-' ? 'standard input' : file} is not JSON: ${jsonErrorText(e)}`, EXIT_DATA);
  }
  try {
    // Only the outer shape: each entry is checked by restore and fails in its own result.
    snapshotEntries(snap);
  } catch (e) {
    if (e instanceof NetlinkError) throw new CliError(`restore: not a usable snapshot: ${e.message}`, EXIT_DATA);
    throw e;
  }
  return snap;
}

/** `restore …`: reinstall a snapshot. @returns 0 when every entry was restored or skipped, 1 if any failed. */
export async function restoreCommand(ctx: CommandContext, words: string[]): Promise<number> {
  const args = parseRestore(words);
  const snap = readSnapshot(ctx, args.file);
  if (args.defaultMargin && !args.inPlace) {
    ctx.env.err(`netlink-xfrm: note: no --outbound-seq-margin given: outbound sequence numbers are raised by ${DEFAULT_OUTBOUND_SEQ_MARGIN}\n`);
  }
  const client = ctx.client();
  const progress = new Progress(ctx.env.err, ctx.env.stderrIsTTY, 'restore', snap.states.length);
  const options: RestoreOptions = { ...args.options, onResult: () => progress.tick() };
  let results: RestoreResult[];
  try {
    // One call for the whole snapshot: the kernel's HZ is measured once, not per SA.
    results = await (args.inPlace ? restoreInPlace(client, snap, options) : restore(client, snap, options));
  } finally {
    progress.end();
  }
  let failed = 0;
  let skipped = 0;
  for (const r of results) {
    if (ctx.opts.json) ctx.env.out(JSON.stringify(resultJson(r)) + '\n');
    else if (r.status === 'restored') ctx.env.out(`restored ${saIdText(r.id)} oseq ${r.oseq}\n`);
    else if (r.status === 'skipped') ctx.env.out(`skipped ${saIdText(r.id)}: ${r.reason}\n`);
    if (r.status === 'skipped') skipped++;
    if (r.status === 'failed') {
      failed++;
      ctx.env.err(`netlink-xfrm: restore: ${failureText(r)}${hintSuffix(r.error, args)}${previousText(r)}\n`);
    }
  }
  if (!ctx.opts.json) {
    const how = args.inPlace ? 'in place (NEWAE)' : `outbound sequence numbers raised by ${args.options.outboundSeqMargin}`;
    const total = results.length - skipped;
    const notes = `${failed ? `; ${failed} failed` : ''}${skipped ? `; ${skipped} larval SA${skipped === 1 ? '' : 's'} skipped (no keys yet: an IKE negotiation in progress)` : ''}`;
    ctx.env.out(`restored ${total - failed} of ${total} SAs, ${how}${notes}\n`);
  }
  return failed > 0 ? EXIT_KERNEL : 0;
}

/** One line of `restore --json`. */
function resultJson(r: RestoreResult): Record<string, unknown> {
  if (r.status === 'restored') return { ok: true, status: r.status, index: r.index, id: r.id, oseq: r.oseq.toString() };
  if (r.status === 'skipped') return { ok: true, status: r.status, index: r.index, id: r.id, reason: r.reason };
  return {
    ok: false,
    status: r.status,
    index: r.index,
    ...(r.id ? { id: r.id } : {}),
    error: errorText(r.error, { command: 'restore' }),
    ...(r.previous
      ? { previous: r.previous.reinstalled ? { reinstalled: true } : { reinstalled: false, error: errorText(r.previous.error) } }
      : {}),
  };
}

/** `dst … proto esp spi …: why` (or `entry N: why` when the entry names no SA). */
function failureText(r: RestoreFailure): string {
  const who = r.id ? saIdText(r.id) : `snapshot entry ${r.index}`;
  const e = r.error;
  // The entry error's own message repeats the SA: say only the field and the problem.
  const why = e instanceof XfrmSnapshotEntryError ? `snapshot entry ${e.index}: ${e.field}: ${e.reason}` : errorText(e);
  return r.id ? `${who}: ${why}` : why;
}

/** What a failed `--replace` did to the live SA. */
function previousText(r: RestoreFailure): string {
  if (!r.previous) return '';
  if (r.previous.reinstalled) return '; the live SA it had deleted was put back (outbound sequence raised by the margin)';
  return `; THE LIVE SA WAS DELETED AND COULD NOT BE PUT BACK: ${errorText(r.previous.error)}`;
}

function hintSuffix(e: Error, args: RestoreArgs): string {
  if (!args.inPlace && args.options.existing !== 'replace' && /EEXIST/.test(e.message)) return ' (hint: the SA exists: use --replace, or --in-place to set only its counters)';
  return '';
}
