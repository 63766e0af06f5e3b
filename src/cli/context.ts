/**
 * What every command gets: the environment (output streams, client factory, input reader —
 * all injectable for tests) and the global options.
 * @module
 */
import { fstatSync } from 'node:fs';
import { XfrmClient } from '../client/client.js';
import { readInput } from './io.js';

/** The outside world of the CLI; tests replace any part of it. */
export interface CliEnv {
  /** Standard output. */
  out(s: string): void;
  /** Standard error. */
  err(s: string): void;
  /** Open a client (default: a native socket, in `netns` if given). */
  openClient(opts: { netns?: string }): XfrmClient;
  /** Read a file, or standard input for `-`/undefined. */
  readInput(path: string | undefined): Uint8Array;
  /** Standard output is a terminal (snapshot warns before printing keys there). */
  stdoutIsTTY: boolean;
  /** Standard error is a terminal (progress lines). */
  stderrIsTTY: boolean;
  /** Permission bits of standard output when it is a regular file (snapshot warns when others can read it). */
  stdoutFileMode?: () => number | undefined;
  /** Ends `monitor` when aborted (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

/** Global options, accepted anywhere on the command line. */
export interface GlobalOptions {
  /** `--netns NAME`. */
  netns?: string;
  /** `--json`. */
  json: boolean;
  /** `--show-keys`. */
  showKeys: boolean;
  /** `--help`. */
  help: boolean;
}

/** The default environment: the process's streams and native sockets. */
export function defaultEnv(): CliEnv {
  return {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    openClient: (opts) => XfrmClient.open(opts.netns !== undefined ? { netns: opts.netns } : {}),
    readInput,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    stdoutFileMode: () => {
      try {
        const st = fstatSync(1);
        return st.isFile() ? st.mode & 0o777 : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** Environment plus options, with a lazily opened client that {@link CommandContext.close} closes. */
export class CommandContext {
  private client_: XfrmClient | undefined;
  /** @param env the environment. @param opts global options. */
  constructor(
    readonly env: CliEnv,
    readonly opts: GlobalOptions,
  ) {}

  /** The client, opened on first use. */
  client(): XfrmClient {
    this.client_ ??= this.env.openClient(this.opts.netns !== undefined ? { netns: this.opts.netns } : {});
    return this.client_;
  }

  /** Close the client if it was opened. */
  close(): void {
    this.client_?.close();
    this.client_ = undefined;
  }
}

/**
 * What ends a long-running command (`monitor`, `ha publish`, `ha follow`): the environment's
 * signal, or SIGINT/SIGTERM. `done()` removes the process handlers again.
 */
export function stopSignal(ctx: CommandContext): { signal: AbortSignal; done: () => void } {
  if (ctx.env.signal) return { signal: ctx.env.signal, done: () => {} };
  const ac = new AbortController();
  const onSig = (): void => ac.abort();
  process.once('SIGINT', onSig);
  process.once('SIGTERM', onSig);
  return {
    signal: ac.signal,
    done: () => {
      process.removeListener('SIGINT', onSig);
      process.removeListener('SIGTERM', onSig);
    },
  };
}
