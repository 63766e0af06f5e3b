/**
 * Turning any error into one clear line and an exit code: the kernel's extended-ACK text,
 * the errno name, and a hint saying what to do about it. The hints of kernel errors are the
 * library's (`client/hints.ts`, the `hint` of a `NetlinkKernelError`): a library user reads
 * the same words; only where the CLI knows better — which command to type — it says so.
 * @module
 */
import { XfrmLarvalStateError } from '../client/ae.js';
import { XfrmUnsupportedError } from '../client/client.js';
import { isMissingModule as missingModule, xfrmErrorHint } from '../client/hints.js';
import {
  NetlinkDecodeError,
  NetlinkEncodeError,
  NetlinkError,
  NetlinkKernelError,
  NetlinkProtocolError,
  NetlinkSocketError,
} from '../netlink/errors.js';
import { CliError, EXIT_DATA, EXIT_IO, EXIT_KERNEL } from './exit-codes.js';

/** What the failing command was about, for the hint. */
export interface ErrorContext {
  /** The command, e.g. `'state add'`. */
  command?: string;
  /** `state add` found an SPI reserved by ALLOCSPI (a larval SA) in the way. */
  larval?: boolean;
}

/** True for the errors that mean "the kernel lacks the protocol or the algorithm". */
export function isMissingModule(e: unknown): boolean {
  return e instanceof NetlinkKernelError && missingModule(e);
}

/** The hint for a kernel or socket error, if there is one. */
export function hintFor(e: unknown, ctx: ErrorContext = {}): string | undefined {
  const cmd = ctx.command ?? '';
  if (e instanceof XfrmUnsupportedError) {
    return `this kernel ignores ${e.fields.join(', ')} (added in a newer kernel): leave ${e.fields.length > 1 ? 'them' : 'it'} out or upgrade`;
  }
  if (e instanceof NetlinkKernelError) {
    // The CLI's own words only where it knows the command to type; else the library's hint.
    if (e.code === 'EEXIST') {
      if (ctx.larval) return 'SPI reserved by allocspi: use `state update`';
      if (cmd.startsWith('state')) return 'an SA with this dst/spi/proto/mark exists: `state delete` it first';
      if (cmd.startsWith('policy')) return 'a policy with this selector/dir/mark exists: use `policy update`';
      // Without a command the caller (restore) words its own advice: no API names here.
      if (cmd === '') return undefined;
    }
    if (e.code === 'ESRCH' || e.code === 'ENOENT') {
      if (cmd.startsWith('policy')) return 'no such policy';
      if (cmd !== '') return 'no such SA';
    }
    return e.hint ?? xfrmErrorHint(e);
  }
  if (e instanceof NetlinkSocketError) {
    if (e.name === 'NetlinkShimUnavailableError') return 'build it with `npm run build:native` (needs a C compiler and node headers)';
    if (e.code === 'EPERM' || e.code === 'EACCES') {
      if (/run as root/.test(e.message)) return undefined; // the socket layer said it already
      return /CAP_NET_ADMIN/.test(e.message) ? 'run as root' : 'needs CAP_NET_ADMIN (run as root)';
    }
    if (e.code === 'ENOENT') return /namespace/.test(e.message) ? 'see `ip netns list`' : 'no such network namespace (see `ip netns list`)';
    if (e.code === 'EPROTONOSUPPORT') return 'this kernel has no NETLINK_XFRM (CONFIG_XFRM_USER)';
  }
  return undefined;
}

/** Exit code of an error: 1 kernel, 3 malformed data, 4 I/O or system (usage errors are {@link CliError}s). */
export function exitCodeFor(e: unknown): number {
  if (e instanceof CliError) return e.exitCode;
  if (e instanceof NetlinkKernelError || e instanceof XfrmUnsupportedError || e instanceof XfrmLarvalStateError) return EXIT_KERNEL;
  if (e instanceof NetlinkDecodeError || e instanceof NetlinkEncodeError) return EXIT_DATA;
  if (e instanceof NetlinkSocketError || e instanceof NetlinkProtocolError) return EXIT_IO;
  if (e instanceof NetlinkError) return EXIT_DATA;
  return EXIT_IO;
}

/** The message of an error without the program name: `state add: XFRM_MSG_NEWSA: EEXIST (17): … (hint: …)`. */
export function errorText(e: unknown, ctx: ErrorContext = {}): string {
  if (e instanceof CliError) return e.message;
  const prefix = ctx.command ? `${ctx.command}: ` : '';
  if (e instanceof NetlinkError) {
    const hint = hintFor(e, ctx);
    // A kernel error's message may end with the library's hint already: print one hint.
    const text = e instanceof NetlinkKernelError ? e.summary : e.message;
    return `${prefix}${text}${hint ? ` (hint: ${hint})` : ''}`;
  }
  if (e instanceof Error) return `${prefix}${e.message}`;
  return `${prefix}${String(e)}`;
}

/** The full line printed on stderr. */
export function errorLine(e: unknown, ctx: ErrorContext = {}): string {
  if (!(e instanceof CliError) && !(e instanceof NetlinkError)) {
    return `netlink-xfrm: internal error: ${(e as Error)?.stack ?? String(e)}\n`;
  }
  return `netlink-xfrm: ${errorText(e, ctx)}\n`;
}

/** An error that already carries its context (thrown by the commands, caught by `main`). */
export class CommandError extends Error {
  /** The original error. */
  readonly error: unknown;
  /** Context for the hint. */
  readonly ctx: ErrorContext;
  /** @param error original error. @param ctx context. */
  constructor(error: unknown, ctx: ErrorContext) {
    super(errorText(error, ctx));
    this.name = 'CommandError';
    this.error = error;
    this.ctx = ctx;
  }
}
