/**
 * `state …` and `replay …`: SAs and their replay state.
 * @module
 */
import { quoteSafe } from '../netlink/secret.js';
import { type XfrmSaId } from '../client/client.js';
import { type XfrmState, type XfrmStateInput } from '../client/state.js';
import { mergeReplayState, XfrmReplayKindError, type XfrmAeState, type XfrmAeUpdate } from '../client/ae.js';
import { usageError } from './args.js';
import { reviveStateInput } from './batch.js';
import { addCommand, noWords, requestVerb, runVerb, wrap, type BatchSpec, type Verb } from './command-kit.js';
import { type CommandContext } from './context.js';
import { CommandError } from './errors.js';
import { type CliError } from './exit-codes.js';
import { formatAe, formatSadInfo, formatState, jsonLine } from './format.js';
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

/** `state add|update --batch`: JSON lines of {@link XfrmStateInput}. */
const STATE_BATCH: BatchSpec<XfrmStateInput> = {
  object: 'state',
  noun: 'SAs',
  revive: reviveStateInput,
  send: (c, chunk, update) => c.addStates(chunk, { update }),
};

/** `state add|update` in the keyword form: one SA (a warning when an update cannot change a live SA's keys). */
async function addOne(ctx: CommandContext, verb: 'add' | 'update', command: string, words: string[]): Promise<void> {
  const sa = parseStateAdd(words);
  const client = ctx.client();
  if (verb === 'add') {
    await wrap(command, client.addState(sa), async () => isLarval(await client.getState(idOfInput(sa))));
    return;
  }
  if (sa.aead || sa.auth || sa.crypt || sa.replay || sa.replayEsn) {
    const cur = await client.getState(idOfInput(sa)).catch(() => undefined);
    if (cur && !isLarval(cur)) {
      ctx.env.err('netlink-xfrm: warning: the SA is live: the kernel ignores keys, algorithms and replay state on update (use `replay set` for replay state)\n');
    }
  }
  await wrap(command, client.updateState(sa));
}

/** The verbs of `state`: the first (`list`) is the default. */
const STATE_VERBS: readonly Verb[] = [
  {
    names: ['list', 'show', 'ls'],
    run: async (ctx, words, { command }) => {
      const filter = parseStateFilter(words);
      // Through views (no promise per SA); every SA is printed whole, so each is decoded.
      await wrap(command, ctx.client().forEachState((s) => printState(ctx, s.toObject()), filter));
      return 0;
    },
  },
  requestVerb(['get'], (words) => parseSaId(words, USAGE['state get']), (c, id) => c.getState(id), printState),
  {
    names: ['add', 'update'],
    run: (ctx, words, { verb }) => {
      const v = verb === 'add' ? 'add' : 'update';
      return addCommand(ctx, STATE_BATCH, v, words, (command, rest) => addOne(ctx, v, command, rest));
    },
  },
  requestVerb(['delete', 'del'], (words) => parseSaId(words, USAGE['state delete']), (c, id) => c.deleteState(id)),
  requestVerb(['flush'], parseStateFlush, (c, proto) => c.flushStates(proto)),
  requestVerb(['allocspi'], parseAllocSpi, (c, input) => c.allocSpi(input), printState),
  requestVerb(['count'], noWords(USAGE['state count']), (c) => c.countStates(), (ctx, info) =>
    ctx.env.out(ctx.opts.json ? jsonLine(info, { showKeys: ctx.opts.showKeys }) : formatSadInfo(info)),
  ),
];

/** `state <verb> …`. @returns the exit code. */
export function stateCommand(ctx: CommandContext, verb: string | undefined, words: string[]): Promise<number> {
  return runVerb('state', STATE_VERBS, ctx, verb, words);
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
