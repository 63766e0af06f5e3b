import { describe, expect, test } from 'vitest';
import { NetlinkProtocolError, NetlinkSocketError } from '../../src/netlink/index.js';
import { subscribe, type NetlinkTransport, type SubscriptionEvent } from '../../src/socket/index.js';
import { FakeKernel } from '../../src/testing/index.js';
import { toyFamily, type ToyMessage } from './toy-family.js';

const note = (body: number) => ({ type: 'TOY_NEW' as const, body, attrs: [] });

describe('subscribe', () => {
  test('joins the groups with NETLINK_ADD_MEMBERSHIP and yields decoded notifications', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const transport = kernel.socket();
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [3, 4], transport });
    expect([...transport.groups]).toEqual([3, 4]);
    kernel.notify(3, note(1), note(2));
    kernel.notify(5, note(99)); // not joined
    kernel.notify(4, note(3));
    const got: SubscriptionEvent<ToyMessage>[] = [];
    for await (const ev of sub) {
      got.push(ev);
      if (got.length === 3) break; // leaving the loop closes the subscription
    }
    expect(got.map((e) => (e as ToyMessage).body)).toEqual([1, 2, 3]);
    expect(got[0]).toMatchObject({ type: 'TOY_NEW', seq: 0, pid: 0 });
    expect(sub.closed).toBe(true);
    expect(transport.closed).toBe(true);
  });

  test('a receive-buffer overrun is delivered in-band as { type: "overrun" }, and events keep flowing after it', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const transport = kernel.socket();
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport, rcvbuf: 2304 });
    for (let i = 0; i < 300; i++) kernel.notify(4, note(i));
    expect(kernel.droppedDatagrams).toBeGreaterThan(250);
    const events: SubscriptionEvent<ToyMessage>[] = [(await sub.next()).value as SubscriptionEvent<ToyMessage>];
    kernel.notify(4, note(1000)); // the subscription drained the socket: this one fits
    for (;;) {
      const ev = (await sub.next()).value as SubscriptionEvent<ToyMessage>;
      events.push(ev);
      if (ev.type !== 'overrun' && (ev as ToyMessage).body === 1000) break;
    }
    // The fake reports ENOBUFS ahead of what did fit (like the kernel's sk_err); the
    // subscription yields what did fit first, then the marker, then later events.
    const at = events.findIndex((e) => e.type === 'overrun');
    expect(at).toBeGreaterThan(0);
    expect(events.slice(0, at).map((e) => (e as ToyMessage).body)).toEqual(Array.from({ length: at }, (_, i) => i));
    expect(events.filter((e) => e.type === 'overrun')).toHaveLength(1);
    expect(events.length).toBeLessThan(20);
    expect(sub.stats.overruns).toBe(1);
    sub.close();
    expect(await sub.next()).toEqual({ value: undefined, done: true });
  });

  test('a storm is read ahead in one recvBatch and decoded on demand: only the event taken (and the next) are decoded', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const transport = kernel.socket();
    let batches = 0;
    const recvBatch = transport.recvBatch!;
    transport.recvBatch = (into, slotSize, meta) => (batches++, recvBatch(into, slotSize, meta));
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport });
    for (let i = 0; i < 100; i++) kernel.notify(4, note(i));
    expect(((await sub.next()).value as ToyMessage).body).toBe(0);
    // Every datagram left the socket's queue (no overrun can come from a slow decoder), but
    // decoded events are not piling up: they would survive young-generation collections.
    expect(transport.queued).toBe(0);
    expect(sub.stats.received).toBeLessThanOrEqual(2);
    expect(batches).toBe(1);
    const rest: number[] = [];
    for (let i = 1; i < 100; i++) rest.push(((await sub.next()).value as ToyMessage).body);
    expect(rest).toEqual(Array.from({ length: 99 }, (_, i) => i + 1));
    expect(sub.stats).toMatchObject({ datagrams: 100, received: 100, overruns: 0 });
    sub.close();
  });

  test('batched (recvBatch) or one recv at a time: the same events, overrun marker and counters', async () => {
    const run = async (batch: boolean) => {
      const kernel = new FakeKernel<ToyMessage>({ family: toyFamily, asyncIo: batch });
      const transport = kernel.socket();
      expect(transport.recvBatch !== undefined).toBe(batch);
      const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport, rcvbuf: 2304, highWaterMark: 4 });
      const seen: (number | 'overrun')[] = [];
      const takeUntil = async (last: number | 'overrun') => {
        for (let n = 0; n < 100; n++) {
          const ev = (await sub.next()).value as SubscriptionEvent<ToyMessage>;
          seen.push(ev.type === 'overrun' ? 'overrun' : (ev as ToyMessage).body);
          if (seen.at(-1) === last) return;
        }
        throw new Error(`no ${last} in ${seen.join(',')}`);
      };
      // More than the receive buffer holds: a backlog, a loss, its marker after the backlog.
      for (let i = 0; i < 40; i++) kernel.notify(4, note(i));
      await takeUntil('overrun');
      // A datagram from another process (dropped, counted) among notifications that fit.
      kernel.notify(4, note(100), note(101));
      transport.deliver(kernel.encode([{ ...note(500), flags: 0, seq: 0, pid: 0 }]), { pid: 777 });
      kernel.notify(4, note(102));
      await takeUntil(102);
      const stats = { ...sub.stats };
      sub.close();
      return { seen, stats, dropped: kernel.droppedDatagrams };
    };
    const batched = await run(true);
    const single = await run(false);
    expect(batched.seen).toContain('overrun');
    expect(batched.stats.dropped).toBe(1); // the datagram from port 777
    expect(batched).toEqual(single);
  });

  test('close() ends a pending next(); messages from other senders are dropped', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const transport = kernel.socket();
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [1], transport });
    transport.deliver(kernel.encode([{ ...note(5), flags: 0, seq: 0, pid: 0 }]), { pid: 777 });
    const p = sub.next();
    await new Promise((r) => setTimeout(r, 5));
    expect(sub.stats.dropped).toBe(1);
    sub.close();
    expect(await p).toEqual({ value: undefined, done: true });
  });

  test('dropped counts messages, as the request socket does: a foreign datagram of three messages counts 3', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const transport = kernel.socket();
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [1], transport });
    const three = [5, 6, 7].map((b) => ({ ...note(b), flags: 0, seq: 0, pid: 0 }));
    transport.deliver(kernel.encode(three), { pid: 777 });
    transport.deliver(kernel.encode([{ ...note(8), flags: 0, seq: 0, pid: 0 }]), { groups: 1 });
    const first = await sub.next();
    expect(first.value).toMatchObject({ type: 'TOY_NEW', body: 8 });
    expect(sub.stats).toMatchObject({ datagrams: 2, dropped: 3, received: 1 });
    sub.close();
  });

  test('notifications the family cannot decode are delivered raw, not lost', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const transport = kernel.socket();
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [1], transport });
    const bad = kernel.encode([{ type: 'TOY_NEW', flags: 0, seq: 0, pid: 0, body: 1, attrs: [{ type: 'TOYA_VALUE', value: 5 }] }]);
    new DataView(bad.buffer).setUint16(20, 6, true); // TOYA_VALUE with a 2-byte payload
    transport.deliver(bad, { groups: 1 });
    const r = await sub.next();
    expect(r.value).toMatchObject({ type: 0x10, payload: expect.any(Uint8Array) });
    expect(sub.stats.undecodable).toBe(1);
    sub.close();
  });

  test('a receive failure that is a bare system error (errno, not yet wrapped) ends the iteration with NetlinkSocketError of recvmsg', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const transport = kernel.socket();
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [1], transport });
    transport.recv = () => {
      throw Object.assign(new Error('recvmsg failed'), { errno: 5, syscall: 'recvmsg' });
    };
    const p = sub.next();
    transport.deliver(kernel.encode([{ ...note(1), flags: 0, seq: 0, pid: 0 }]), { groups: 1 });
    await expect(p).rejects.toMatchObject({ name: 'NetlinkSocketError', syscall: 'recvmsg', code: 'EIO' });
  });

  test('EPERM when joining a group says CAP_NET_ADMIN is needed and closes the socket', () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    kernel.denyMembership = true;
    const transport = kernel.socket();
    let err: unknown;
    try {
      subscribe<ToyMessage>({ family: toyFamily, groups: [1], transport });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NetlinkSocketError);
    expect((err as Error).message).toMatch(/EPERM.*CAP_NET_ADMIN/);
    expect(transport.closed).toBe(true);
  });

  describe('overrun marker order (issue 10 item 8)', () => {
    /** Body of the first notification the fake kernel dropped, found by numbering them. */
    function storm(kernel: FakeKernel<ToyMessage>, from: number, count: number): number | undefined {
      let firstLost: number | undefined;
      for (let i = from; i < from + count; i++) {
        const before = kernel.droppedDatagrams;
        kernel.notify(4, note(i));
        if (kernel.droppedDatagrams !== before) firstLost ??= i;
      }
      return firstLost;
    }

    /** Every event older than the loss comes before the marker; none after it is older. */
    function expectMarkerAfterBacklog(events: SubscriptionEvent<ToyMessage>[], firstLost: number): number {
      const at = events.findIndex((e) => e.type === 'overrun');
      expect(at).toBeGreaterThanOrEqual(0);
      const before = events.slice(0, at).map((e) => (e as ToyMessage).body);
      const after = events.slice(at + 1).filter((e) => e.type !== 'overrun').map((e) => (e as ToyMessage).body);
      // Older than the loss: all of them, in order, before the marker. The marker may come
      // late (after newer events: the resync confirms them) but never early.
      expect(before.filter((b) => b < firstLost)).toEqual(Array.from({ length: firstLost }, (_, i) => i));
      expect(after.every((b) => b > firstLost)).toBe(true);
      return at;
    }

    test('datagrams queued before the drop are yielded before the marker, later ones after it', async () => {
      const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
      const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport: kernel.socket(), rcvbuf: 2304 });
      const firstLost = storm(kernel, 0, 50)!;
      expect(firstLost).toBeGreaterThan(1); // a backlog of several datagrams, then drops
      const events: SubscriptionEvent<ToyMessage>[] = [];
      for (let i = 0; i < firstLost + 1; i++) events.push((await sub.next()).value as SubscriptionEvent<ToyMessage>);
      kernel.notify(4, note(1000));
      events.push((await sub.next()).value as SubscriptionEvent<ToyMessage>);
      expect(expectMarkerAfterBacklog(events, firstLost)).toBe(firstLost);
      expect(events[firstLost + 1]).toMatchObject({ body: 1000 });
      expect(sub.stats).toMatchObject({ overruns: 1, received: firstLost + 1 });
      sub.close();
    });

    test('with highWaterMark 1 the marker waits, pending, until the backlog is read', async () => {
      const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
      const transport = kernel.socket();
      const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport, rcvbuf: 2304, highWaterMark: 1 });
      const firstLost = storm(kernel, 0, 50)!;
      const events: SubscriptionEvent<ToyMessage>[] = [(await sub.next()).value as SubscriptionEvent<ToyMessage>];
      await new Promise((r) => setTimeout(r, 5));
      // Backpressure: the subscription has read no more than its high-water mark allows.
      expect(transport.queued).toBeGreaterThanOrEqual(firstLost - 3);
      for (let i = 0; i < firstLost; i++) events.push((await sub.next()).value as SubscriptionEvent<ToyMessage>);
      kernel.notify(4, note(1000));
      events.push((await sub.next()).value as SubscriptionEvent<ToyMessage>);
      expectMarkerAfterBacklog(events, firstLost);
      expect(events.at(-1)).toMatchObject({ body: 1000 });
    });

    test('a storm that never lets the queue run empty still gets its marker, after the backlog', async () => {
      const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
      const transport = kernel.socket();
      const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport, rcvbuf: 2304, highWaterMark: 1 });
      let next = 0;
      const firstLost = storm(kernel, next, 50)!;
      next = 50;
      const events: SubscriptionEvent<ToyMessage>[] = [];
      // Each time the consumer takes one event, the kernel sends more than it can hold: the
      // queue is never empty and ENOBUFS keeps coming back.
      while (events.filter((e) => e.type === 'overrun').length === 0 && events.length < 2000) {
        events.push((await sub.next()).value as SubscriptionEvent<ToyMessage>);
        storm(kernel, next, 10);
        next += 10;
        expect(transport.queued).toBeGreaterThan(0);
      }
      expectMarkerAfterBacklog(events, firstLost);
      // About SO_RCVBUF of bytes after the ENOBUFS (4608 / (20 + 128)), not 2000 events.
      expect(events.length).toBeLessThan(60);
      sub.close();
    });
  });

  test('a decoder that throws a RangeError or TypeError does not escape: the event comes raw and is counted', async () => {
    const faulty = (ErrorType: typeof RangeError | typeof TypeError) => ({
      ...toyFamily,
      decode: (view: DataView, loc: Parameters<typeof toyFamily.decode>[1], le: boolean) => {
        const m = toyFamily.decode(view, loc, le);
        if (m && m.body === 13) throw new ErrorType('decoder bug');
        return m;
      },
    });
    for (const ErrorType of [RangeError, TypeError]) {
      const family = faulty(ErrorType);
      const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
      const sub = subscribe<ToyMessage>({ family, groups: [1], transport: kernel.socket() });
      kernel.notify(1, note(12), note(13), note(14));
      const got = [(await sub.next()).value, (await sub.next()).value, (await sub.next()).value];
      expect(got[0]).toMatchObject({ type: 'TOY_NEW', body: 12 });
      expect(got[1]).toMatchObject({ type: 0x10, payload: expect.any(Uint8Array) });
      expect(got[2]).toMatchObject({ type: 'TOY_NEW', body: 14 });
      expect(sub.stats).toMatchObject({ undecodable: 1, decoderFaults: 1, received: 3 });
      sub.close();
    }
  });

  test('an unexpected exception while receiving fails the subscription with a typed error', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const transport = kernel.socket();
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [1], transport });
    transport.recv = () => {
      throw new TypeError('transport bug');
    };
    transport.deliver(kernel.encode([{ ...note(1), flags: 0, seq: 0, pid: 0 }]), { groups: 1 });
    const err = await sub.next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetlinkProtocolError);
    expect((err as NetlinkProtocolError).cause).toBeInstanceOf(TypeError);
    expect(sub.closed).toBe(true);
  });
});

describe('fairness (found by bench:ha: an aevent storm starved the HA publisher\'s timers and link)', () => {
  test('a consumer awaiting next() on a socket that always has data still lets timers and I/O run', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const dg = kernel.encode([{ ...note(1), flags: 0, seq: 0, pid: 0 }]);
    // A storm: every recv returns a datagram, never EAGAIN.
    const transport: NetlinkTransport = {
      portId: 42,
      send: () => 0,
      recv(into: Uint8Array) {
        into.set(dg);
        return { length: dg.length, truncated: false, pid: 0, groups: 1 << 3 };
      },
      poll() {},
      stopPoll() {},
      setsockoptInt() {},
      getsockoptInt: () => 0,
      close() {},
    };
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport });
    let fired = -1;
    let n = 0;
    setTimeout(() => (fired = n), 0);
    for (; n < 20_000; n++) {
      const r = await sub.next();
      expect(r.done).toBe(false);
    }
    sub.close();
    // The timer ran long before the 20,000th event (before: only after the loop).
    expect(fired).toBeGreaterThanOrEqual(0);
    expect(fired).toBeLessThan(2_000);
  });
});
