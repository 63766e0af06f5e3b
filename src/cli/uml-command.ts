/**
 * `netlink-xfrm uml [--timeout SECONDS] [--mem SIZE] [--env KEY=VALUE]... -- COMMAND [ARGS...]`:
 * run the user's own command as root inside a user-mode-linux guest (Debian's `linux.uml`,
 * a 6.1 kernel with ESP, AH, IPComp, veth…), for code that needs real SAs on a host kernel
 * without them (containers, CI). The guest's root file system is the host's `/` (hostfs), so
 * the current directory, `node` and `node_modules` are at the same paths; the command runs
 * there with the caller's PATH, its output comes back when the guest powers off, and its exit
 * status becomes this process's. The boot itself is {@link runInUmlGuest} (the same scripts
 * the demo and the repository's kernel tests use).
 * @module
 */
import { quoteSafe } from '../netlink/secret.js';
import { type CommandContext } from './context.js';
import { CliError, EXIT_USAGE } from './exit-codes.js';
import { runInUmlGuest, thisHost, umlUnavailable, UmlUnavailableError, type UmlHost } from './uml.js';
import { USAGE } from './usage.js';

/** Default wall-clock limit of the whole guest, in seconds. */
export const UML_COMMAND_DEFAULT_TIMEOUT = 600;

/**
 * Directories the guest mounts its own file systems on: a working directory below one of
 * them would be a different (empty) directory inside the guest.
 */
export const UML_GUEST_OWNED_DIRS = ['/proc', '/sys', '/dev', '/run'] as const;

/** What `uml` was asked to do, from its words. */
export interface UmlCommandRequest {
  /** The command and its arguments (everything after `--`). */
  command: string[];
  /** `--timeout SECONDS` (default {@link UML_COMMAND_DEFAULT_TIMEOUT}). */
  timeoutSeconds: number;
  /** `--mem SIZE` (guest RAM, e.g. `512M`, `1G`), when given. */
  mem?: string;
  /** `--env KEY=VALUE` pairs, in order (a later one wins). */
  env: Record<string, string>;
}

function usage(message: string): CliError {
  return new CliError(`uml: ${message}\nusage: ${USAGE.uml}`, EXIT_USAGE);
}

/**
 * Parse the words after `uml`. Options come before `--`; everything after it is the command,
 * untouched (its own `--help` or `--env` belong to it).
 * @throws {@link CliError} (EXIT_USAGE) naming the bad word.
 */
export function parseUmlCommand(words: readonly string[]): UmlCommandRequest {
  const sep = words.indexOf('--');
  const opts = sep < 0 ? words : words.slice(0, sep);
  const command = sep < 0 ? [] : words.slice(sep + 1);
  const req: UmlCommandRequest = { command, timeoutSeconds: UML_COMMAND_DEFAULT_TIMEOUT, env: {} };
  for (let i = 0; i < opts.length; i++) {
    const word = opts[i]!;
    const eq = word.indexOf('=');
    const name = word.startsWith('--') && eq > 0 ? word.slice(0, eq) : word;
    if (name !== '--timeout' && name !== '--mem' && name !== '--env') {
      if (sep < 0 && !word.startsWith('-')) throw usage(`put -- before the command: netlink-xfrm uml -- ${quoteSafe(word)} ...`);
      throw usage(`unknown option ${quoteSafe(name)}`);
    }
    let value: string | undefined;
    if (name !== word) value = word.slice(eq + 1);
    else {
      value = opts[i + 1];
      i++;
    }
    if (value === undefined) throw usage(`missing value after ${name}`);
    if (name === '--timeout') {
      if (!/^[1-9][0-9]{0,5}$/.test(value)) throw usage(`--timeout: ${quoteSafe(value)} is not a whole number of seconds (1 to 999999)`);
      req.timeoutSeconds = Number(value);
    } else if (name === '--mem') {
      if (!/^[1-9][0-9]{0,6}[KMG]$/i.test(value)) throw usage(`--mem: ${quoteSafe(value)} is not a size like 512M or 1G`);
      req.mem = value;
    } else {
      // The value may be a secret: name the key, never echo the value.
      const kv = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(value);
      if (kv === null) throw usage('--env takes KEY=VALUE with KEY made of letters, digits and _ (not starting with a digit)');
      req.env[kv[1]!] = kv[2]!;
    }
  }
  if (sep < 0) throw usage('no command: netlink-xfrm uml -- COMMAND [ARGS...]');
  if (command.length === 0) throw usage('no command after --');
  return req;
}

/**
 * Why the guest cannot see `cwd` at the same path, or undefined: the guest mounts its own
 * `/proc`, `/sys`, `/dev` and `/run` over the host's.
 */
export function guestHidesDirectory(cwd: string): string | undefined {
  const owned = UML_GUEST_OWNED_DIRS.find((d) => cwd === d || cwd.startsWith(d + '/'));
  return owned === undefined ? undefined : `the current directory is below ${owned}, which the guest replaces with its own: run it from another directory`;
}

/**
 * `uml`: boot the guest, run the command in the current directory, return its exit status
 * (124 when the guest hit its time limit, 125 when it ended without reporting one).
 * @throws {@link UmlUnavailableError} (EXIT_IO) when no guest can run here, naming the fix.
 * @throws {@link CliError} (EXIT_USAGE) for a bad command line.
 */
export async function umlCommand(ctx: CommandContext, words: readonly string[], host: UmlHost = thisHost(), cwd: string = process.cwd()): Promise<number> {
  if (ctx.opts.netns !== undefined) throw usage('--netns does not apply: the command runs as root in the guest\'s own network namespace');
  const req = parseUmlCommand(words);
  const why = umlUnavailable(host);
  if (why !== undefined) throw new UmlUnavailableError(why.reason, why.message);
  const hidden = guestHidesDirectory(cwd);
  if (hidden !== undefined) throw new UmlUnavailableError('cwd', hidden);
  // The guest starts the command with a clean environment: the caller's PATH finds the same
  // node (nvm, npx's node_modules/.bin) since the guest sees the host's file system.
  const env: Record<string, string> = {};
  if (host.env.PATH) env.PATH = host.env.PATH;
  if (host.env.NETLINK_XFRM_SHIM) env.NETLINK_XFRM_SHIM = host.env.NETLINK_XFRM_SHIM;
  Object.assign(env, req.env);
  return runInUmlGuest(
    { command: req.command, cwd, timeoutSeconds: req.timeoutSeconds, env, ...(req.mem !== undefined ? { mem: req.mem } : {}), out: ctx.env.out, err: ctx.env.err },
    host,
  );
}
