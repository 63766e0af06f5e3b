/**
 * Two batch chunks in flight: the next chunk goes to the kernel while the previous one's
 * answers may still wait in the receive queue — queued behind it with ordered sends, or sent
 * as soon as its `sendmsg` returns without them — whenever the receive-buffer budget holds
 * the possible replies of both. These tests hold the semantics of a batch to that: results in
 * order, errors on their own requests, no overflow of our own making, overruns as `lost`.
 */
import { describe, expect, test } from 'vitest';
import { NLM_F_ACK, NetlinkSocketError } from '../../src/netlink/index.js';
import { NetlinkSocket } from '../../src/socket/index.js';
import { FakeKernel, type FakeSocket } from '../../src/testing/index.js';
import { toyFamily, toyNew, type ToyMessage } from './toy-family.js';

type Handler = ConstructorParameters<typeof FakeKernel<ToyMessage>>[0]['handler'];

function setup(opts: { handler?: Handler; orderedSends?: boolean; rcvbuf?: number } = {}) {
  const kernel = new FakeKernel<ToyMessage>({
    family: toyFamily,
    ...(opts.handler ? { handler: opts.handler } : {}),
    ...(opts.orderedSends !== undefined ? { orderedSends: opts.orderedSends } : {}),
  });
  const transport = kernel.socket();
  const sock = NetlinkSocket.open<ToyMessage>({ family: toyFamily, transport, timeoutMs: 5000, ...(opts.rcvbuf ? { rcvbuf: opts.rcvbuf } : {}) });
  return { kernel, transport, sock, sends: watchSends(transport) };
}

/** What the batch did at each `sendAsync`: sends still out, and datagrams queued unread. */
function watchSends(transport: FakeSocket) {
  const real = transport.sendAsync!;
  const seen = { calls: 0, maxOut: 0, out: 0, queuedAtSend: [] as number[] };
  transport.sendAsync = (d, chain) => {
    seen.calls++;
    seen.maxOut = Math.max(seen.maxOut, ++seen.out);
    seen.queuedAtSend.push(transport.queued);
    return real(d, chain).finally(() => seen.out--);
  };
  return seen;
}

/** Acknowledges what asks for it; `fails(body)` gives an errno for a request that fails. */
function kernelLike(fails: (body: number) => number | undefined): Handler {
  return (req, k) => {
    const errno = fails((req.message as ToyMessage).body);
    if (errno !== undefined) return k.error(req, errno, { message: `entry ${(req.message as ToyMessage).body}` });
    return (req.header.flags & NLM_F_ACK) !== 0 ? k.ack(req) : undefined;
  };
}

