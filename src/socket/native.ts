/**
 * The only file that loads the native shim (`netlink_shim.node`, built from
 * `native/netlink_shim.c`), plus {@link NativeTransport}: the {@link NetlinkTransport} over it.
 *
 * The shim is looked for, in order, at `$NETLINK_XFRM_SHIM` (a path to the `.node` file),
 * `prebuilds/<platform>-<arch>/netlink_shim.node` and `native/build/Release/netlink_shim.node`
 * in the package root. Loading is lazy: importing this module never fails; a missing shim
 * is reported when a socket is opened, so the pure codecs work everywhere.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Errno } from '../netlink/errno.js';
import { NetlinkSocketError } from '../netlink/errors.js';
import { type NetlinkTransport, type RecvInfo } from './transport.js';
import { INSPECT_CUSTOM } from '../netlink/secret.js';

/** The raw functions exported by `netlink_shim.node`. Errors are `Error & { syscall, errno, code }`. @group Socket */
export interface NativeShim {
  /** `socket(AF_NETLINK, SOCK_RAW|SOCK_NONBLOCK|SOCK_CLOEXEC, protocol)`, inside `netnsPath` if given; returns the fd. */
  open(protocol: number, netnsPath?: string): number;
  /** `bind()` with a legacy group bitmask; the kernel picks the port id. */
  bind(fd: number, groups: number): void;
  /** `getsockname()`: the socket's port id (`nl_pid`). */
  getsockname(fd: number): number;
  /** `setsockopt(fd, level, name, &int)`. */
  setsockoptInt(fd: number, level: number, name: number, value: number): void;
  /** `getsockopt(fd, level, name)` of an `int`. */
  getsockoptInt(fd: number, level: number, name: number): number;
  /** One `sendmsg` of `data` to the kernel; returns the bytes sent. */
  send(fd: number, data: Uint8Array): number;
  /**
   * The same `sendmsg` on a libuv worker thread; `data` stays referenced until the promise
   * settles. With {@link orderedSends}, a socket's calls send in call order, and one naming a
   * `chain` (not 0) rejects with `ECANCELED`, unsent, once a send of that chain failed.
   */
  sendAsync(fd: number, data: Uint8Array, chain?: number): Promise<number>;
  /** `sendAsync` orders a socket's sends and knows `chain`; absent from shims built before. */
  readonly orderedSends?: boolean;
  /**
   * Up to `into.length / slotSize` datagrams (the i-th at `i * slotSize`) read on a libuv
   * worker thread; stops at `EAGAIN` or at an error, which is then the last element. `into`
   * stays referenced until the promise settles.
   */
  recvAsync(fd: number, into: Uint8Array, slotSize: number): Promise<(RecvInfo | Error)[]>;
  /**
   * `poll(fd, POLLIN, timeoutMs)` on a libuv worker thread: `true` when readable (or a socket
   * error is pending), `false` on timeout. The readiness path where `uv_poll` is missing (Bun).
   * Absent from shims built before it existed.
   */
  waitReadable?(fd: number, timeoutMs: number): Promise<boolean>;
  /**
   * The datagrams queued now, packed into `into` in one call (see `NetlinkTransport.recvBatch`
   * for `meta`); returns the count. Absent from shims built before it existed.
   */
  recvBatch?(fd: number, into: Uint8Array, slotSize: number, meta: Int32Array): number;
  /** One `recvmsg` into `into` with `MSG_TRUNC`; `null` on `EAGAIN`. */
  recv(fd: number, into: Uint8Array): RecvInfo | null;
  /** Length of the next datagram (`MSG_PEEK|MSG_TRUNC`), `null` if none is queued. */
  peekLength(fd: number): number | null;
  /** Create a `uv_poll` handle calling `callback(status, events)` on readiness (not started). */
  poll(fd: number, callback: (status: number, events: number) => void): NativePollHandle;
  /** Start (or re-arm) readiness notifications. */
  startPoll(handle: NativePollHandle): void;
  /** Stop readiness notifications. */
  stopPoll(handle: NativePollHandle): void;
  /** Close the poll handle. */
  closePoll(handle: NativePollHandle): void;
  /** `close(fd)`. */
  close(fd: number): void;
  /**
   * Start a thread draining `fd` into a queue of datagrams (each read into `slotSize` bytes)
   * that stops reading while it holds `maxBytes` or more; `ENOBUFS` is queued in its place.
   * `callback` runs on the JavaScript thread when datagrams wait and {@link readerWant} is on.
   * Absent from shims built before it existed.
   */
  readerOpen?(fd: number, slotSize: number, maxBytes: number, callback: () => void): NativeReaderHandle;
  /** `recvBatch`'s contract over the reader's queue (`meta[0]` = -1: empty, but the socket was not seen empty yet). */
  readerTake?(handle: NativeReaderHandle, into: Uint8Array, slotSize: number, meta: Int32Array): number;
  /** Wake-ups wanted (and the event loop kept alive by the reader) or not. */
  readerWant?(handle: NativeReaderHandle, on: boolean): void;
  /** Stop and join the reader thread and free its queue; the fd stays open. */
  readerClose?(handle: NativeReaderHandle): void;
}

