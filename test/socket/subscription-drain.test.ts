/**
 * Subscription.drain / ready (the fast path) over the fake kernel: the same notifications and
 * overrun markers, in the same places, as next(); the handler's bytes are valid until release;
 * one way of reading per subscription; a handler's exception is rethrown and the stream goes on.
 */
import { describe, expect, test } from 'vitest';
import { HOST_LE } from '../../src/netlink/endian.js';
import { subscribe, type Subscription, type SubscriptionDrainHandler, type SubscriptionEvent } from '../../src/socket/index.js';
import { FakeKernel } from '../../src/testing/index.js';
import { toyFamily, type ToyMessage } from './toy-family.js';

const note = (body: number) => ({ type: 'TOY_NEW' as const, body, attrs: [] });

/** The toy body (a u32 after the 16-byte nlmsghdr) of each message, 'overrun' for markers. */
function recorder(): SubscriptionDrainHandler & { seen: (number | 'overrun')[]; releases: number } {
  return {
    seen: [],
    releases: 0,
    message(view, offset) {
      this.seen.push(view.getUint32(offset + 16, HOST_LE));
    },
    release() {
      this.releases++;
    },
    overrun() {
      this.seen.push('overrun');
    },
  };
}

/** Everything, by next(), until `last` was yielded. */
async function byNext(sub: Subscription<ToyMessage>, last: number): Promise<(number | 'overrun')[]> {
  const seen: (number | 'overrun')[] = [];
  for (;;) {
    const ev = (await sub.next()).value as SubscriptionEvent<ToyMessage>;
    seen.push(ev.type === 'overrun' ? 'overrun' : (ev as ToyMessage).body);
    if (ev.type !== 'overrun' && (ev as ToyMessage).body === last) return seen;
  }
}

/** Everything, by ready() + drain(max), until `last` was handed on. */
async function byDrain(sub: Subscription<ToyMessage>, last: number, max?: number): Promise<(number | 'overrun')[]> {
  const h = recorder();
  while (!h.seen.includes(last) && (await sub.ready())) sub.drain(h, max);
  return h.seen;
}

describe('Subscription.drain', () => {
  test('the same notifications and overrun markers, in the same places, as next() — whatever the drain size', async () => {
    const run = async (read: (sub: Subscription<ToyMessage>) => Promise<(number | 'overrun')[]>) => {
      const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
      const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport: kernel.socket(), rcvbuf: 2304 });
      for (let i = 0; i < 50; i++) kernel.notify(4, note(i));
      const first = read(sub);
      await new Promise((r) => setTimeout(r, 1));
      kernel.notify(4, note(1000));
      const seen = await first;
      const stats = { ...sub.stats };
      sub.close();
      return { seen, stats };
    };
    const typed = await run((sub) => byNext(sub, 1000));
    expect(typed.seen).toContain('overrun');
    for (const max of [undefined, 1, 3]) {
      const fast = await run((sub) => byDrain(sub, 1000, max));
      expect(fast.seen, `max ${max}`).toEqual(typed.seen);
      expect(fast.stats).toEqual(typed.stats);
    }
  });

  test('a storm that never lets the queue run empty gets its marker after the backlog, as with next()', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport: kernel.socket(), rcvbuf: 2304 });
    let firstLost: number | undefined;
    let next = 0;
    const storm = (count: number) => {
      for (let i = 0; i < count; i++, next++) {
        const before = kernel.droppedDatagrams;
        kernel.notify(4, note(next));
        if (kernel.droppedDatagrams !== before) firstLost ??= next;
      }
    };
    storm(50);
    const h = recorder();
    while (!h.seen.includes('overrun') && h.seen.length < 2000) {
      await sub.ready();
      sub.drain(h, 1);
      storm(10);
    }
    const at = h.seen.indexOf('overrun');
    expect(h.seen.slice(0, at).filter((b) => (b as number) < firstLost!)).toEqual(Array.from({ length: firstLost! }, (_, i) => i));
    expect(h.seen.slice(at + 1).every((b) => b === 'overrun' || b > firstLost!)).toBe(true);
    sub.close();
  });

  test('release() ends each datagram; the bytes handed on are those of the message', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const transport = kernel.socket();
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport });
    const two = (a: number, b: number) => kernel.encode([a, b].map((x) => ({ ...note(x), flags: 0, seq: 0, pid: 0 })) as never);
    transport.deliver(two(1, 2), { groups: 8 }); // one datagram, two messages
    kernel.notify(4, note(3));
    expect(await sub.ready()).toBe(true);
    const h = recorder();
    expect(sub.drain(h)).toBe(3);
    expect(h.seen).toEqual([1, 2, 3]);
    expect(h.releases).toBe(2);
    expect(sub.stats).toMatchObject({ datagrams: 2, received: 3 });
    expect(sub.drain(h)).toBe(0);
    sub.close();
    expect(await sub.ready()).toBe(false);
    expect(sub.drain(h)).toBe(0);
  });

  test('ready() waits for the next notification, and close() resolves a pending ready() with false', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport: kernel.socket() });
    const r = sub.ready();
    let resolved = false;
    void r.then(() => (resolved = true));
    await new Promise((res) => setTimeout(res, 5));
    expect(resolved).toBe(false);
    kernel.notify(4, note(7));
    expect(await r).toBe(true);
    const h = recorder();
    sub.drain(h);
    expect(h.seen).toEqual([7]);
    const pending = sub.ready();
    sub.close();
    expect(await pending).toBe(false);
  });

  test('one way of reading per subscription: next() after drain() and drain() after next() throw TypeError', async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const a = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport: kernel.socket() });
    a.drain(recorder());
    await expect(a.next()).rejects.toThrow(TypeError);
    const b = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport: kernel.socket() });
    kernel.notify(4, note(1));
    await b.next();
    expect(() => b.drain(recorder())).toThrow(TypeError);
    expect(() => b.ready()).toThrow(TypeError);
    a.close();
    b.close();
  });

  test("a handler's exception is rethrown after the rest of its datagram; nothing is lost and the subscription goes on", async () => {
    const kernel = new FakeKernel<ToyMessage>({ family: toyFamily });
    const transport = kernel.socket();
    const sub = subscribe<ToyMessage>({ family: toyFamily, groups: [4], transport });
    transport.deliver(kernel.encode([1, 2].map((x) => ({ ...note(x), flags: 0, seq: 0, pid: 0 })) as never), { groups: 8 });
    kernel.notify(4, note(3));
    const h = recorder();
    const message = h.message;
    h.message = function (view, offset, length) {
      message.call(this, view, offset, length);
      if (view.getUint32(offset + 16, HOST_LE) === 1) throw new Error('boom');
    };
    await sub.ready();
    expect(() => sub.drain(h)).toThrow('boom');
    expect(h.seen).toEqual([1, 2]);
    expect(sub.drain(h)).toBe(1);
    expect(h.seen).toEqual([1, 2, 3]);
    expect(sub.closed).toBe(false);
    sub.close();
  });
});
