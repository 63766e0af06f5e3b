import { describe, expect, test } from 'vitest';
import { NetlinkSocketError } from '../../src/netlink/index.js';
import { subscribe, type SubscriptionEvent } from '../../src/socket/index.js';
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
    // ENOBUFS is reported first (like the kernel's sk_err), then what did fit, then later events.
    expect(events[0]).toEqual({ type: 'overrun' });
    expect(events.filter((e) => e.type === 'overrun')).toHaveLength(1);
    expect(events.length).toBeLessThan(20);
    expect(sub.stats.overruns).toBe(1);
    sub.close();
    expect(await sub.next()).toEqual({ value: undefined, done: true });
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
});