/** Opaque reader-thread handle returned by {@link NativeShim.readerOpen}. @group Socket */
export interface NativeReaderHandle {
  /** @internal Brand: only the shim creates these. */
  readonly __nativeReaderHandle: unique symbol;
}

/** Opaque `uv_poll_t` handle returned by {@link NativeShim.poll}. @group Socket */
export interface NativePollHandle {
  /** @internal Brand: only the shim creates these. */
  readonly __nativePollHandle: unique symbol;
}

/**
 * The native shim could not be loaded (not built, wrong platform, 32-bit x86). Thrown when a
 * socket is opened, never at import time.
 * @group Errors
 */
export class NetlinkShimUnavailableError extends NetlinkSocketError {
  /** @param errno positive errno describing the failure class. @param detail why. @param options `ErrorOptions`. */
  constructor(errno: number, detail: string, options?: ErrorOptions) {
    super('dlopen', errno, undefined, options);
    this.name = 'NetlinkShimUnavailableError';
    this.message = `the native netlink shim is not available on ${process.platform}-${process.arch}: ${detail}; the codecs work without it`;
  }
}

/**
 * How long one worker-thread wait ({@link NativeShim.waitReadable}) lasts before it is
 * renewed: it bounds how long a stopped or closed transport keeps a worker thread (and its fd,
 * whose close waits for the worker) and keeps the event loop alive.
 */
const WAIT_SLICE_MS = 200;

/**
 * @internal Whether readiness must come from a worker-thread wait instead of `uv_poll`: on
 * Bun, whose Node-API aborts the whole process on `uv_poll_init` (an uncatchable panic).
 * `NETLINK_XFRM_READINESS=worker` forces it (tests of that path under Node), `=uv_poll` the other.
 */
export function useWorkerReadiness(): boolean {
  const forced = process.env.NETLINK_XFRM_READINESS;
  if (forced === 'worker') return true;
  if (forced === 'uv_poll') return false;
  return typeof (process.versions as Record<string, string | undefined>).bun === 'string';
}

/**
 * @internal Whether subscriptions drain their socket on a native reader thread by default: on
 * Node. Bun and Deno keep the readiness path they were tested with (the reader's wake-ups go
 * through a Node-API thread-safe function, which the platform tests have not covered there).
 * `NETLINK_XFRM_EVENT_READER=thread` or `=poll` forces one or the other.
 */
export function useReaderThread(): boolean {
  const forced = process.env.NETLINK_XFRM_EVENT_READER;
  if (forced === 'thread') return true;
  if (forced === 'poll') return false;
  const v = process.versions as Record<string, string | undefined>;
  return typeof v.bun !== 'string' && typeof v.deno !== 'string';
}

