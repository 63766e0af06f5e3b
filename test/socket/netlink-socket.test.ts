import { describe, expect, test } from 'vitest';
import {
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_REQUEST,
  NetlinkDecodeError,
  NetlinkEncodeError,
  NetlinkKernelError,
  NetlinkProtocolError,
  NetlinkSocketError,
  viewOf,
} from '../../src/netlink/index.js';
import { NetlinkDumpInterruptedError, NetlinkSocket, type NetlinkTransport, type Reply } from '../../src/socket/index.js';
import { FakeKernel, type FakeRequest } from '../../src/testing/index.js';
import { toyFamily, toyNew, type ToyMessage } from './toy-family.js';

type Req = FakeRequest<ToyMessage>;

function setup(
  handler?: (req: Req, k: FakeKernel<ToyMessage>) => unknown,
  opts: { rcvbuf?: number; capAck?: boolean; recvBufferSize?: number; asyncIo?: boolean } = {},
) {
  const kernel = new FakeKernel<ToyMessage>({ family: toyFamily, ...(handler ? { handler: handler as never } : {}), asyncIo: opts.asyncIo ?? true });
  const transport = kernel.socket();
  const sock = NetlinkSocket.open<ToyMessage>({
    family: toyFamily,
    transport,
    timeoutMs: 2000,
    ...(opts.rcvbuf !== undefined ? { rcvbuf: opts.rcvbuf } : {}),
    ...(opts.capAck ? { capAck: true } : {}),
    ...(opts.recvBufferSize ? { recvBufferSize: opts.recvBufferSize } : {}),
  });
  return { kernel, transport, sock };
}

function entries(n: number, from = 0): Omit<ToyMessage, 'flags' | 'seq' | 'pid'>[] {
  return Array.from({ length: n }, (_, i) => ({ type: 'TOY_NEW' as const, body: from + i, attrs: [{ type: 'TOYA_VALUE', value: (from + i) * 3 }] }));
}

const bodies = (ms: readonly Reply<ToyMessage>[]) => ms.map((m) => (m as ToyMessage).body);

