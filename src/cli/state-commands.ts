/**
 * `state …` and `replay …`: SAs and their replay state.
 * @module
 */
import { quoteSafe } from '../netlink/secret.js';
import { type XfrmClient, type XfrmSaId } from '../client/client.js';
import { type XfrmState, type XfrmStateInput } from '../client/state.js';
import { NetlinkKernelError } from '../netlink/errors.js';
import { mergeReplayState, XfrmReplayKindError, type XfrmAeState, type XfrmAeUpdate } from '../client/ae.js';
import { takeOptions, usageError } from './args.js';
import { parseJsonLines, reviveStateInput } from './batch.js';
import { type CommandContext } from './context.js';
import { CommandError, errorText } from './errors.js';
import { CliError, EXIT_DATA, EXIT_KERNEL } from './exit-codes.js';
import { formatAe, formatSadInfo, formatState, jsonLine } from './format.js';
import { Progress } from './progress.js';
import { parseAllocSpi, parseReplaySet, parseSaId, parseStateAdd, parseStateFilter, parseStateFlush } from './state-args.js';
import { USAGE } from './usage.js';

/** An SA without any algorithm: a larval SA (ALLOCSPI or ACQUIRE). */
export function isLarval(s: XfrmState): boolean {
  return !s.aead && !s.auth && !s.crypt && s.comp === undefined;
}

function printState(ctx: CommandContext, s: XfrmState): void {
  ctx.env.out(ctx.opts.json ? jsonLine(s, { showKeys: ctx.opts.showKeys }) : formatState(s, { showKeys: ctx.opts.showKeys }));
}

function idOfInput(s: XfrmStateInput): XfrmSaId {
  return { daddr: s.daddr, spi: s.spi, proto: s.proto, ...(s.mark ? { mark: s.mark } : {}) };
}

async function wrap<T>(command: string, p: Promise<T>, larvalCheck?: () => Promise<boolean>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    let larval = false;
    if (larvalCheck && e instanceof NetlinkKernelError && e.code === 'EEXIST') larval = await larvalCheck().catch(() => false);
    throw new CommandError(e, { command, larval });
  }
}

/**
 * Send JSON-lines entries with the client's batch call, in chunks (progress on a TTY).
 * Prints one error line per failed entry (with its line number) and a summary.
 * @returns the exit code.
 */
export async function runBatch<T>(
  ctx: CommandContext,
  what: { command: string; noun: string; verb: string },
  file: string,
  revive: (json: unknown) => T,
  send: (client: XfrmClient, chunk: T[]) => Promise<{ ok: boolean; error?: unknown }[]>,
): Promise<number> {
  const text = new TextDecoder().decode(ctx.env.readInput(file));
  const { entries, errors } = parseJsonLines(text, revive);
  if (errors.length > 0) {
    for (const e of errors) ctx.env.err(`netlink-xfrm: line ${e.line}: ${e.message}\n`);
    throw new CliError(`${what.command} --batch: ${errors.length} malformed line${errors.length === 1 ? '' : 's'}; nothing was sent`, EXIT_DATA);
  }
  const client = ctx.client();
  const progress = new Progress(ctx.env.err, ctx.env.stderrIsTTY, `${what.verb} ${what.noun}`, entries.length);
  const CHUNK = 256;
  let failed = 0;
  const failures: string[] = [];
  try {
    for (let i = 0; i < entries.length; i += CHUNK) {
      const chunk = entries.slice(i, i + CHUNK);
      const results = await send(
        client,
        chunk.map((e) => e.value),
      );
      results.forEach((r, j) => {
        if (!r.ok) {
          failed++;
          failures.push(`netlink-xfrm: line ${chunk[j]!.line}: ${errorText(r.error, { command: what.command })}\n`);
        }
      });
      progress.tick(chunk.length);
    }
  } finally {
    progress.end();
  }
  for (const f of failures) ctx.env.err(f);
  const ok = entries.length - failed;
  if (ctx.opts.json) ctx.env.out(JSON.stringify({ [what.verb]: ok, failed, total: entries.length }) + '\n');
  else ctx.env.out(`${what.verb} ${ok} of ${entries.length} ${what.noun}${failed ? ` (${failed} failed)` : ''}\n`);
  return failed > 0 ? EXIT_KERNEL : 0;
}