let cached: NativeShim | undefined;
let failure: NetlinkShimUnavailableError | undefined;

function thisFile(): string {
  try {
    return fileURLToPath(import.meta.url);
  } catch {
    // CommonJS build: import.meta is not available.
    return typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js');
  }
}

/** @internal The package root: the nearest parent directory whose package.json names this package. */
export function packageRoot(from: string = thisFile()): string | undefined {
  let dir = dirname(from);
  for (let i = 0; i < 8; i++) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'netlink-xfrm') return dir;
      } catch {
        /* keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** @internal Where the shim may be, in the order tried. */
export function shimCandidates(root: string | undefined = packageRoot()): string[] {
  const out: string[] = [];
  const env = process.env.NETLINK_XFRM_SHIM;
  if (env) out.push(resolve(env));
  if (root) {
    out.push(join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'netlink_shim.node'));
    out.push(join(root, 'native', 'build', 'Release', 'netlink_shim.node'));
  }
  return out;
}

/**
 * Load (once) and return the native shim.
 * @throws {@link NetlinkShimUnavailableError} when it cannot be loaded.
 * @group Socket
 */
export function loadNativeShim(): NativeShim {
  if (cached) return cached;
  if (failure) throw failure;
  if (process.arch === 'ia32') {
    failure = new NetlinkShimUnavailableError(
      Errno.EOPNOTSUPP,
      'refusing to run on 32-bit x86: netlink structs holding 64-bit members have a different size there, ' +
        'and the kernel answers EOPNOTSUPP to the families it does not translate them for',
    );
    throw failure;
  }
  if (process.platform !== 'linux') {
    failure = new NetlinkShimUnavailableError(Errno.ENOSYS, 'AF_NETLINK sockets exist only on Linux');
    throw failure;
  }
  const candidates = shimCandidates();
  const errors: string[] = [];
  const req = createRequire(thisFile());
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      cached = req(path) as NativeShim;
      return cached;
    } catch (e) {
      errors.push(`${path}: ${(e as Error).message}`);
    }
  }
  const detail =
    errors.length > 0
      ? `loading failed (${errors.join('; ')})`
      : `no netlink_shim.node found (looked in ${candidates.join(', ') || 'no package root'}); build it with \`npm rebuild netlink-xfrm\` or \`node scripts/build-native.mjs\``;
  failure = new NetlinkShimUnavailableError(errors.length > 0 ? Errno.ENOSYS : Errno.ENOENT, detail);
  throw failure;
}

/** True if the native shim can be loaded on this machine (never throws). @group Client */
export function nativeShimAvailable(): boolean {
  try {
    loadNativeShim();
    return true;
  } catch {
    return false;
  }
}

const CAP_NET_ADMIN_HINT = 'CAP_NET_ADMIN is needed (run as root or grant the capability)';

/** Turn a shim error into a {@link NetlinkSocketError} with advice for the common ones. */
function wrap(e: unknown, fallbackSyscall: string): never {
  throw socketError(e, fallbackSyscall);
}

/**
 * @internal The {@link NetlinkSocketError} for a shim error (or any error carrying a numeric
 * `errno`); anything else (a bug) is returned as is.
 */
export function socketError(e: unknown, fallbackSyscall: string): unknown {
  const err = e as { syscall?: unknown; errno?: unknown; code?: unknown; message?: string };
  if (typeof err?.errno !== 'number') return e; // a TypeError from argument checking: a bug, pass it on
  const syscall = typeof err.syscall === 'string' ? err.syscall : fallbackSyscall;
  let hint: string | undefined;
  if (err.errno === Errno.EPERM) {
    hint = syscall === 'setns' ? 'CAP_SYS_ADMIN is needed to enter another network namespace' : CAP_NET_ADMIN_HINT;
  } else if (err.errno === Errno.ENOENT && syscall === 'open(netns)') {
    hint = 'no such network namespace';
  }
  return new NetlinkSocketError(syscall, err.errno, hint, { cause: e });
}

