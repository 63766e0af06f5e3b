/**
 * `NetlinkSocket.batchWrite` (issue 14): requests written by an entry writer straight into
 * the chunk, routed by sequence-number range (one Chunk per sendmsg), chunk buffers reused.
 * `batch()` runs over the same machinery: its tests are in netlink-socket.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { HOST_LE, NLM_F_ACK, NLM_F_REQUEST, NetlinkEncodeError, NetlinkKernelError, nlmsgIterate, type NlmsgWriter, u32, viewOf } from '../../src/netlink/index.js';
import { NetlinkSocket } from '../../src/socket/index.js';
import { FakeKernel, type FakeRequest } from '../../src/testing/index.js';
import { TOY_NEW, toyAttrSpace, toyFamily, type ToyMessage } from './toy-family.js';

type Req = FakeRequest<ToyMessage>;

function setup(handler?: (req: Req, k: FakeKernel<ToyMessage>) => unknown) {
  const kernel = new FakeKernel<ToyMessage>({ family: toyFamily, ...(handler ? { handler: handler as never } : {}), asyncIo: true });
  const transport = kernel.socket();
  const sock = NetlinkSocket.open<ToyMessage>({ family: toyFamily, transport, timeoutMs: 2000 });
  return { kernel, transport, sock };
}

const VALUE = toyAttrSpace.byName.get('TOYA_VALUE')!;

/** TOY_NEW of `body` with TOYA_VALUE; header fields deliberately wrong (the socket sets them). */
function writeToy(w: NlmsgWriter, body: number): void {
  w.beginMessage(TOY_NEW, NLM_F_ACK | 0x0400, 0xdead, 0xbeef);
  w.put(u32, body);
  w.typedAttr(VALUE, body * 3);
  w.endMessage();
}

/** The nlmsghdr of every message of every datagram sent. */
function headers(sent: readonly Uint8Array[]) {
  return sent.map((d) => [...nlmsgIterate(viewOf(d), HOST_LE)].map((l) => ({ flags: l.flags, seq: l.seq, pid: l.pid })));
}

describe('NetlinkSocket.batchWrite', () => {
  test('entries written in place: one result each, errors attributed, bad entries unsent, headers set by the socket', async () => {
    const fail = new Map([
      [3, 17],
      [2500, 22],
      [4999, 2],
    ]);
    const bad = new Set([0, 1234, 4998]);
    const { kernel, transport, sock } = setup((req, k) => {
      const id = (req.message as ToyMessage).body;
      const errno = fail.get(id);
      return errno ? k.error(req, errno, { message: `bad ${id}`, offset: 20 }) : (req.header.flags & NLM_F_ACK) !== 0 ? k.ack(req) : undefined;
    });
    const results = await sock.batchWrite(
      5000,
      (w, i) => {
        if (bad.has(i)) throw new NetlinkEncodeError(`entries[${i}]`, 'no good');
        writeToy(w, i);
      },
      { chunkSize: 16384 },
    );
    expect(results).toHaveLength(5000);
    for (const [i, r] of results.entries()) {
      if (bad.has(i)) expect(r).toMatchObject({ ok: false, error: { what: `entries[${i}]` } });
      else if (fail.has(i)) {
        const e = (r as { error: NetlinkKernelError }).error;
        expect(e).toBeInstanceOf(NetlinkKernelError);
        expect(e).toMatchObject({ errno: fail.get(i), extackMessage: `bad ${i}`, attribute: 'TOYA_VALUE', request: 'TOY_NEW' });
      } else expect(r).toEqual({ ok: true, replies: [] });
    }
    // What the kernel got: every good entry once, in order, intact (chunk buffers are reused:
    // a reuse too early would show here as other bodies).
    expect(kernel.requests.map((q) => (q.message as ToyMessage).body)).toEqual([...Array(5000).keys()].filter((i) => !bad.has(i)));
    expect(kernel.requests.every((q) => (q.message as ToyMessage).attrs[0]?.value === (q.message as ToyMessage).body * 3)).toBe(true);
    // Many chunks; in each, consecutive sequence numbers, our port, REQUEST on all, ACK only
    // on the last; the writer's other flag bits kept.
    const hs = headers(transport.sent);
    expect(hs.length).toBeGreaterThan(5); // enough for chunk buffers to be reused
    for (const chunk of hs) {
      chunk.forEach((h, k) => {
        expect(h.seq).toBe(chunk[0]!.seq + k);
        expect(h.pid).toBe(sock.portId);
        expect(h.flags).toBe(NLM_F_REQUEST | 0x0400 | (k === chunk.length - 1 ? NLM_F_ACK : 0));
      });
    }
    expect(sock.stats.sent).toBe(5000 - bad.size);
    expect(sock.inFlight).toBe(0);
  });

  test('a writer that writes no message or two fails the call with a TypeError; nothing stays pending', async () => {
    const { sock } = setup();
    await expect(sock.batchWrite(3, (w, i) => (i === 1 ? undefined : writeToy(w, i)))).rejects.toThrow(TypeError);
    await expect(sock.batchWrite(3, (w, i) => { writeToy(w, i); if (i === 2) writeToy(w, i); })).rejects.toThrow(/exactly one whole message/);
    await expect(sock.batchWrite(-1, () => undefined)).rejects.toThrow(RangeError);
    await expect(sock.batchWrite(0, () => undefined)).resolves.toEqual([]);
    expect(sock.inFlight).toBe(0);
    await expect(sock.batchWrite(2, (w, i) => writeToy(w, i))).resolves.toHaveLength(2);
  });

  test('a sequence number skipped at the 2^32 wrap closes the chunk: every answer still finds its request', async () => {
    const { transport, sock } = setup((req, k) => ((req.message as ToyMessage).body === 9 ? k.error(req, 17) : (req.header.flags & NLM_F_ACK) !== 0 ? k.ack(req) : undefined));
    // Six numbers before the wrap; 0 is never used, so the seventh request gets 1.
    (sock as unknown as { conn: { router: { seq: number } } }).conn.router.seq = 0xffffffff - 6;
    const results = await sock.batchWrite(20, (w, i) => writeToy(w, i));
    expect(results.map((r) => r.ok)).toEqual([...Array(20).keys()].map((i) => i !== 9));
    expect(results[9]).toMatchObject({ ok: false, error: { errno: 17, seq: 4 } });
    const hs = headers(transport.sent);
    expect(hs.map((c) => c.length)).toEqual([6, 14]);
    expect(hs[0]!.map((h) => h.seq)).toEqual([0xfffffffa, 0xfffffffb, 0xfffffffc, 0xfffffffd, 0xfffffffe, 0xffffffff]);
    expect(hs[1]![0]!.seq).toBe(1);
    expect(sock.inFlight).toBe(0);
  });
});