describe('requests', () => {
  test('a do-request resolves with [] on the ACK; the socket sets REQUEST|ACK, seq and our port id', async () => {
    const { kernel, transport, sock } = setup();
    expect(transport.extAck).toBe(true); // NETLINK_EXT_ACK is on by default
    await expect(sock.request(toyNew(1))).resolves.toEqual([]);
    const h = kernel.requests[0].header;
    expect(h.flags & (NLM_F_REQUEST | NLM_F_ACK)).toBe(NLM_F_REQUEST | NLM_F_ACK);
    expect(h.seq).toBeGreaterThan(0);
    expect(h.pid).toBe(sock.portId);
    expect(sock.inFlight).toBe(0);
    expect(sock.stats).toMatchObject({ sent: 1, sendCalls: 1, received: 1, dropped: 0 });
  });

  test('a get-request resolves with the reply that precedes the ACK', async () => {
    const { sock } = setup((req, k) => [k.reply(req, { type: 'TOY_NEW', body: 42, attrs: [{ type: 'TOYA_NAME', value: 'x' }] }), k.ack(req)]);
    const replies = await sock.request({ type: 'TOY_GET', body: 42, attrs: [] });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ type: 'TOY_NEW', body: 42, flags: 0, attrs: [{ type: 'TOYA_NAME', value: 'x' }] });
  });

  test('concurrent requests are routed by sequence number even when answered out of order', async () => {
    const held: Req[] = [];
    const { kernel, sock } = setup((req) => {
      held.push(req);
    });
    const ps = [1, 2, 3, 4, 5].map((id) => sock.request({ type: 'TOY_GET', body: id, attrs: [] }));
    expect(held).toHaveLength(5);
    expect(new Set(held.map((r) => r.header.seq)).size).toBe(5);
    for (const req of [...held].reverse()) {
      const id = (req.message as ToyMessage).body;
      req.socket.deliver([kernel.reply(req, { type: 'TOY_NEW', body: id * 100, attrs: [] }), kernel.ack(req)]);
    }
    const results = await Promise.all(ps);
    expect(results.map(bodies)).toEqual([[100], [200], [300], [400], [500]]);
  });

  test('a kernel error becomes NetlinkKernelError with extack text, offset and the attribute at that offset', async () => {
    const { sock } = setup((req, k) => k.error(req, 22, { message: 'Attribute failed policy validation', offset: 28 }));
    const err = await sock.request(toyNew(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkKernelError);
    expect(err).toMatchObject({
      errno: 22,
      code: 'EINVAL',
      extackMessage: 'Attribute failed policy validation',
      extackOffset: 28,
      attribute: 'TOYA_VALUE',
      request: 'TOY_NEW',
    });
    expect((err as Error).message).toBe('TOY_NEW: EINVAL (22): Attribute failed policy validation [attribute TOYA_VALUE]');
  });

  test('offsets inside a nest name the inner attribute; offsets in the header name none', async () => {
    let offset = 48;
    const { sock } = setup((req, k) => k.error(req, 34, { offset }));
    await expect(sock.request(toyNew(1))).rejects.toMatchObject({ attribute: 'TOYA_NEST.TOYA_INNER_B', extackOffset: 48, code: 'ERANGE' });
    offset = 36;
    await expect(sock.request(toyNew(1))).rejects.toMatchObject({ attribute: 'TOYA_NEST' });
    offset = 20;
    await expect(sock.request(toyNew(1))).rejects.toMatchObject({ attribute: 'TOYA_NAME' });
    offset = 16;
    const e = (await sock.request(toyNew(1)).catch((x: unknown) => x)) as NetlinkKernelError;
    expect(e.attribute).toBeUndefined();
    expect(e.message).toBe('TOY_NEW: ERANGE (34) [at offset 16]');
  });

  test('with NETLINK_CAP_ACK the error has no echo, and the attribute is still found from our own copy', async () => {
    let flags = -1;
    const { transport, sock } = setup(
      (req, k) => {
        const dg = k.error(req, 17, { message: 'exists', offset: 28 });
        flags = viewOf(dg).getUint16(6, true);
        return dg;
      },
      { capAck: true },
    );
    expect(transport.capAck).toBe(true);
    await expect(sock.request(toyNew(1))).rejects.toMatchObject({ code: 'EEXIST', attribute: 'TOYA_VALUE', extackMessage: 'exists' });
    expect(flags & 0x100).toBe(0x100); // NLM_F_CAPPED
  });

  test('messages not from the kernel, for another port id or an unknown seq are dropped and counted', async () => {
    const { kernel, sock } = setup((req, k) => {
      const foreign = k.reply(req, { type: 'TOY_NEW', body: 666, attrs: [] });
      req.socket.deliver(foreign, { pid: 4242 }); // sent by another process
      const wrongPort = k.encode([{ type: 'TOY_NEW', flags: 0, seq: req.header.seq, pid: req.socket.portId + 1, body: 667, attrs: [] }]);
      const wrongSeq = k.encode([{ type: 'TOY_NEW', flags: 0, seq: req.header.seq + 1000, pid: req.socket.portId, body: 668, attrs: [] }]);
      return [wrongPort, wrongSeq, k.reply(req, { type: 'TOY_NEW', body: 1, attrs: [] }), k.ack(req)];
    });
    const replies = await sock.request({ type: 'TOY_GET', body: 1, attrs: [] });
    expect(bodies(replies)).toEqual([1]);
    expect(sock.stats.dropped).toBe(3);
    expect(kernel.requests).toHaveLength(1);
  });

  test('a datagram larger than the receive buffer fails its request as truncated', async () => {
    const { sock } = setup(
      (req, k) => [k.reply(req, { type: 'TOY_NEW', body: 1, attrs: [{ type: 'TOYA_NAME', value: 'x'.repeat(40000) }] }), k.ack(req)],
      { recvBufferSize: 32768 },
    );
    const err = await sock.request({ type: 'TOY_GET', body: 1, attrs: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkProtocolError);
    expect(err).toMatchObject({ reason: 'truncated' });
    expect(sock.stats.truncated).toBe(1);
    // The ACK that followed is now for an unknown seq.
    await new Promise((r) => setImmediate(r));
    expect(sock.stats.dropped).toBe(1);
  });

  test('a request without an answer times out; the late answer is dropped', async () => {
    const held: Req[] = [];
    const { kernel, sock } = setup((req) => {
      held.push(req);
    });
    const t0 = Date.now();
    await expect(sock.request(toyNew(1), { timeoutMs: 50 })).rejects.toMatchObject({ reason: 'timeout' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
    held[0].socket.deliver(kernel.ack(held[0]));
    // Nothing is pending, so nothing reads the late ACK until the next request.
    const next = sock.request(toyNew(2), { timeoutMs: 50 });
    held[1].socket.deliver(kernel.ack(held[1]));
    await expect(next).resolves.toEqual([]);
    expect(sock.stats.dropped).toBe(1);
    expect(sock.inFlight).toBe(0);
  });

  test('abort rejects with reason "aborted" and the signal reason as cause; an aborted signal sends nothing', async () => {
    const { kernel, sock } = setup(() => undefined);
    const ac = new AbortController();
    const p = sock.request(toyNew(1), { signal: ac.signal });
    ac.abort(new Error('user gave up'));
    const err = (await p.catch((e: unknown) => e)) as NetlinkProtocolError;
    expect(err.reason).toBe('aborted');
    expect((err.cause as Error).message).toBe('user gave up');
    await expect(sock.request(toyNew(2), { signal: ac.signal })).rejects.toMatchObject({ reason: 'aborted' });
    expect(kernel.requests).toHaveLength(1);
  });

  test('close() rejects every pending request, dump and batch with "closed"', async () => {
    const { sock } = setup(() => undefined);
    const r = sock.request(toyNew(1));
    const it = sock.dump({ type: 'TOY_GET', body: 0, attrs: [] });
    const d = it.next();
    const b = sock.batch([toyNew(1), toyNew(2)]);
    await new Promise((res) => setImmediate(res));
    sock.close();
    await expect(r).rejects.toMatchObject({ reason: 'closed' });
    await expect(d).rejects.toMatchObject({ reason: 'closed' });
    await expect(b).rejects.toMatchObject({ reason: 'closed' });
    await expect(sock.request(toyNew(3))).rejects.toMatchObject({ reason: 'closed' });
    expect(sock.closed).toBe(true);
  });

  test('a dump started after close() fails at once with "closed" (it used to wait out its timeout)', async () => {
    const { sock } = setup(() => undefined);
    sock.close();
    const t0 = Date.now();
    const it = sock.dump({ type: 'TOY_GET', body: 0, attrs: [] }, { timeoutMs: 5000 });
    await expect(it.next()).rejects.toMatchObject({ reason: 'closed' });
    await expect(sock.dumpAll({ type: 'TOY_GET', body: 0, attrs: [] }, { timeoutMs: 5000 })).rejects.toMatchObject({ reason: 'closed' });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  test('an undecodable reply fails its request with NetlinkDecodeError', async () => {
    const { sock } = setup((req, k) => {
      const dg = k.reply(req, { type: 'TOY_NEW', body: 1, attrs: [{ type: 'TOYA_VALUE', value: 5 }] });
      viewOf(dg).setUint16(20, 5, true); // TOYA_VALUE nla_len 5: a u32 needs 8
      return [dg, k.ack(req)];
    });
    await expect(sock.request({ type: 'TOY_GET', body: 1, attrs: [] })).rejects.toBeInstanceOf(NetlinkDecodeError);
  });
});

describe('dumps', () => {
  // With asyncIo the next datagram is read on the "worker" while the previous one is decoded.
  test.each([true, false])('streams a multi-datagram dump, reading at most one datagram ahead of the consumer (asyncIo %s)', async (asyncIo) => {
    const { kernel, transport, sock } = setup((req, k) => [...k.multipart(req, entries(1000), { maxDatagram: 4096 }), k.done(req)], { asyncIo });
    const it = sock.dump({ type: 'TOY_GET', body: 0, attrs: [] });
    const first = await it.next();
    expect(first.value).toMatchObject({ type: 'TOY_NEW', body: 0 });
    const h = kernel.requests[0].header;
    expect(h.flags & NLM_F_DUMP).toBe(NLM_F_DUMP);
    expect(h.flags & NLM_F_REQUEST).toBe(NLM_F_REQUEST);
    const queuedAtStart = transport.queued;
    expect(queuedAtStart).toBeGreaterThan(5); // only the first datagram was read (and one more ahead)
    const got: number[] = [0];
    let maxQueuedRead = 0;
    for (let r = await it.next(); !r.done; r = await it.next()) {
      got.push((r.value as ToyMessage).body);
      maxQueuedRead = Math.max(maxQueuedRead, sock.stats.datagrams);
      // Never more than one datagram ahead of the consumer.
      expect(sock.stats.received - got.length).toBeLessThan(4096 / 24);
    }
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(transport.queued).toBe(0);
    expect(sock.inFlight).toBe(0);
  });

  test('reading ahead: the next datagram is received while the consumer works; order and requests in between are kept', async () => {
    const { transport, sock } = setup((req, k) =>
      (req.message as ToyMessage).type === 'TOY_GET' ? [...k.multipart(req, entries(600), { maxDatagram: 2048 }), k.done(req)] : k.ack(req),
    );
    const real = transport.recvAsync!;
    let ahead = 0;
    let most = 0;
    transport.recvAsync = async (into: Uint8Array, slotSize: number) => {
      const got = await real(into, slotSize);
      ahead += got.length;
      most = Math.max(most, got.length);
      return got;
    };
    const got: number[] = [];
    let acked: Promise<unknown> | undefined;
    for await (const m of sock.dump({ type: 'TOY_GET', body: 0, attrs: [] })) {
      got.push((m as ToyMessage).body);
      // A request sent mid-dump is answered once the dump's datagrams before it are read.
      if (got.length === 300) acked = sock.request(toyNew(9999));
    }
    await expect(acked).resolves.toEqual([]);
    expect(got).toEqual(Array.from({ length: 600 }, (_, i) => i));
    // All but the first datagram (and the request's ACK) came through the worker, several per read.
    expect(ahead).toBeGreaterThanOrEqual(sock.stats.datagrams - 2);
    expect(most).toBeGreaterThan(1);
    expect(sock.inFlight).toBe(0);
  });

  test('a read ahead that gets ENOBUFS counts an overrun and the dump goes on', async () => {
    const { transport, sock } = setup((req, k) => [...k.multipart(req, entries(600), { maxDatagram: 2048 }), k.done(req)]);
    const real = transport.recvAsync!;
    let n = 0;
    // The worker's second recvmsg reports ENOBUFS (consuming it); the rest stays queued.
    transport.recvAsync = async (into: Uint8Array, slotSize: number) =>
      ++n === 3 ? [...(await real(into.subarray(0, slotSize), slotSize)), new NetlinkSocketError('recvmsg', 105)] : real(into, slotSize);
    await expect(sock.dumpAll({ type: 'TOY_GET', body: 0, attrs: [] })).resolves.toHaveLength(600);
    expect(sock.stats.overruns).toBe(1);
  });

  test('any other receive error fails the dump and every request with it, and closes the socket', async () => {
    const { transport, sock } = setup((req, k) => ((req.message as ToyMessage).type === 'TOY_GET' ? [...k.multipart(req, entries(600), { maxDatagram: 2048 }), k.done(req)] : undefined));
    const real = transport.recvAsync!;
    let n = 0;
    transport.recvAsync = (into: Uint8Array, slotSize: number) => (++n === 3 ? Promise.reject(new NetlinkSocketError('recvmsg', 5)) : real(into, slotSize));
    const waiting = sock.request(toyNew(1)); // never answered by this kernel
    await expect(sock.dumpAll({ type: 'TOY_GET', body: 0, attrs: [] })).rejects.toMatchObject({ name: 'NetlinkSocketError', code: 'EIO' });
    await expect(waiting).rejects.toMatchObject({ code: 'EIO' });
    expect(sock.closed).toBe(true);
    expect(transport.closed).toBe(true);
    await expect(sock.request(toyNew(2))).rejects.toMatchObject({ reason: 'closed' });
  });

  test('a receive failure reaches a queued dump and a batch waiting for its next chunk as itself, not as "closed"', async () => {
    const { transport, sock } = setup((req, k) => ((req.message as ToyMessage).type === 'TOY_GET' ? [...k.multipart(req, entries(600), { maxDatagram: 2048 }), k.done(req)] : undefined));
    const it = sock.dump({ type: 'TOY_GET', body: 0, attrs: [] });
    await it.next(); // the first dump runs
    const queued = sock.dumpAll({ type: 'TOY_GET', body: 1, attrs: [] }); // waits behind it
    queued.catch(() => undefined);
    // Never answered by this kernel: the first chunk's replies never come, so the batch
    // waits between its chunks when the receive fails.
    const batch = sock.batch(Array.from({ length: 4000 }, (_, i) => toyNew(i)), { chunkSize: 16 * 1024 });
    batch.catch(() => undefined);
    // Until the first chunk is sent and the batch waits for its answers.
    while (transport.sent.length < 2) await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    const fail = new NetlinkSocketError('recvmsg', 5);
    transport.recv = () => {
      throw fail;
    };
    transport.recvAsync = () => Promise.reject(fail);
    await expect(
      (async () => {
        for (let r = await it.next(); !r.done; r = await it.next());
      })(),
    ).rejects.toBe(fail);
    await expect(queued).rejects.toBe(fail);
    await expect(batch).rejects.toBe(fail);
    expect(sock.closed).toBe(true);
    await expect(sock.request(toyNew(2))).rejects.toMatchObject({ reason: 'closed' }); // later calls: closed
  });

  test('a receive failure that is a bare system error (errno, not yet wrapped) is a NetlinkSocketError of recvmsg', async () => {
    const { transport, sock } = setup(() => undefined);
    const waiting = sock.request(toyNew(1)); // never answered by this kernel
    transport.recv = () => {
      throw Object.assign(new Error('recvmsg failed'), { errno: 5, syscall: 'recvmsg' });
    };
    transport.recvAsync = undefined;
    sock.pump();
    await expect(waiting).rejects.toMatchObject({ name: 'NetlinkSocketError', syscall: 'recvmsg', code: 'EIO' });
  });

  test('close() while a read ahead runs: the dump rejects with "closed" and nothing throws later', async () => {
    const { transport, sock } = setup((req, k) => [...k.multipart(req, entries(600), { maxDatagram: 2048 }), k.done(req)]);
    const it = sock.dump({ type: 'TOY_GET', body: 0, attrs: [] });
    await it.next(); // first datagram read, the next one being read ahead
    let drained = 0;
    for (let r = await it.next(); !r.done && drained < 20; r = await it.next()) drained++;
    sock.close();
    await expect(it.next()).rejects.toMatchObject({ reason: 'closed' });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(transport.closed).toBe(true);
  });

  test('dumpMap yields the mapped values, skips undefined, and streams like dump', async () => {
    const { transport, sock } = setup((req, k) => [...k.multipart(req, entries(1000), { maxDatagram: 4096 }), k.done(req)]);
    const it = sock.dumpMap({ type: 'TOY_GET', body: 0, attrs: [] }, (m) => ((m as ToyMessage).body % 3 === 0 ? `#${(m as ToyMessage).body}` : undefined));
    const first = await it.next();
    expect(first).toEqual({ value: '#0', done: false });
    expect(transport.queued).toBeGreaterThan(5); // still one datagram at a time
    const got = [first.value];
    for await (const v of it) got.push(v);
    expect(got).toEqual(Array.from({ length: 334 }, (_, i) => `#${i * 3}`));
    expect(sock.inFlight).toBe(0);
  });

  // Entry 0 is mapped as it arrives (the consumer is waiting); entry 500 from the queue.
  test.each([0, 500])('dumpMap: an error thrown by the map at entry %i rejects the iterator; the rest is discarded and the socket goes on', async (bad) => {
    const { transport, sock } = setup((req, k) => [...k.multipart(req, entries(1000), { maxDatagram: 4096 }), k.done(req)]);
    const boom = new Error('bad entry');
    const seen: number[] = [];
    const it = sock.dumpMap({ type: 'TOY_GET', body: 0, attrs: [] }, (m) => {
      const b = (m as ToyMessage).body;
      if (b === bad) throw boom;
      return b;
    });
    await expect(
      (async () => {
        for await (const v of it) seen.push(v);
      })(),
    ).rejects.toBe(boom);
    expect(seen).toEqual(Array.from({ length: bad }, (_, i) => i));
    await expect(it.next()).resolves.toEqual({ value: undefined, done: true });
    // The rest of the dump is drained; the next dump and requests work.
    const again = await sock.dumpAll({ type: 'TOY_GET', body: 0, attrs: [] });
    expect(again).toHaveLength(1000);
    expect(transport.queued).toBe(0);
    expect(sock.inFlight).toBe(0);
  });

  test('a negative NLMSG_DONE becomes NetlinkKernelError with extack, after the entries before it', async () => {
    const { sock } = setup((req, k) => [...k.multipart(req, entries(3)), k.done(req, 22, { message: 'Attribute failed policy validation', offset: 20 })]);
    const got: number[] = [];
    const err = await (async () => {
      for await (const m of sock.dump({ type: 'TOY_GET', body: 0, attrs: [{ type: 'TOYA_VALUE', value: 1 }] })) got.push((m as ToyMessage).body);
    })().catch((e: unknown) => e);
    expect(got).toEqual([0, 1, 2]);
    expect(err).toBeInstanceOf(NetlinkKernelError);
    expect(err).toMatchObject({ errno: 22, extackMessage: 'Attribute failed policy validation', extackOffset: 20, attribute: 'TOYA_VALUE' });
  });

  test('a dump refused with NLMSG_ERROR throws that error', async () => {
    const { sock } = setup((req, k) => k.error(req, 16));
    await expect(sock.dumpAll({ type: 'TOY_GET', body: 0, attrs: [] })).rejects.toMatchObject({ code: 'EBUSY' });
  });

  test('an ACK ends a "dump" of a type that answers only once', async () => {
    const { sock } = setup((req, k) => [k.reply(req, { type: 'TOY_NEW', body: 9, attrs: [] }), k.ack(req)]);
    expect(bodies(await sock.dumpAll({ type: 'TOY_GET', body: 0, attrs: [] }))).toEqual([9]);
  });

  test('NLM_F_DUMP_INTR stops yielding and throws NetlinkDumpInterruptedError with the partial results', async () => {
    const { sock } = setup((req, k) => k.interruptedDump(req, entries(10), { from: 4 }));
    const got: number[] = [];
    const err = (await (async () => {
      for await (const m of sock.dump({ type: 'TOY_GET', body: 0, attrs: [] })) got.push((m as ToyMessage).body);
    })().catch((e: unknown) => e)) as NetlinkDumpInterruptedError<ToyMessage>;
    expect(err).toBeInstanceOf(NetlinkDumpInterruptedError);
    expect(err).toBeInstanceOf(NetlinkProtocolError);
    expect(err.reason).toBe('dump-interrupted');
    expect(got).toEqual([0, 1, 2, 3]);
    expect(err.yielded).toBe(4);
    expect(bodies(err.partial)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(err.attempts).toBe(1);
  });

  test('with retries an interrupted dump is restarted; onRetry is told; dumpAll returns the clean attempt', async () => {
    let n = 0;
    const { kernel, sock } = setup((req, k) => (n++ === 0 ? k.interruptedDump(req, entries(5), { from: 2 }) : [...k.multipart(req, entries(5, 100)), k.done(req)]));
    const retries: number[] = [];
    const all = await sock.dumpAll({ type: 'TOY_GET', body: 0, attrs: [] }, { retries: 2, onRetry: (a) => retries.push(a) });
    expect(bodies(all)).toEqual([100, 101, 102, 103, 104]);
    expect(retries).toEqual([1]);
    expect(kernel.requests).toHaveLength(2);
    expect(kernel.requests[0].header.seq).not.toBe(kernel.requests[1].header.seq);
  });

  test('a retry waits until the consumer is done with the message it holds', async () => {
    let n = 0;
    const { sock } = setup((req, k) => {
      if (n++ > 0) return [...k.multipart(req, entries(2, 50)), k.done(req)];
      // One datagram: a clean entry, a flagged one and DONE, all read together.
      const [clean] = k.multipart(req, entries(1));
      const [dirty] = k.multipart(req, entries(1, 1), { extraFlags: 0x10 });
      return k.datagram(clean, dirty, k.done(req, 0, { flags: 0x10 }));
    });
    const seen: string[] = [];
    let view: number[] = [];
    const it = sock.dump({ type: 'TOY_GET', body: 0, attrs: [] }, {
      retries: 1,
      onRetry: () => {
        seen.push('retry');
        view = [];
      },
    });
    for await (const m of it) {
      await new Promise((r) => setTimeout(r, 5)); // a slow consumer
      view.push((m as ToyMessage).body);
      seen.push(`msg ${(m as ToyMessage).body}`);
    }
    expect(seen).toEqual(['msg 0', 'retry', 'msg 50', 'msg 51']);
    expect(view).toEqual([50, 51]);
  });

  test('a truncated dump datagram fails the dump; the rest is discarded and the socket stays usable', async () => {
    const { sock } = setup(
      (req, k) =>
        req.header.flags & NLM_F_DUMP
          ? [...k.multipart(req, entries(2)), ...k.multipart(req, [{ type: 'TOY_NEW', body: 9, attrs: [{ type: 'TOYA_NAME', value: 'y'.repeat(40000) }] }]), ...k.multipart(req, entries(3)), k.done(req)]
          : k.ack(req),
      { recvBufferSize: 32768 },
    );
    const got: number[] = [];
    const err = await (async () => {
      for await (const m of sock.dump({ type: 'TOY_GET', body: 0, attrs: [] })) got.push((m as ToyMessage).body);
    })().catch((e: unknown) => e);
    expect(got).toEqual([0, 1]);
    expect(err).toMatchObject({ reason: 'truncated' });
    await expect(sock.request(toyNew(1))).resolves.toEqual([]);
    expect(sock.stats.dropped).toBe(0);
  });

  test('dumpAll without retries reports every message of the attempt in partial', async () => {
    const { sock } = setup((req, k) => k.interruptedDump(req, entries(6), { from: 3 }));
    const err = (await sock.dumpAll({ type: 'TOY_GET', body: 0, attrs: [] }).catch((e: unknown) => e)) as NetlinkDumpInterruptedError<ToyMessage>;
    expect(bodies(err.partial)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('one dump at a time: a second dump starts after the first one ends; a broken-off dump is drained first', async () => {
    const { kernel, sock } = setup((req, k) => {
      const base = (req.message as ToyMessage).body;
      return [...k.multipart(req, entries(300, base), { maxDatagram: 2048 }), k.done(req)];
    });
    const a = sock.dump({ type: 'TOY_GET', body: 1000, attrs: [] });
    const b = sock.dump({ type: 'TOY_GET', body: 2000, attrs: [] });
    const pa = a.next();
    const pb = b.next();
    expect((await pa).value).toMatchObject({ body: 1000 });
    expect(kernel.requests).toHaveLength(1); // b waits
    await a.return!(); // break out early: the rest of a is read and discarded
    expect((await pb).value).toMatchObject({ body: 2000 });
    expect(kernel.requests).toHaveLength(2);
    const rest: number[] = [];
    for await (const m of b) rest.push((m as ToyMessage).body);
    expect(rest).toHaveLength(299);
    expect(sock.stats.dropped).toBe(0);
  });

  test('requests sent during a dump are answered once the consumer reads on', async () => {
    const { sock } = setup((req, k) =>
      req.header.flags & NLM_F_DUMP
        ? [...k.multipart(req, entries(50), { maxDatagram: 512 }), k.done(req)]
        : [k.reply(req, { type: 'TOY_NEW', body: 77, attrs: [] }), k.ack(req)],
    );
    const it = sock.dump({ type: 'TOY_GET', body: 0, attrs: [] });
    await it.next();
    const r = sock.request({ type: 'TOY_GET', body: 5, attrs: [] });
    let n = 1;
    for await (const _ of it) n++;
    expect(n).toBe(50);
    expect(bodies(await r)).toEqual([77]);
  });

  test('a dump waiting for the kernel times out and aborts', async () => {
    const { sock } = setup(() => undefined);
    await expect(sock.dumpAll({ type: 'TOY_GET', body: 0, attrs: [] }, { timeoutMs: 30 })).rejects.toMatchObject({ reason: 'timeout' });
    const ac = new AbortController();
    const p = sock.dumpAll({ type: 'TOY_GET', body: 0, attrs: [] }, { signal: ac.signal, timeoutMs: 0 });
    setTimeout(() => ac.abort(), 10);
    await expect(p).rejects.toMatchObject({ reason: 'aborted' });
  });
});

describe('batch', () => {
  test('failures in the middle are attributed to their own requests; the rest succeed', async () => {
    const fail = new Map([
      [3, 17],
      [500, 22],
      [998, 2],
    ]);
    const { sock } = setup((req, k) => {
      const id = (req.message as ToyMessage).body;
      const errno = fail.get(id);
      return errno ? k.error(req, errno, { message: `bad ${id}`, offset: 28 }) : k.ack(req);
    }, { rcvbuf: 1 << 20 });
    const msgs = Array.from({ length: 1000 }, (_, i) => toyNew(i, i));
    const results = await sock.batch(msgs);
    expect(results).toHaveLength(1000);
    for (const [i, r] of results.entries()) {
      const errno = fail.get(i);
      if (errno === undefined) {
        expect(r).toEqual({ ok: true, replies: [] });
      } else {
        expect(r.ok).toBe(false);
        const e = (r as { error: NetlinkKernelError }).error;
        expect(e).toBeInstanceOf(NetlinkKernelError);
        expect(e).toMatchObject({ errno, extackMessage: `bad ${i}`, attribute: 'TOYA_VALUE' });
      }
    }
    // 1000 messages of 56 bytes: a few 64 KiB sendmsg calls, not 1000.
    expect(sock.stats.sendCalls).toBeLessThan(10);
    expect(sock.stats.sent).toBe(1000);
  });

  test('chunks respect chunkSize and the receive-buffer budget for replies', async () => {
    const { transport, sock } = setup(undefined, { rcvbuf: 16384 }); // 32 KiB effective: ~26 replies per chunk
    const results = await sock.batch(Array.from({ length: 200 }, (_, i) => toyNew(i)), { chunkSize: 16384 });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(transport.sent.length).toBeGreaterThanOrEqual(200 / 30);
    for (const d of transport.sent) expect(d.length).toBeLessThanOrEqual(16384);
  });

  test('without a chosen rcvbuf, a batch raises it to 4 MiB so that chunks reach chunkSize', async () => {
    const { transport, sock } = setup();
    expect(sock.rcvbuf).toBe(212992);
    const results = await sock.batch(Array.from({ length: 3000 }, (_, i) => toyNew(i)), { chunkSize: 16384 });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sock.rcvbuf).toBe(4 * 1024 * 1024);
    // 56-byte requests: a 16 KiB chunk holds 292 of them; the 208 KiB default budgets ~160.
    const sizes = transport.sent.map((d) => d.length);
    expect(sizes.length).toBeGreaterThan(5);
    expect(sizes.slice(0, -1).every((n) => n > 16384 - 56 && n <= 16384)).toBe(true);
  });

  test('replies lost to an overrun fail only their requests', async () => {
    const { sock } = setup((req, k) => ((req.message as ToyMessage).body === 5 ? k.overrun() : k.ack(req)));
    const results = await sock.batch(Array.from({ length: 10 }, (_, i) => toyNew(i)));
    expect(results.filter((r) => !r.ok)).toHaveLength(1);
    expect(results[5]).toMatchObject({ ok: false, error: { reason: 'overrun' } });
    expect(sock.stats.overruns).toBe(1);
  });

  test('get requests in a batch return their replies', async () => {
    const { sock } = setup((req, k) => [k.reply(req, { type: 'TOY_NEW', body: (req.message as ToyMessage).body * 2, attrs: [] }), k.ack(req)]);
    const results = await sock.batch([1, 2, 3].map((i) => ({ type: 'TOY_GET' as const, body: i, attrs: [] })));
    expect(results.map((r) => (r.ok ? bodies(r.replies) : null))).toEqual([[2], [4], [6]]);
  });

  test('a request that cannot be encoded fails alone and is not sent; the others are applied', async () => {
    const { kernel, sock } = setup(undefined, { rcvbuf: 1 << 20 });
    const bad = new Set([0, 700, 1999]);
    const msgs = Array.from({ length: 2000 }, (_, i) => (bad.has(i) ? { type: 'TOY_NEW' as const, body: -1 - i, attrs: [] } : toyNew(i)));
    const results = await sock.batch(msgs, { chunkSize: 16384 });
    expect(results).toHaveLength(2000);
    for (const [i, r] of results.entries()) {
      if (bad.has(i)) {
        expect(r.ok).toBe(false);
        expect((r as { error: unknown }).error).toBeInstanceOf(NetlinkEncodeError);
        expect((r as { error: Error }).error.message).toMatch(/^u32: expected an integer from 0 to 4294967295, got -\d+/);
      } else {
        expect(r).toEqual({ ok: true, replies: [] });
      }
    }
    expect(kernel.requests.map((q) => (q.message as ToyMessage).body)).toEqual(msgs.flatMap((m, i) => (bad.has(i) ? [] : [m.body])));
    expect(sock.stats.sent).toBe(1997);
    expect(sock.inFlight).toBe(0);
  });

  test('the next chunk is encoded while the kernel handles the previous one', async () => {
    let pulled = 0;
    const pulledWhenHandled: number[] = [];
    const { sock } = setup((req, k) => {
      pulledWhenHandled.push(pulled);
      return (req.header.flags & NLM_F_ACK) !== 0 ? k.ack(req) : undefined;
    });
    function* source() {
      for (let i = 0; i < 1000; i++) {
        pulled++;
        yield toyNew(i);
      }
    }
    const results = await sock.batch(source(), { chunkSize: 16384 });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sock.stats.sendCalls).toBeGreaterThan(3);
    // When the kernel handles the first request, the messages of the second chunk have
    // already been taken from the source and encoded (its first one ends the first chunk).
    const firstChunk = results.length / sock.stats.sendCalls;
    expect(pulledWhenHandled[0]).toBeGreaterThan(firstChunk * 1.5);
  });

  test('without sendAsync every chunk is sent synchronously, with the same results', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily, asyncIo: false, handler: ((req: Req, k: FakeKernel<ToyMessage>) =>
      (req.message as ToyMessage).body === 42 ? k.error(req, 17) : (req.header.flags & NLM_F_ACK) !== 0 ? k.ack(req) : undefined) as never });
    const transport = kernel.socket();
    expect(transport.sendAsync).toBeUndefined();
    const sock = NetlinkSocket.open<ToyMessage>({ family: toyFamily, transport });
    const results = await sock.batch(Array.from({ length: 1000 }, (_, i) => toyNew(i)), { chunkSize: 16384 });
    expect(results.filter((r) => !r.ok).length).toBe(1);
    expect(results[42]).toMatchObject({ ok: false, error: { code: 'EEXIST' } });
    expect(sock.stats.sendCalls).toBeGreaterThan(3);
    sock.close();
  });

  test('a failed asynchronous sendmsg rejects the batch and leaves nothing pending', async () => {
    const { transport, sock } = setup();
    const real = transport.sendAsync!;
    let calls = 0;
    transport.sendAsync = (d: Uint8Array) => (++calls === 2 ? Promise.reject(new NetlinkSocketError('sendmsg', 105)) : real(d));
    await expect(sock.batch(Array.from({ length: 2000 }, (_, i) => toyNew(i)), { chunkSize: 16384 })).rejects.toMatchObject({
      name: 'NetlinkSocketError',
      code: 'ENOBUFS',
    });
    expect(sock.inFlight).toBe(0);
    // The socket still works afterwards.
    await expect(sock.request(toyNew(1))).resolves.toEqual([]);
  });

  test('rejects a chunk size outside 16–256 KiB and times out as a whole', async () => {
    const { sock } = setup(() => undefined);
    await expect(sock.batch([toyNew(1)], { chunkSize: 1024 })).rejects.toBeInstanceOf(RangeError);
    await expect(sock.batch([toyNew(1), toyNew(2)], { timeoutMs: 20 })).rejects.toMatchObject({ reason: 'timeout' });
    expect(sock.inFlight).toBe(0);
  });
});

describe('a decoder that throws something other than NetlinkDecodeError (issue 10 item 1)', () => {
  /** toyFamily, except that decoding a TOY_NEW with body 13 throws `ErrorType` (a decoder bug). */
  function faulty(ErrorType: typeof RangeError | typeof TypeError): typeof toyFamily {
    return {
      ...toyFamily,
      decode: (view, loc, le) => {
        const m = toyFamily.decode(view, loc, le);
        if (m && m.body === 13) throw new ErrorType('decoder bug');
        return m;
      },
    };
  }

  for (const ErrorType of [RangeError, TypeError]) {
    test(`${ErrorType.name}: the request and the dump it answers fail with a typed error; the socket goes on`, async () => {
      const kernel = new FakeKernel<ToyMessage>({
        family: toyFamily,
        handler: (req, k) =>
          (req.header.flags & NLM_F_DUMP) !== 0
            ? [...k.multipart(req, entries(20, 5)), k.done(req)]
            : [k.reply(req, { type: 'TOY_NEW', body: (req.message as ToyMessage).body, attrs: [] }), k.ack(req)],
      });
      const sock = NetlinkSocket.open<ToyMessage>({ family: faulty(ErrorType), transport: kernel.socket(), timeoutMs: 2000 });
      const bad = await sock.request({ type: 'TOY_GET', body: 13, attrs: [] }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(NetlinkDecodeError);
      expect((bad as NetlinkDecodeError).cause).toBeInstanceOf(ErrorType);
      expect((bad as Error).message).toContain(`unexpected ${ErrorType.name}`);
      // The next request on the same socket works.
      expect(bodies(await sock.request({ type: 'TOY_GET', body: 12, attrs: [] }))).toEqual([12]);
      // A dump whose 9th entry cannot be decoded: typed error, and the dump's rest is discarded.
      const got: number[] = [];
      const err = await (async () => {
        for await (const m of sock.dump({ type: 'TOY_GET', body: 0, attrs: [] })) got.push((m as ToyMessage).body);
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NetlinkDecodeError);
      expect(got.every((b) => b < 13)).toBe(true);
      expect(bodies(await sock.request({ type: 'TOY_GET', body: 7, attrs: [] }))).toEqual([7]);
      expect(sock.closed).toBe(false);
      sock.close();
    });
  }

  test('a reply arriving later, through the poll callback: typed error, no uncaught exception', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily, handler: () => undefined });
    const transport = kernel.socket();
    const sock = NetlinkSocket.open<ToyMessage>({ family: faulty(TypeError), transport, timeoutMs: 2000 });
    const p = sock.request({ type: 'TOY_GET', body: 13, attrs: [] }).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    const req = kernel.requests.at(-1)!;
    transport.deliver([kernel.reply(req, { type: 'TOY_NEW', body: 13, attrs: [] }), kernel.ack(req)]);
    const err = await p;
    expect(err).toBeInstanceOf(NetlinkDecodeError);
    expect((err as Error).cause).toBeInstanceOf(TypeError);
    expect(sock.stats).toMatchObject({ received: 1, dropped: 1 }); // the ACK after the failure is late
    sock.close();
  });

  test('a batch request whose reply cannot be decoded gets a typed error in its own result', async () => {
    const kernel = new FakeKernel<ToyMessage>({
      family: toyFamily,
      handler: (req, k) => (req.message as ToyMessage).body === 13 ? k.reply(req, { type: 'TOY_NEW', body: 13, attrs: [] }) : (req.header.flags & NLM_F_ACK) !== 0 ? k.ack(req) : undefined,
    });
    const sock = NetlinkSocket.open<ToyMessage>({ family: faulty(RangeError), transport: kernel.socket(), timeoutMs: 2000 });
    const results = await sock.batch(entries(20, 5));
    expect(results[8]).toMatchObject({ ok: false, error: expect.any(NetlinkDecodeError) });
    expect(results.filter((r) => r.ok)).toHaveLength(19);
    sock.close();
  });
});

describe('ENOBUFS while a batch chunk is still being sent (issue 10 item 8, requests)', () => {
  test('the chunk in flight is not declared lost before its replies exist: its errors and its ACK still arrive', async () => {
    const failing = [700, 800];
    const { kernel, transport, sock } = setup((req, k) => {
      const body = (req.message as ToyMessage).body;
      if (failing.includes(body)) return k.error(req, 17, { message: 'exists' });
      if (req.message.type === 'TOY_GET') return undefined; // its answer is the one dropped
      return (req.header.flags & NLM_F_ACK) !== 0 ? k.ack(req) : undefined;
    });
    // Another request in flight keeps the socket polling during the batch.
    const other = sock.request({ type: 'TOY_GET', body: 0, attrs: [] }).catch((e: unknown) => e);
    // The second chunk goes out on a "worker" (sendAsync) that takes a few turns of the event
    // loop, like a kernel busy with a large sendmsg; meanwhile the kernel reports an earlier
    // drop. Reading that ENOBUFS and then an empty queue must not settle the chunk's requests:
    // the kernel has not handled them yet.
    const sendAsync = transport.sendAsync!;
    const turn = () => new Promise((r) => setImmediate(r));
    let calls = 0;
    transport.sendAsync = async (d) => {
      if (++calls !== 2) return sendAsync(d);
      transport.deliver(kernel.overrun());
      await turn();
      await turn();
      return sendAsync(d);
    };
    const results = await sock.batch(entries(1500), { chunkSize: 16384 });
    expect(sock.stats).toMatchObject({ sendCalls: 4, overruns: 1 }); // 3 chunks and the other request
    for (const i of failing) expect(results[i]).toMatchObject({ ok: false, error: { code: 'EEXIST' } });
    // The last request of the chunk asked for the ACK, and got it.
    const lastOfChunk = results.findIndex((r, i) => i > 800 && r.ok);
    expect(lastOfChunk).toBeGreaterThan(800);
    expect(lastOfChunk).toBeLessThan(1200);
    // The others of that chunk may have lost an error to the drop: "lost" (may have been applied).
    expect(results[lastOfChunk - 1]).toMatchObject({ ok: false, error: { reason: 'overrun' } });
    expect(results.slice(lastOfChunk + 1).every((r) => r.ok)).toBe(true);
    // The request without an answer: lost to the overrun.
    expect(await other).toMatchObject({ reason: 'overrun' });
    sock.close();
  });
});

describe('dumpRaw: undecoded delivery', () => {
  const body = (view: DataView, offset: number): number => view.getUint32(offset + 16, true);

  test('mutated dump datagrams through the raw path (issue 14, run per datagram): only whole messages of the dump, inside what was received; every dump settles typed', async () => {
    let state = 0x14ab;
    const rand = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const delivered: Uint8Array[] = [];
    const mutate = (d: Uint8Array): Uint8Array => {
      const out = d.slice(0, rand() < 0.2 ? Math.floor(rand() * d.length) : d.length);
      const v = viewOf(out);
      for (let k = Math.floor(rand() * 4); k > 0 && out.length >= 16; k--) {
        // Aim at a message header near a random place: length, type, flags, seq, port id.
        const at = (Math.floor(rand() * out.length) & ~3) % Math.max(4, out.length - 16);
        const which = [0, 4, 6, 8, 12][Math.floor(rand() * 5)]!;
        if (which === 0) v.setUint32(at, [0, 15, 16, 17, 0xffff, 0x80000000, out.length - at, Math.floor(rand() * 400)][Math.floor(rand() * 8)]!, true);
        else if (which === 8 || which === 12) v.setUint32(at + which, v.getUint32(at + which, true) ^ (1 << Math.floor(rand() * 32)), true);
        else v.setUint16(at + which, Math.floor(rand() * 0x10000), true);
      }
      delivered.push(out);
      return out;
    };
    const { sock } = setup((req, k) => [...k.multipart(req, entries(1 + Math.floor(rand() * 300))).map(mutate), k.done(req)]);
    let handed = 0;
    const outcomes = { ok: 0, typed: 0 };
    for (let i = 0; i < 150; i++) {
      delivered.length = 0;
      let seq = -1;
      const bad: string[] = [];
      const r = await sock
        .dumpRaw({ type: 'TOY_GET', body: 0, attrs: [] }, {
          message: (view, off, len) => {
            handed++;
            const bytes = new Uint8Array(view.buffer, view.byteOffset + off, len);
            if (seq < 0) seq = view.getUint32(off + 8, true);
            if (len < 16 || view.getUint32(off, true) !== len || view.getUint16(off + 4, true) < 16 || view.getUint32(off + 12, true) !== sock.portId || view.getUint32(off + 8, true) !== seq) bad.push(`header at ${off}`);
            // The same bytes at the same place of a datagram the kernel sent: nothing from beyond its end.
            if (!delivered.some((d) => off + len <= d.length && Buffer.compare(Buffer.from(d.subarray(off, off + len)), Buffer.from(bytes)) === 0)) bad.push(`bytes at ${off}+${len}`);
          },
          release: () => {},
        })
        .then(
          () => 'ok',
          (e: unknown) => e,
        );
      expect(bad).toEqual([]);
      if (r === 'ok') outcomes.ok++;
      else {
        expect(r).toBeInstanceOf(Error);
        expect((r as Error).name).toMatch(/^Netlink/);
        outcomes.typed++;
      }
    }
    expect(handed).toBeGreaterThan(1000);
    expect(outcomes.ok).toBeGreaterThan(10);
    sock.close();
  });

  test('every entry arrives as bytes, in order, across datagrams; each datagram is released after its last entry', async () => {
    const { sock } = setup((req, k) => [...k.multipart(req, entries(3000)), k.done(req)]);
    const got: number[] = [];
    const releasedAfter: number[] = [];
    await sock.dumpRaw({ type: 'TOY_GET', body: 0, attrs: [] }, { message: (v, loc) => got.push(body(v, loc)), release: () => releasedAfter.push(got.length) });
    expect(got).toEqual(entries(3000).map((e) => e.body));
    expect(releasedAfter.length).toBeGreaterThan(1);
    expect(releasedAfter.at(-1)).toBe(3000);
    expect(sock.stats.received).toBeGreaterThan(3000);
    sock.close();
  });

  test('an error answer rejects with the kernel error; the socket goes on', async () => {
    let n = 0;
    const { sock } = setup((req, k) => (n++ === 0 ? k.error(req, 16) : [...k.multipart(req, entries(3)), k.done(req)]));
    await expect(sock.dumpRaw({ type: 'TOY_GET', body: 0, attrs: [] }, { message: () => {}, release: () => {} })).rejects.toMatchObject({ code: 'EBUSY' });
    let count = 0;
    await sock.dumpRaw({ type: 'TOY_GET', body: 0, attrs: [] }, { message: () => count++, release: () => {} });
    expect(count).toBe(3);
    sock.close();
  });

  test('NLM_F_DUMP_INTR: without retries NetlinkDumpInterruptedError; with retries the handler sees the clean attempt after onRetry', async () => {
    const first = setup((req, k) => k.interruptedDump(req, entries(10), { from: 4 }));
    const seen: number[] = [];
    const err = await first.sock.dumpRaw({ type: 'TOY_GET', body: 0, attrs: [] }, { message: (v, l) => seen.push(body(v, l)), release: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkDumpInterruptedError);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect((err as NetlinkDumpInterruptedError<ToyMessage>).yielded).toBe(4);
    first.sock.close();

    let n = 0;
    const { sock } = setup((req, k) => (n++ === 0 ? k.interruptedDump(req, entries(5), { from: 2 }) : [...k.multipart(req, entries(5, 100)), k.done(req)]));
    const log: (number | string)[] = [];
    await sock.dumpRaw({ type: 'TOY_GET', body: 0, attrs: [] }, { message: (v, l) => log.push(body(v, l)), release: () => {} }, { retries: 1, onRetry: () => log.push('retry') });
    expect(log).toEqual([0, 1, 'retry', 100, 101, 102, 103, 104]);
    sock.close();
  });

  test('a handler that throws rejects dumpRaw with that error; the rest is discarded and the next dump works', async () => {
    const { sock } = setup((req, k) => [...k.multipart(req, entries(400)), k.done(req)]);
    const boom = new RangeError('mine');
    let calls = 0;
    await expect(
      sock.dumpRaw({ type: 'TOY_GET', body: 0, attrs: [] }, {
        message: () => {
          if (++calls === 3) throw boom;
        },
        release: () => {},
      }),
    ).rejects.toBe(boom);
    expect(calls).toBe(3);
    expect(await sock.dumpAll({ type: 'TOY_GET', body: 0, attrs: [] })).toHaveLength(400);
    sock.close();
  });

  /** A fake kernel's socket that lets one datagram through every `everyMs` (none in between). */
  function slowSocket(entriesN: number, everyMs: number) {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily, handler: ((req: Req, k: FakeKernel<ToyMessage>) => [...k.multipart(req, entries(entriesN)), k.done(req)]) as never, asyncIo: false });
    const inner = kernel.socket();
    let allowed = 1;
    let onReadable: (() => void) | undefined;
    const tick = setInterval(() => {
      allowed++;
      onReadable?.();
    }, everyMs);
    const transport: NetlinkTransport = {
      portId: inner.portId,
      send: (d) => inner.send(d),
      recv: (into) => {
        if (allowed <= 0) return null;
        const r = inner.recv(into);
        if (r !== null) allowed--;
        return r;
      },
      poll: (cb) => {
        onReadable = cb;
      },
      stopPoll: () => {
        onReadable = undefined;
      },
      setsockoptInt: (l, n, v) => inner.setsockoptInt(l, n, v),
      getsockoptInt: (l, n) => inner.getsockoptInt(l, n),
      close: () => {
        clearInterval(tick);
        inner.close();
      },
    };
    return NetlinkSocket.open<ToyMessage>({ family: toyFamily, transport, timeoutMs: 2000 });
  }

  test('the timeout bounds each wait for a datagram, not the whole dump', async () => {
    // ~5 datagrams, one every 40 ms: 200 ms in all, each wait under the 100 ms timeout.
    const sock = slowSocket(5000, 40);
    let count = 0;
    const t0 = Date.now();
    await sock.dumpRaw({ type: 'TOY_GET', body: 0, attrs: [] }, { message: () => count++, release: () => {} }, { timeoutMs: 100 });
    expect(count).toBe(5000);
    expect(Date.now() - t0).toBeGreaterThan(100);
    sock.close();
  });

  test('a wait for the next datagram longer than the timeout fails with timeout', async () => {
    const sock = slowSocket(5000, 250);
    let count = 0;
    await expect(sock.dumpRaw({ type: 'TOY_GET', body: 0, attrs: [] }, { message: () => count++, release: () => {} }, { timeoutMs: 100 })).rejects.toMatchObject({
      reason: 'timeout',
    });
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThan(5000);
    sock.close();
  });
});
