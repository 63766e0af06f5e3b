/**
 * The `netlink-xfrm` command line: global options, dispatch, and errors as one line on
 * stderr with a distinct exit code (see exit-codes.ts). Each command lives in its own file;
 * the environment (streams, client factory, input) is injectable so every command runs in
 * tests against the fake kernel.
 * @module
 */
import { NetlinkError } from '../netlink/errors.js';
import { decodeCommand, encodeCommand } from './codec-commands.js';
import { CommandContext, defaultEnv, type CliEnv, type GlobalOptions } from './context.js';
import { demoCommand } from './demo.js';
import { CommandError, errorLine, exitCodeFor } from './errors.js';
import { CliError, EXIT_USAGE } from './exit-codes.js';
import { restoreCommand, snapshotCommand } from './ha-commands.js';
import { haCommand } from './ha-live-commands.js';
import { monitorCommand } from './monitor.js';
import { policyCommand } from './policy-commands.js';
import { replayCommand, stateCommand } from './state-commands.js';
import { umlCommand } from './uml-command.js';
import { HELP, USAGE } from './usage.js';

export { HELP };

/**
 * Take the global options out of `argv` (they may appear anywhere):
 * `--netns NAME` (or `--netns=NAME`), `--json`, `--show-keys`, `--help`/`-h`. Nothing after
 * `--` is an option: those words (with the `--`) stay in `rest`, e.g. `uml -- node t.js --help`.
 */
export function extractGlobalOptions(argv: readonly string[]): { opts: GlobalOptions; rest: string[] } {
  const opts: GlobalOptions = { json: false, showKeys: false, help: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--json') opts.json = true;
    else if (a === '--show-keys') opts.showKeys = true;
    else if (a === '--help' || a === '-h') opts.help = true;
    else if (a === '--netns' || a === '-n') {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new CliError(`${a} needs a namespace name\n${HELP}`, EXIT_USAGE);
      opts.netns = v;
      i++;
    } else if (a.startsWith('--netns=')) opts.netns = a.slice('--netns='.length);
    else rest.push(a);
  }
  if (opts.netns === '') throw new CliError('--netns needs a namespace name', EXIT_USAGE);
  return { opts, rest };
}

function commandHelp(cmd: string): string {
  const lines = Object.entries(USAGE)
    .filter(([k]) => k === cmd || k.startsWith(cmd + ' '))
    .map(([, v]) => `usage: ${v}`);
  return lines.length ? lines.join('\n') + '\n(netlink-xfrm --help for everything)\n' : HELP;
}

/** Run a command; errors without context (e.g. the socket failing to open) get the command's name. */
async function dispatch(ctx: CommandContext, argv: string[]): Promise<number> {
  try {
    return await dispatchCommand(ctx, argv);
  } catch (e) {
    if (e instanceof CliError || e instanceof CommandError || !(e instanceof NetlinkError)) throw e;
    const [cmd, verb] = argv;
    const objects = ['state', 'sa', 'policy', 'pol', 'replay', 'ae', 'ha'];
    throw new CommandError(e, { command: cmd !== undefined && objects.includes(cmd) ? `${cmd} ${verb ?? 'list'}` : cmd });
  }
}

async function dispatchCommand(ctx: CommandContext, argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const { opts, env } = ctx;
  if (opts.help) {
    env.out(cmd === undefined || cmd === 'help' ? HELP : commandHelp(cmd));
    return 0;
  }
  switch (cmd) {
    case 'state':
    case 'sa':
      return stateCommand(ctx, rest[0], rest.slice(1));
    case 'policy':
    case 'pol':
      return policyCommand(ctx, rest[0], rest.slice(1));
    case 'replay':
    case 'ae':
      return replayCommand(ctx, rest[0], rest.slice(1));
    case 'monitor':
      return monitorCommand(ctx, rest);
    case 'snapshot':
      return snapshotCommand(ctx, rest);
    case 'restore':
      return restoreCommand(ctx, rest);
    case 'ha':
      return haCommand(ctx, rest[0], rest.slice(1));
    case 'demo':
      return demoCommand(ctx, rest);
    case 'uml':
      return umlCommand(ctx, rest);
    case 'decode': {
      const args = rest.filter((a) => a !== '--hex');
      const unknown = args.find((a) => a.startsWith('--'));
      if (unknown) throw new CliError(`unknown option ${unknown}\nusage: ${USAGE.decode}`, EXIT_USAGE);
      if (args.length > 1) throw new CliError(`decode takes at most one FILE\nusage: ${USAGE.decode}`, EXIT_USAGE);
      env.out(decodeCommand(env.readInput(args[0]) as Buffer, { hex: rest.includes('--hex'), showKeys: opts.showKeys }));
      return 0;
    }
    case 'encode': {
      const unknown = rest.find((a) => a.startsWith('--'));
      if (unknown) throw new CliError(`unknown option ${unknown}\nusage: ${USAGE.encode}`, EXIT_USAGE);
      if (rest.length > 1) throw new CliError(`encode takes at most one FILE\nusage: ${USAGE.encode}`, EXIT_USAGE);
      env.out(encodeCommand(env.readInput(rest[0]) as Buffer));
      return 0;
    }
    case undefined:
      env.out(HELP);
      return EXIT_USAGE;
    case 'help':
      env.out(HELP);
      return 0;
    default:
      throw new CliError(`unknown command ${cmd}\n${HELP}`, EXIT_USAGE);
  }
}

/**
 * Run the CLI with `argv` (without node and script); returns the exit code. Errors are
 * thrown ({@link CliError}, {@link CommandError} or library errors); {@link run} prints them.
 * @param envOrOut the environment to use instead of the process's (tests), or just an
 *   output function.
 */
export async function main(argv: string[], envOrOut: Partial<CliEnv> | ((s: string) => void) = {}): Promise<number> {
  const given = typeof envOrOut === 'function' ? { out: envOrOut } : envOrOut;
  const env: CliEnv = { ...defaultEnv(), ...given };
  const { opts, rest } = extractGlobalOptions(argv);
  const ctx = new CommandContext(env, opts);
  try {
    return await dispatch(ctx, rest);
  } finally {
    ctx.close();
  }
}

/**
 * Like {@link main} but never throws: prints the error as one line on `env.err` and returns
 * its exit code. This is what tests of exit codes and error lines use.
 */
export async function runWith(argv: string[], env: Partial<CliEnv> = {}): Promise<number> {
  const err = env.err ?? ((s: string) => void process.stderr.write(s));
  try {
    return await main(argv, env);
  } catch (e) {
    if (e instanceof CommandError) {
      err(errorLine(e.error, e.ctx));
      return exitCodeFor(e.error);
    }
    err(errorLine(e));
    return exitCodeFor(e);
  }
}

let epipeHandled = false;

/** Entry point: run, print errors as one line, set the exit code. */
export async function run(argv: string[]): Promise<void> {
  if (!epipeHandled) {
    epipeHandled = true;
    // `netlink-xfrm state list | head` closes the pipe early: that is not an error.
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  process.exitCode = await runWith(argv);
}
