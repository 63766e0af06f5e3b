/**
 * The asynchronous targets: mutated datagrams fed through the real socket and subscription
 * code on the fake kernel (src/testing), as a reply to a request, as a reply to a dump, and
 * as a multicast notification read through the client's event stream. Allowed outcomes are
 * values and the library's typed errors (NetlinkError and subclasses); an untyped rejection,
 * an exception that escapes to the process (`uncaughtException`, e.g. thrown from a poll
 * callback), or a call that neither settles nor times out within 2 s is a finding.
 *
 * Slot for other helpers: {@link SOCKET_TARGETS} is a plain list; a target written elsewhere
 * (e.g. an exported fake-kernel test helper of src/testing) can be added with one line.
 */
import { NetlinkError } from '../src/netlink/errors.js';
import { type XfrmMessage, xfrmFamily } from '../src/xfrm/family.js';
import { FakeKernel } from '../src/testing/fake-kernel.js';
import { NetlinkSocket } from '../src/socket/netlink-socket.js';
import { subscribe } from '../src/socket/subscription.js';
import { XfrmEventStream } from '../src/client/event-stream.js';
import { errorSignature, type Finding } from './oracle.js';
import { walk } from './structure.js';

/** One asynchronous target: gets the input, reports findings through `add`. */
export interface SocketTarget {
  name: string;
  run(input: Uint8Array, add: (f: Finding) => void): Promise<void>;
}

const SENTINEL_SEQ = 0x5e17e1;
const SETTLE_MS = 2000;

/** A copy of `input` whose top-level messages carry `seq` and `pid` (so the socket does not drop them as not ours). */
function addressed(input: Uint8Array, seq: number, pid: number): Uint8Array {
  const b = input.slice();
  const v = new DataView(b.buffer);
  for (const m of walk(b, true).msgs) {
    if (m.parents.length !== 0) continue;
    v.setUint32(m.off + 8, seq, true);
    v.setUint32(m.off + 12, pid, true);
  }
  return b;
}

function within<T>(p: Promise<T>, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      t = setTimeout(() => reject(new HangError(`${what} did not settle within ${SETTLE_MS} ms`)), SETTLE_MS);
    }),
  ]).finally(() => clearTimeout(t));
}

class HangError extends Error {}

function outcome(target: string, e: unknown, add: (f: Finding) => void): void {
  if (e instanceof HangError) add({ cls: 'hang', target, signature: `hang|${target}|settle`, detail: e.message });
  else if (!(e instanceof NetlinkError)) add({ cls: 'untyped', target, signature: `untyped|${target}|${errorSignature(e)}`, detail: e instanceof Error ? (e.stack ?? e.message) : String(e) });
}

/** The built-in socket targets. */
export const SOCKET_TARGETS: SocketTarget[] = [
  {
    name: 'NetlinkSocket.request reply',
    async run(input, add) {
      const kernel = new FakeKernel<XfrmMessage>({ family: xfrmFamily });
      kernel.handler = (req, k) => [addressed(input, req.header.seq, req.socket.portId), k.ack(req)];
      const sock = NetlinkSocket.open<XfrmMessage>({ family: xfrmFamily, transport: kernel.socket(), timeoutMs: 500 });
      try {
        await within(sock.request({ type: 'XFRM_MSG_GETSADINFO', body: 0, attrs: [] } as never), 'request');
      } catch (e) {
        outcome('NetlinkSocket.request reply', e, add);
      } finally {
        sock.close();
      }
    },
  },
  {
    name: 'NetlinkSocket.dump reply',
    async run(input, add) {
      const kernel = new FakeKernel<XfrmMessage>({ family: xfrmFamily });
      kernel.handler = (req, k) => [addressed(input, req.header.seq, req.socket.portId), k.done(req)];
      const sock = NetlinkSocket.open<XfrmMessage>({ family: xfrmFamily, transport: kernel.socket(), timeoutMs: 500 });
      try {
        await within(
          (async () => {
            for await (const m of sock.dump({ type: 'XFRM_MSG_GETSA', body: null, attrs: [] } as never)) void m;
          })(),
          'dump',
        );
      } catch (e) {
        outcome('NetlinkSocket.dump reply', e, add);
      } finally {
        sock.close();
      }
    },
  },
  {
    name: 'subscription + event stream',
    async run(input, add) {
      const kernel = new FakeKernel<XfrmMessage>({ family: xfrmFamily });
      const t = kernel.socket();
      const stream = new XfrmEventStream(subscribe<XfrmMessage>({ family: xfrmFamily, groups: [1, 2, 3, 4], transport: t }));
      try {
        t.deliver(input, { pid: 0, groups: 1 << 2 });
        // A well-formed notification after the input: reading stops when it arrives.
        t.deliver(kernel.encode([{ type: 'XFRM_MSG_FLUSHPOLICY', flags: 0, seq: SENTINEL_SEQ, pid: 0, body: null, attrs: [] } as never]), { pid: 0, groups: 1 << 3 });
        await within(
          (async () => {
            for (let n = 0; n < 10_000; n++) {
              const r = await stream.next();
              if (r.done) return;
              const ev = r.value;
              if (ev.kind === 'flushpolicy' && ev.message.seq === SENTINEL_SEQ) return;
            }
          })(),
          'subscription',
        );
      } catch (e) {
        outcome('subscription + event stream', e, add);
      } finally {
        stream.close();
      }
    },
  },
];

let current: ((f: Finding) => void) | null = null;

/** Run every socket target on one input; exceptions that escape to the process are findings too. */
export async function socketChecks(input: Uint8Array): Promise<Finding[]> {
  const out: Finding[] = [];
  const add = (f: Finding) => {
    if (!out.some((g) => g.signature === f.signature)) out.push(f);
  };
  // Only while this input runs: outside, an uncaught exception keeps its usual meaning.
  const onUncaught = (e: Error) => {
    current?.({ cls: 'untyped', target: 'socket (uncaught)', signature: `untyped|socket (uncaught)|${errorSignature(e)}`, detail: e.stack ?? String(e) });
  };
  process.on('uncaughtException', onUncaught);
  try {
    for (const t of SOCKET_TARGETS) {
      current = (f) => add({ ...f, target: `${t.name} (uncaught)`, signature: f.signature.replace('socket (uncaught)', `${t.name} (uncaught)`) });
      await t.run(input, add);
      // Let callbacks of this input run (and throw) before the next target starts.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    current = null;
    process.off('uncaughtException', onUncaught);
  }
  return out;
}