describe('two batch chunks in flight', () => {
  test('with ordered sends the next chunk is queued behind the previous one; errors of both land on their own requests', async () => {
    // 16 KiB chunks of 56-byte requests: 292 per chunk. Errors in the first two chunks,
    // including the last request of the first (its error reply stands for the chunk's ACK).
    const failing = new Map([
      [3, 17],
      [200, 2],
      [291, 17],
      [292, 22],
      [500, 17],
      [1999, 2],
    ]);
    const { sock, sends } = setup({ handler: kernelLike((b) => failing.get(b)) });
    const results = await sock.batch(
      Array.from({ length: 2000 }, (_, i) => toyNew(i)),
      { chunkSize: 16384 },
    );
    expect(sends.maxOut).toBe(2);
    expect(results).toHaveLength(2000);
    for (const [i, r] of results.entries()) {
      const errno = failing.get(i);
      if (errno === undefined) expect(r, `request ${i}`).toEqual({ ok: true, replies: [] });
      else expect(r, `request ${i}`).toMatchObject({ ok: false, error: { errno, extackMessage: `entry ${i}` } });
    }
    expect(sock.stats.overruns).toBe(0);
    expect(sock.inFlight).toBe(0);
    sock.close();
  });

  test('without ordered sends the next chunk goes out as soon as the previous send returns, before its answers are read', async () => {
    const failing = new Map([
      [10, 17],
      [291, 2],
      [900, 17],
    ]);
    const { sock, sends } = setup({ handler: kernelLike((b) => failing.get(b)), orderedSends: false });
    const results = await sock.batch(
      Array.from({ length: 2000 }, (_, i) => toyNew(i)),
      { chunkSize: 16384 },
    );
    expect(sends.maxOut).toBe(1);
    // The answers of the chunk before were still queued when a later chunk was sent.
    expect(sends.queuedAtSend.slice(1).some((n) => n > 0)).toBe(true);
    for (const [i, r] of results.entries()) {
      const errno = failing.get(i);
      if (errno === undefined) expect(r.ok, `request ${i}`).toBe(true);
      else expect(r, `request ${i}`).toMatchObject({ ok: false, error: { errno } });
    }
    sock.close();
  });

  for (const rcvbuf of [32 * 1024, 1024 * 1024]) {
    test(`every request failing (error replies echo the request) never overflows a ${rcvbuf / 1024} KiB receive buffer`, async () => {
      // The worst case for the budget: one error reply per request, the answers of two
      // chunks queued at once. A small buffer has no room for two chunks: one at a time.
      const { kernel, sock, sends } = setup({ handler: kernelLike(() => 17), rcvbuf });
      const results = await sock.batch(
        Array.from({ length: 3000 }, (_, i) => toyNew(i)),
        { chunkSize: 16384 },
      );
      expect(kernel.droppedDatagrams).toBe(0);
      expect(sock.stats.overruns).toBe(0);
      expect(results.every((r) => !r.ok && (r.error as { code?: string }).code === 'EEXIST')).toBe(true);
      expect(sends.maxOut).toBe(rcvbuf > 64 * 1024 ? 2 : 1);
      sock.close();
    });
  }

  test('an overrun while two chunks are in flight: what may have been lost is "lost", never success', async () => {
    // A drop inside the second chunk, whose sendmsg is queued while the first one's answers
    // are unread: the second chunk's requests before its ACK cannot be confirmed.
    const { transport, sock, sends } = setup({
      handler: (req, k) => {
        const body = (req.message as ToyMessage).body;
        if (body === 400) return k.overrun();
        if (body === 100 || body === 450) return k.error(req, 17);
        return (req.header.flags & NLM_F_ACK) !== 0 ? k.ack(req) : undefined;
      },
    });
    const results = await sock.batch(
      Array.from({ length: 1500 }, (_, i) => toyNew(i)),
      { chunkSize: 16384 },
    );
    expect(sends.maxOut).toBe(2);
    expect(sock.stats.overruns).toBe(1);
    expect(results).toHaveLength(1500);
    const lost = (i: number) => results[i]!.ok === false && (results[i] as { error: { reason?: string } }).error.reason === 'overrun';
    // Requests per chunk (all of one size): chunk 2 holds [per, 2 * per), 400 and 450 included.
    const per = transport.sent[0]!.length / 56;
    expect(per).toBe(292);
    // Chunk 2's requests before its ACK are lost, including 400 (whose answer the drop took)
    // and not 450 (whose error arrived: that error is its result).
    for (let i = per; i < 2 * per - 1; i++) if (i !== 450) expect(lost(i), `request ${i}`).toBe(true);
    expect(results[450]).toMatchObject({ ok: false, error: { code: 'EEXIST' } });
    expect(results[2 * per - 1]).toEqual({ ok: true, replies: [] });
    // Chunk 1's error is its own; its other requests succeeded or (the drop was read before
    // their ACK) are lost — never an error of another request.
    expect(results[100]).toMatchObject({ ok: false, error: { code: 'EEXIST' } });
    for (let i = 0; i < per; i++) if (i !== 100) expect(results[i]!.ok || lost(i), `request ${i}`).toBe(true);
    // Chunks after the drop are confirmed by their own ACKs.
    expect(results.slice(2 * per).every((r) => r.ok)).toBe(true);
    expect(sock.inFlight).toBe(0);
    sock.close();
  });

  test('a failed send while the previous chunk is unanswered: the batch rejects with its error, nothing after it is sent', async () => {
    // The kernel shrinks the send buffer while it handles the first chunk: the second chunk,
    // queued behind it, fails with EMSGSIZE.
    const { kernel, sock, sends } = setup({
      handler: (req, k) => {
        if ((req.message as ToyMessage).body === 291) req.socket.setsockoptInt(1, 7 /* SOL_SOCKET, SO_SNDBUF */, 1024);
        return (req.header.flags & NLM_F_ACK) !== 0 ? k.ack(req) : undefined;
      },
    });
    await expect(sock.batch(Array.from({ length: 2000 }, (_, i) => toyNew(i)), { chunkSize: 16384 })).rejects.toMatchObject({
      name: 'NetlinkSocketError',
      code: 'EMSGSIZE',
    });
    expect(sends.maxOut).toBe(2);
    // Only the first chunk was handled.
    expect(kernel.requests.length).toBe(292);
    expect(sock.inFlight).toBe(0);
    sock.close();
  });

  test('two batches at once on one socket: a failed send stops only its own batch', async () => {
    // The first request of batch A's second chunk makes its sendmsg fail. B's chunks, sent
    // between A's on the same socket, go on; A's after the failure are not sent.
    const { kernel, sock } = setup({
      handler: (req, k) => {
        if ((req.message as ToyMessage).body === 292) throw new NetlinkSocketError('sendmsg', 105);
        return (req.header.flags & NLM_F_ACK) !== 0 ? k.ack(req) : undefined;
      },
    });
    const a = sock.batch(
      Array.from({ length: 2000 }, (_, i) => toyNew(i)),
      { chunkSize: 16384 },
    );
    const b = sock.batch(
      Array.from({ length: 2000 }, (_, i) => toyNew(10_000 + i)),
      { chunkSize: 16384 },
    );
    await expect(a).rejects.toMatchObject({ name: 'NetlinkSocketError', code: 'ENOBUFS' });
    const rb = await b;
    expect(rb.every((r) => r.ok)).toBe(true);
    const bodies = kernel.requests.map((r) => (r.message as ToyMessage).body);
    expect(bodies.filter((x) => x >= 10_000)).toHaveLength(2000);
    expect(Math.max(...bodies.filter((x) => x < 10_000))).toBe(292);
    expect(sock.inFlight).toBe(0);
    sock.close();
  });

  test('a send of a chain after a failed one is not sent: the fake kernel keeps the order and the chains like the shim', async () => {
    const { kernel, transport } = setup();
    const big = new Uint8Array(300 * 1024); // more than the send buffer: EMSGSIZE
    const one = (seq: number) => {
      const d = new Uint8Array(20); // nlmsghdr + the u32 body
      const v = new DataView(d.buffer);
      v.setUint32(0, 20, true);
      v.setUint16(4, 16 /* TOY_NEW */, true);
      v.setUint16(6, 1 | NLM_F_ACK, true);
      v.setUint32(8, seq, true);
      return d;
    };
    // Chain 7 fails at its first send; chain 8 and unchained sends between go on.
    const sent = [
      transport.sendAsync!(big, 7),
      transport.sendAsync!(one(1), 8),
      transport.sendAsync!(one(2), 7),
      transport.sendAsync!(one(3)),
      transport.sendAsync!(one(4), 7),
      transport.sendAsync!(one(5), 8),
    ];
    const got = await Promise.allSettled(sent);
    expect(got.map((g) => (g.status === 'fulfilled' ? g.value : (g.reason as { code: string }).code))).toEqual(['EMSGSIZE', 20, 'ECANCELED', 20, 'ECANCELED', 20]);
    expect(kernel.requests.map((r) => r.header.seq)).toEqual([1, 3, 5]);
  });

  test('entries that could not be encoded between requests: errors, their attribute and replies still find their entry', async () => {
    // A chunk finds a request's entry and bytes by its position: unsent entries shift the
    // entries, and the bytes of a failed request name the attribute at the kernel's offset.
    const bad = new Set([5, 300, 301, 650]);
    const { sock } = setup({
      handler: (req, k) => {
        const body = (req.message as ToyMessage).body;
        // Offset 20: the first attribute (TOYA_VALUE in these requests, TOYA_NAME in the others).
        if (body % 100 === 10) return k.error(req, 22, { message: `bad ${body}`, offset: 20 });
        if (req.message.type === 'TOY_GET') return [k.reply(req, { type: 'TOY_NEW', body: body * 2, attrs: [] }), k.ack(req)];
        return (req.header.flags & NLM_F_ACK) !== 0 ? k.ack(req) : undefined;
      },
    });
    const msgs = Array.from({ length: 1000 }, (_, i) =>
      bad.has(i)
        ? { type: 'TOY_NEW' as const, body: -1, attrs: [] }
        : i % 100 === 42
          ? { type: 'TOY_GET' as const, body: i, attrs: [] }
          : i % 100 === 10
            ? { type: 'TOY_NEW' as const, body: i, attrs: [{ type: 'TOYA_VALUE' as const, value: i }] }
            : toyNew(i),
    );
    const results = await sock.batch(msgs, { chunkSize: 16384 });
    expect(sock.stats.sendCalls).toBeGreaterThan(2);
    for (const [i, r] of results.entries()) {
      if (bad.has(i)) expect(r, `entry ${i}`).toMatchObject({ ok: false, error: { name: 'NetlinkEncodeError' } });
      else if (i % 100 === 10) expect(r, `entry ${i}`).toMatchObject({ ok: false, error: { code: 'EINVAL', extackMessage: `bad ${i}`, attribute: 'TOYA_VALUE' } });
      else if (i % 100 === 42) expect(r.ok && r.replies.map((m) => (m as ToyMessage).body), `entry ${i}`).toEqual([i * 2]);
      else expect(r, `entry ${i}`).toEqual({ ok: true, replies: [] });
    }
    sock.close();
  });

  test('close() while two chunks are in flight rejects the batch with "closed"; nothing is left pending', async () => {
    const { sock, sends } = setup();
    const p = sock.batch(
      Array.from({ length: 3000 }, (_, i) => toyNew(i)),
      { chunkSize: 16384 },
    );
    while (sends.out < 2) await new Promise((r) => setImmediate(r));
    sock.close();
    await expect(p).rejects.toMatchObject({ reason: 'closed' });
    expect(sock.inFlight).toBe(0);
  });
});