/** Options of {@link openNativeTransport}. @group Socket */
export interface NativeTransportOptions {
  /** Socket protocol number (`NETLINK_*`), e.g. 6 for the family the caller speaks. */
  protocol: number;
  /**
   * Network namespace to create the socket in: a name under `/run/netns` (as made by
   * `ip netns add NAME`) or a path such as `/proc/<pid>/ns/net`. The socket keeps talking to
   * that namespace for its whole life; the calling thread returns to its own namespace.
   */
  netns?: string;
  /** Legacy multicast bitmask for `bind()` (`nl_groups`); prefer `NETLINK_ADD_MEMBERSHIP`. */
  groups?: number;
}

/** Resolve a netns name to its path: names without `/` live in `/run/netns`. @group Socket */
export function netnsPath(netns: string): string {
  return netns.includes('/') ? netns : join('/run/netns', netns);
}

/** {@link NetlinkTransport} over the native shim: a real `AF_NETLINK` socket. @group Socket */
export class NativeTransport implements NetlinkTransport {
  readonly portId: number;
  /** The socket's file descriptor (for diagnostics). */
  readonly fd: number;

  /** `util.inspect` prints a summary: the buffers held here may contain key material. */
  [INSPECT_CUSTOM](): string {
    return `NativeTransport { port: ${this.portId}, fd: ${this.fd} }`;
  }
  private readonly shim: NativeShim;
  private handle: NativePollHandle | undefined;
  private wanted = false;
  private armed = false;
  private onReadable: (() => void) | undefined;
  private closed = false;
  /** `sendAsync`/`recvAsync` calls whose worker may still use the fd. */
  private inflight = 0;
  private closeDeferred = false;
  /** Readiness from {@link NativeShim.waitReadable} on a worker instead of `uv_poll` (Bun). */
  private readonly workerReadiness: boolean;
  /** A worker-thread wait is running. */
  private waiting = false;

  /** Use {@link openNativeTransport}. @internal */
  constructor(shim: NativeShim, fd: number, portId: number) {
    this.shim = shim;
    this.fd = fd;
    this.portId = portId;
    this.workerReadiness = useWorkerReadiness();
    // Older shims lack recvBatch: the transport then has none, and readers recv one by one.
    const batch = shim.recvBatch;
    if (batch !== undefined) {
      this.recvBatch = (into, slotSize, meta) => {
        try {
          return batch.call(shim, fd, into, slotSize, meta);
        } catch (e) {
          wrap(e, 'recvmsg');
        }
      };
    }
  }

  /** See `NetlinkTransport.recvBatch`; absent when the loaded shim predates it. */
  recvBatch?: (into: Uint8Array, slotSize: number, meta: Int32Array) => number;

  /** The reader thread ({@link startReader}), if one runs. */
  private reader: NativeReaderHandle | undefined;

  /** True while a reader thread drains the socket ({@link startReader}). */
  get threaded(): boolean {
    return this.reader !== undefined;
  }

  /**
   * See `NetlinkTransport.startReader`: from now on a native thread drains the socket into a
   * queue of at most about `maxBytes`, {@link recvBatch} reads that queue, and readiness comes
   * from the thread. False (nothing changed) when the loaded shim
   * predates the reader, or a reader already runs.
   */
  startReader(slotSize: number, maxBytes: number): boolean {
    const shim = this.shim;
    const { readerOpen, readerTake } = shim;
    if (this.closed || this.reader !== undefined || readerOpen === undefined || readerTake === undefined || shim.readerWant === undefined) {
      return false;
    }
    // The uv_poll handle (or worker wait) must not read beside the thread.
    this.stopPoll();
    let reader: NativeReaderHandle;
    try {
      reader = readerOpen.call(shim, this.fd, slotSize, maxBytes, () => this.readerReady());
    } catch (e) {
      wrap(e, 'pthread_create');
    }
    this.reader = reader;
    this.recvBatch = (into, slot, meta) => {
      try {
        return readerTake.call(shim, reader, into, slot, meta);
      } catch (e) {
        wrap(e, 'recvmsg');
      }
    };
    return true;
  }

