/**
 * What the `state`, `policy` and `replay` command handlers share: the error wrapper that
 * names the command, `add|update` with its `--batch FILE` form (JSON lines sent in chunks
 * with the client's batch calls), and the usage text of an object's verbs.
 * @module
 */
import { type XfrmClient } from '../client/client.js';
import { quoteSafe } from '../netlink/secret.js';
import { NetlinkKernelError } from '../netlink/errors.js';
import { takeOptions, usageError, Words } from './args.js';
import { parseJsonLines } from './batch.js';
import { type CommandContext } from './context.js';
import { CommandError, errorText } from './errors.js';
import { CliError, EXIT_DATA, EXIT_KERNEL } from './exit-codes.js';
import { Progress } from './progress.js';
import { USAGE } from './usage.js';

/**
 * Await `p`; a failure becomes a {@link CommandError} naming `command`. `larvalCheck` runs
 * on EEXIST to tell whether the SA in the way is larval (the hint then differs).
 */
export async function wrap<T>(command: string, p: Promise<T>, larvalCheck?: () => Promise<boolean>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    let larval = false;
    if (larvalCheck && e instanceof NetlinkKernelError && e.code === 'EEXIST') larval = await larvalCheck().catch(() => false);
    throw new CommandError(e, { command, larval });
  }
}

/** One verb of an object's verb table. */
export interface Verb {
  /** The verb and its aliases; the first is its name in messages (`state delete`). */
  names: readonly string[];
  /**
   * Run it. `verb` is the word given (`update` for the `add|update` row), `command` the
   * object and the verb's first name.
   * @returns the exit code.
   */
  run(ctx: CommandContext, words: string[], how: { verb: string; command: string }): Promise<number>;
}

/**
 * Run the verb of `object` named `verb` (none: the first row, `list`); an unknown verb is a
 * usage error showing every verb's usage.
 */
export function runVerb(object: 'state' | 'policy', verbs: readonly Verb[], ctx: CommandContext, verb: string | undefined, words: string[]): Promise<number> {
  const row = verb === undefined ? verbs[0] : verbs.find((v) => v.names.includes(verb));
  if (row === undefined) throw usageError(`unknown ${object} command ${quoteSafe(verb)}`, verbsUsage(object));
  return row.run(ctx, words, { verb: verb ?? row.names[0]!, command: `${object} ${row.names[0]!}` });
}

/**
 * A verb that is one request: parse the words (before a socket is opened, so a usage error
 * needs no privileges), send, print the answer with `print` if given.
 */
export function requestVerb<A, R>(
  names: readonly string[],
  parse: (words: string[]) => A,
  send: (client: XfrmClient, args: A) => Promise<R>,
  print?: (ctx: CommandContext, answer: R) => void,
): Verb {
  return {
    names,
    run: async (ctx, words, { command }) => {
      const args = parse(words);
      const answer = await wrap(command, send(ctx.client(), args));
      print?.(ctx, answer);
      return 0;
    },
  };
}

/** The parser of a verb that takes no words (`state count`): any word is a usage error. */
export function noWords(usage: string): (words: readonly string[]) => void {
  return (words) => {
    const w = new Words(words, usage);
    if (!w.done) w.unknown(w.take());
  };
}

/** The usage lines of every verb of `object` (`state`, `policy`), for an unknown verb. */
function verbsUsage(object: string): string {
  return Object.entries(USAGE)
    .filter(([k]) => k.startsWith(`${object} `))
    .map(([, v]) => v)
    .join('\n       ');
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

/** How one object (`state`, `policy`) is added in a batch. */
export interface BatchSpec<T> {
  /** `state` or `policy`: the command is `<object> add|update`. */
  object: 'state' | 'policy';
  /** Plural shown in the summary (`SAs`, `policies`). */
  noun: string;
  /** One JSON line → the client's input type (throws on a malformed entry). */
  revive: (json: unknown) => T;
  /** The client's batch call. */
  send: (client: XfrmClient, chunk: T[], update: boolean) => Promise<{ ok: boolean; error?: unknown }[]>;
}

/**
 * `<object> add|update …`: with `--batch FILE|-` the JSON lines of FILE (nothing else on the
 * line), otherwise `single(command, words)` for the keyword form.
 * @returns the exit code.
 */
export async function addCommand<T>(
  ctx: CommandContext,
  spec: BatchSpec<T>,
  verb: 'add' | 'update',
  words: string[],
  single: (command: string, words: string[]) => Promise<void>,
): Promise<number> {
  const command = `${spec.object} ${verb}`;
  const usage = USAGE[`${spec.object} add`];
  const { rest, options } = takeOptions(words, { '--batch': 'value' }, usage);
  const batch = options.get('--batch');
  if (typeof batch !== 'string') {
    await single(command, rest);
    return 0;
  }
  if (rest.length > 0) throw usageError('--batch takes no other arguments', usage);
  const update = verb === 'update';
  return runBatch(ctx, { command, noun: spec.noun, verb: update ? 'updated' : 'added' }, batch, spec.revive, (c, chunk) => spec.send(c, chunk, update));
}
