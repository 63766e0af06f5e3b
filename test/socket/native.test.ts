import { afterEach, describe, expect, test, vi } from 'vitest';
import { NetlinkSocketError } from '../../src/netlink/index.js';
import { NativeTransport, NetlinkShimUnavailableError, netnsPath } from '../../src/socket/index.js';

const realArch = process.arch;

afterEach(() => {
  Object.defineProperty(process, 'arch', { value: realArch, configurable: true });
  vi.resetModules();
});

describe('native shim loader', () => {
  test('the unavailable error is a NetlinkSocketError with a clear message', () => {
    const e = new NetlinkShimUnavailableError(2, 'no netlink_shim.node found');
    expect(e).toBeInstanceOf(NetlinkSocketError);
    expect(e.name).toBe('NetlinkShimUnavailableError');
    expect(e.message).toBe(
      `the native netlink shim is not available on ${process.platform}-${process.arch}: no netlink_shim.node found; the codecs work without it`,
    );
    expect(e.code).toBe('ENOENT');
  });

  test('refuses to load on 32-bit x86, at open time only', async () => {
    Object.defineProperty(process, 'arch', { value: 'ia32', configurable: true });
    vi.resetModules();
    const mod = await import('../../src/socket/native.js'); // importing never throws
    expect(mod.nativeShimAvailable()).toBe(false);
    let err: unknown;
    try {
      mod.openNativeTransport({ protocol: 6 });
    } catch (e) {
      err = e;
    }
    expect((err as Error).name).toBe('NetlinkShimUnavailableError');
    expect((err as NetlinkSocketError).code).toBe('EOPNOTSUPP');
    expect((err as Error).message).toMatch(/32-bit x86.*64-bit members.*EOPNOTSUPP.*; the codecs work without it$/);
  });

  test('netns names resolve under /run/netns; paths are kept', () => {
    expect(netnsPath('blue')).toBe('/run/netns/blue');
    expect(netnsPath('/proc/1/ns/net')).toBe('/proc/1/ns/net');
  });
});

describe('NativeTransport poll callback (issue 10 item 1)', () => {
  test('a re-arm that fails after POLLERR does not throw into libuv; the next poll() reports it', () => {
    let fire: ((status: number, events: number) => void) | undefined;
    let starts = 0;
    const shim = {
      poll: (_fd: number, cb: (status: number, events: number) => void) => {
        fire = cb;
        return {};
      },
      startPoll: () => {
        starts++;
        throw Object.assign(new Error('uv_poll_start: EBADF'), { errno: 9, syscall: 'uv_poll_start' });
      },
      stopPoll: () => undefined,
      closePoll: () => undefined,
      close: () => undefined,
    };
    const t = new NativeTransport(shim as never, 99, 1234);
    let reads = 0;
    t.poll(() => reads++);
    expect(() => fire!(-9, 0)).not.toThrow(); // POLLERR: libuv stopped the handle
    expect(reads).toBe(1);
    expect(starts).toBe(1);
    expect(() => t.poll(() => reads++)).toThrow(NetlinkSocketError);
  });

  test('recvBatch exists only when the loaded shim has it (older shims: recv one at a time), and errors are NetlinkSocketErrors', () => {
    expect(new NativeTransport({} as never, 5, 1).recvBatch).toBeUndefined();
    const calls: unknown[][] = [];
    const shim = {
      recvBatch(fd: number, into: Uint8Array, slot: number, meta: Int32Array): number {
        calls.push([fd, into.length, slot, meta.length]);
        if (slot === 1) throw Object.assign(new Error('recvmsg: Bad file descriptor'), { syscall: 'recvmsg', errno: 9, code: 'EBADF' });
        return 2;
      },
    };
    const t = new NativeTransport(shim as never, 5, 1);
    expect(t.recvBatch!(new Uint8Array(8), 4, new Int32Array(7))).toBe(2);
    expect(calls).toEqual([[5, 8, 4, 7]]);
    expect(() => t.recvBatch!(new Uint8Array(8), 1, new Int32Array(7))).toThrow(expect.objectContaining({ name: 'NetlinkSocketError', errno: 9, syscall: 'recvmsg' }));
  });
});

describe('the built shim checks its arguments before any system call', () => {
  test('recvBatch: a meta that is not an Int32Array of at least 7 elements is a TypeError; readerTake: a handle that is not a reader is one', async () => {
    const mod = await import('../../src/socket/native.js');
    if (!mod.nativeShimAvailable()) return; // no compiler here: nothing native to check
    const shim = mod.loadNativeShim() as unknown as Record<string, (...a: unknown[]) => unknown>;
    // fd -1: were the arguments not refused first, the call would fail with EBADF instead
    for (const meta of [new Int32Array(6), new Float64Array(7), [0, 0, 0, 0, 0, 0, 0]]) {
      expect(() => shim.recvBatch!(-1, new Uint8Array(64), 64, meta)).toThrow(/meta must be an Int32Array of at least 7 elements/);
    }
    const meta = new Int32Array(7);
    expect(shim.recvBatch!(-1, new Uint8Array(64), 64, meta)).toBe(0);
    expect(meta[0]).toBe(9); // the status: EBADF, from recvmsg
    if (typeof shim.readerTake === 'function') {
      expect(() => shim.readerTake!({}, new Uint8Array(64), 64, new Int32Array(7))).toThrow(/expected a reader handle/);
    }
  });
});