  /** The reader thread queued datagrams (or an error) while readiness was wanted. */
  private readerReady(): void {
    if (this.closed || !this.wanted) return;
    // As from uv_poll: the library's readers never throw from onReadable.
    this.onReadable?.();
  }

  send(datagram: Uint8Array): number {
    try {
      return this.shim.send(this.fd, datagram);
    } catch (e) {
      wrap(e, 'sendmsg');
    }
  }

  sendAsync(datagram: Uint8Array, chain = 0): Promise<number> {
    return this.onWorker('sendmsg', () => this.shim.sendAsync(this.fd, datagram, chain));
  }

  /** See `NetlinkTransport.orderedSends`: false with a shim built before it. */
  get orderedSends(): boolean {
    return this.shim.orderedSends === true;
  }

  async recvAsync(into: Uint8Array, slotSize: number): Promise<(RecvInfo | NetlinkSocketError)[]> {
    if (this.reader !== undefined) throw new TypeError('recvAsync: a reader thread drains this socket; use recvBatch');
    const got = await this.onWorker('recvmsg', () => this.shim.recvAsync(this.fd, into, slotSize));
    return got.map((r) => (r instanceof Error ? (socketError(r, 'recvmsg') as NetlinkSocketError) : r));
  }

  private async onWorker<T>(syscall: string, start: () => Promise<T>): Promise<T> {
    if (this.closed) wrap(Object.assign(new Error(`${syscall}: socket closed`), { syscall, errno: Errno.EBADF }), syscall);
    this.inflight++;
    try {
      return await start();
    } catch (e) {
      return wrap(e, syscall);
    } finally {
      // close() while a worker still uses the fd defers the close to here: closing earlier
      // could let the number be reused by another socket before that system call runs.
      if (--this.inflight === 0 && this.closeDeferred) this.closeFd();
    }
  }

  recv(into: Uint8Array): RecvInfo | null {
    // One datagram at a time cannot say "nothing yet, more coming" (see recvBatch).
    if (this.reader !== undefined) throw new TypeError('recv: a reader thread drains this socket; use recvBatch');
    try {
      return this.shim.recv(this.fd, into);
    } catch (e) {
      wrap(e, 'recvmsg');
    }
  }

  /** Length of the next queued datagram without consuming it; `null` if none. */
  peekLength(): number | null {
    if (this.reader !== undefined) throw new TypeError('peekLength: a reader thread drains this socket');
    try {
      return this.shim.peekLength(this.fd);
    } catch (e) {
      wrap(e, 'recvmsg');
    }
  }

  poll(onReadable: () => void): void {
    this.onReadable = onReadable;
    if (this.reader !== undefined) {
      if (!this.wanted && !this.closed) this.shim.readerWant!(this.reader, true);
      this.wanted = true;
      return;
    }
    this.wanted = true;
    if (this.workerReadiness) this.waitOnWorker();
    else this.arm();
  }

  /**
   * The readiness path without `uv_poll`: one bounded `poll(2)` at a time on a worker thread,
   * renewed while readiness is wanted. The fd counts as in flight, so close() defers closing it.
   */
  private waitOnWorker(): void {
    if (this.closed || this.waiting || !this.wanted) return;
    const wait = this.shim.waitReadable;
    if (wait === undefined) {
      throw new NetlinkShimUnavailableError(
        Errno.ENOSYS,
        'this runtime has no uv_poll and the loaded shim predates waitReadable; rebuild it (`npm rebuild netlink-xfrm`)',
      );
    }
    this.waiting = true;
    this.inflight++;
    wait.call(this.shim, this.fd, WAIT_SLICE_MS).then(
      (readable) => this.waited(readable, false),
      () => this.waited(true, true),
    );
  }