/** `state <verb> …`. @returns the exit code. */
export async function stateCommand(ctx: CommandContext, verb: string | undefined, words: string[]): Promise<number> {
  const showKeys = ctx.opts.showKeys;
  switch (verb) {
    case undefined:
    case 'list':
    case 'show':
    case 'ls': {
      const filter = parseStateFilter(words);
      await wrap('state list', (async () => {
        for await (const s of ctx.client().listStates(filter)) printState(ctx, s);
      })());
      return 0;
    }
    case 'get': {
      const id = parseSaId(words, USAGE['state get']);
      printState(ctx, await wrap('state get', ctx.client().getState(id)));
      return 0;
    }
    case 'add':
    case 'update': {
      const command = `state ${verb}`;
      const { rest, options } = takeOptions(words, { '--batch': 'value' }, USAGE['state add']);
      const batch = options.get('--batch');
      if (typeof batch === 'string') {
        if (rest.length > 0) throw usageError('--batch takes no other arguments', USAGE['state add']);
        return runBatch(ctx, { command, noun: 'SAs', verb: verb === 'add' ? 'added' : 'updated' }, batch, reviveStateInput, (c, chunk) =>
          c.addStates(chunk, { update: verb === 'update' }),
        );
      }
      const sa = parseStateAdd(rest);
      const client = ctx.client();
      if (verb === 'add') {
        await wrap(command, client.addState(sa), async () => isLarval(await client.getState(idOfInput(sa))));
      } else {
        if (sa.aead || sa.auth || sa.crypt || sa.replay || sa.replayEsn) {
          const cur = await client.getState(idOfInput(sa)).catch(() => undefined);
          if (cur && !isLarval(cur)) {
            ctx.env.err(
              'netlink-xfrm: warning: the SA is live: the kernel ignores keys, algorithms and replay state on update (use `replay set` for replay state)\n',
            );
          }
        }
        await wrap(command, client.updateState(sa));
      }
      return 0;
    }
    case 'delete':
    case 'del': {
      const id = parseSaId(words, USAGE['state delete']);
      await wrap('state delete', ctx.client().deleteState(id));
      return 0;
    }
    case 'flush': {
      const proto = parseStateFlush(words);
      await wrap('state flush', ctx.client().flushStates(proto));
      return 0;
    }
    case 'allocspi': {
      const input = parseAllocSpi(words);
      printState(ctx, await wrap('state allocspi', ctx.client().allocSpi(input)));
      return 0;
    }
    case 'count': {
      if (words.length > 0) throw usageError(`unexpected ${quoteSafe(words[0])}`, USAGE['state count']);
      const info = await wrap('state count', ctx.client().countStates());
      ctx.env.out(ctx.opts.json ? jsonLine(info, { showKeys }) : formatSadInfo(info));
      return 0;
    }
    default:
      throw usageError(`unknown state command ${quoteSafe(verb)}`, Object.entries(USAGE).filter(([k]) => k.startsWith('state')).map(([, v]) => v).join('\n       '));
  }
}

/** The `replay set` usage error for a request whose words do not fit the SA's kind of replay state. */
function replayKindUsage(e: XfrmReplayKindError): CliError {
  const usage = USAGE['replay set'];
  if (e.saKind === 'legacy') return usageError('this SA keeps legacy replay state (no ESN): only oseq, seq and bitmap apply', usage);
  if (e.what === 'change.bitmap') return usageError('this SA keeps ESN/BMP replay state: give "bmp W,W,..." instead of "bitmap"', usage);
  return usageError(`bmp: ${e.reason}`, usage);
}

/**
 * Merge a `replay set` request into the SA's current replay state, of the SA's own kind
 * (the client's {@link mergeReplayState}, with the CLI's words in the errors).
 * @throws {@link CliError} (usage) when the request does not fit the kind.
 */
export function mergeReplay(req: ReturnType<typeof parseReplaySet>, cur: Pick<XfrmAeState, 'replay' | 'replayEsn'>): Pick<XfrmAeUpdate, 'replay' | 'replayEsn'> {
  try {
    return mergeReplayState(req, cur);
  } catch (e) {
    throw e instanceof XfrmReplayKindError ? replayKindUsage(e) : e;
  }
}

/** `replay <verb> …`. @returns the exit code. */
export async function replayCommand(ctx: CommandContext, verb: string | undefined, words: string[]): Promise<number> {
  switch (verb) {
    case 'get':
    case 'show': {
      const id = parseSaId(words, USAGE['replay get']);
      const ae = await wrap('replay get', ctx.client().getReplayState(id, { thresholds: true }));
      ctx.env.out(ctx.opts.json ? jsonLine({ id, ...ae }, { showKeys: ctx.opts.showKeys }) : formatAe(id, ae));
      return 0;
    }
    case 'set': {
      // One read-merge-write in the client: GETAE, merge into the SA's kind, NEWAE.
      const { id, ...change } = parseReplaySet(words);
      try {
        await ctx.client().updateReplayState(id, change);
      } catch (e) {
        if (e instanceof XfrmReplayKindError && e.what.startsWith('change.')) throw replayKindUsage(e);
        throw new CommandError(e, { command: 'replay set' });
      }
      return 0;
    }
    default:
      throw usageError(`unknown replay command ${quoteSafe(verb ?? '')}`, `${USAGE['replay get']}\n       ${USAGE['replay set']}`);
  }
}