  private waited(readable: boolean, failed: boolean): void {
    this.waiting = false;
    if (--this.inflight === 0 && this.closeDeferred) {
      try {
        this.closeFd();
      } catch {
        /* nobody to tell: close() already returned */
      }
    }
    if (this.closed || !this.wanted) return;
    // As from uv_poll: the reader never throws from onReadable; a failed poll(2) is reported
    // by the reader's next recv(), so it is not re-armed here (the reader's poll() does that).
    if (readable) this.onReadable?.();
    if (!failed) this.waitOnWorker();
  }

  private arm(): void {
    if (this.closed || this.armed) return;
    try {
      if (this.handle === undefined) {
        this.handle = this.shim.poll(this.fd, (status) => this.fire(status));
      } else {
        this.shim.startPoll(this.handle);
      }
    } catch (e) {
      wrap(e, 'uv_poll_start');
    }
    this.armed = true;
  }

  private fire(status: number): void {
    if (!this.wanted) return;
    // status < 0: libuv saw POLLERR (a pending socket error such as ENOBUFS) and stopped the
    // handle. The next recv() reports the error; re-arm afterwards so later datagrams are seen.
    if (status < 0) this.armed = false;
    // This runs from libuv, where an exception would kill the process: the library's readers
    // (NetlinkSocket, Subscription) never throw from onReadable, and re-arming must not either.
    this.onReadable?.();
    if (status < 0 && this.wanted && !this.closed) {
      try {
        this.arm();
      } catch {
        // uv_poll_start failed: stay unarmed; the reader's next poll() retries and reports it.
        this.armed = false;
      }
    }
  }

  stopPoll(): void {
    if (this.reader !== undefined) {
      if (this.wanted && !this.closed) this.shim.readerWant!(this.reader, false);
      this.wanted = false;
      return;
    }
    this.wanted = false;
    if (this.workerReadiness) return; // the running wait ends within WAIT_SLICE_MS and is ignored
    if (!this.armed || !this.handle) return;
    this.armed = false;
    this.shim.stopPoll(this.handle);
  }

  setsockoptInt(level: number, name: number, value: number): void {
    try {
      this.shim.setsockoptInt(this.fd, level, name, value);
    } catch (e) {
      wrap(e, 'setsockopt');
    }
  }

  getsockoptInt(level: number, name: number): number {
    try {
      return this.shim.getsockoptInt(this.fd, level, name);
    } catch (e) {
      wrap(e, 'getsockopt');
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.wanted = false;
    this.armed = false;
    this.onReadable = undefined;
    // The thread is joined before the fd is closed: it polls and reads that fd.
    if (this.reader !== undefined) this.shim.readerClose!(this.reader);
    if (this.handle) this.shim.closePoll(this.handle);
    this.handle = undefined;
    if (this.inflight > 0) {
      this.closeDeferred = true;
      return;
    }
    this.closeFd();
  }

  private closeFd(): void {
    this.closeDeferred = false;
    try {
      this.shim.close(this.fd);
    } catch (e) {
      wrap(e, 'close');
    }
  }
}

/**
 * Open, bind and name a native netlink socket.
 * @throws {@link NetlinkShimUnavailableError} if the shim cannot be loaded.
 * @throws {@link NetlinkSocketError} if a system call fails (`EPERM`: the message says
 *   CAP_NET_ADMIN is needed; `ENOENT` for an unknown netns).
 * @group Socket
 */
export function openNativeTransport(opts: NativeTransportOptions): NativeTransport {
  const shim = loadNativeShim();
  let fd: number;
  try {
    fd = opts.netns === undefined ? shim.open(opts.protocol) : shim.open(opts.protocol, netnsPath(opts.netns));
  } catch (e) {
    wrap(e, 'socket');
  }
  try {
    shim.bind(fd, (opts.groups ?? 0) >>> 0);
    const portId = shim.getsockname(fd);
    return new NativeTransport(shim, fd, portId);
  } catch (e) {
    try {
      shim.close(fd);
    } catch {
      /* ignore */
    }
    wrap(e, 'bind');
  }
}
