/**
 * XfrmEventStream.drain: lazy XfrmEventViews over the fake XFRM kernel's notifications —
 * the same events as `for await` (toEvent() equal to what it yields), field getters equal to
 * the typed event's, and expiry after the datagram (XfrmViewExpiredError).
 */
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { anySelector, type XfrmEvent, type XfrmEventStream, type XfrmEventView, XfrmViewExpiredError } from '../../src/client/index.js';
import { AF_INET, IPPROTO_ESP, XFRM_POLICY_IN, XFRM_POLICY_OUT } from '../../src/xfrm/index.js';
import { aead, fakeSad, take } from './fake.js';

const id = { daddr: '192.0.2.2', spi: 0x5001, proto: IPPROTO_ESP };
const sa = { ...id, saddr: '192.0.2.1', aead, replayWindow: 32, replay: { oseq: 0, seq: 0, bitmap: 0 } };
const sel = { ...anySelector(AF_INET), daddr: '10.9.0.0', prefixlenD: 16, saddr: '10.8.1.2', prefixlenS: 32 };

/** Drain `n` events (waiting with ready()), keeping what `keep` returns for each view. */
async function drainN<T>(events: XfrmEventStream, n: number, keep: (v: XfrmEventView) => T): Promise<T[]> {
  const out: T[] = [];
  while (out.length < n && (await events.ready())) events.drain((v) => out.push(keep(v)));
  return out;
}

describe('XfrmEventStream.drain: event views', () => {
  test('the same events as for await: kind, toEvent(), the policy and SA views read the same fields', async () => {
    const { client } = fakeSad();
    const typedStream = client.events(['sa', 'policy']);
    const fast = client.events(['sa', 'policy']);
    await client.addState(sa);
    await client.addPolicy({ selector: sel, dir: XFRM_POLICY_OUT, priority: 7 });
    await client.updatePolicy({ selector: sel, dir: XFRM_POLICY_OUT, priority: 9 });
    await client.deletePolicy({ selector: sel, dir: XFRM_POLICY_OUT });
    await client.deleteState(id);
    const typed = await take(typedStream, 5);
    const viewed = await drainN(fast, 5, (v) => {
      const p = v.policy;
      const s = v.state;
      return {
        kind: v.kind,
        event: v.toEvent(),
        policy: p && { index: p.index, dir: p.dir, priority: p.priority, saddr: p.selector.saddr, daddr: p.selector.daddr, prefixlenD: p.selector.prefixlenD, whole: p.toObject() },
        state: s && { spi: s.spi, daddr: s.daddr },
      };
    });
    expect(viewed.map((v) => v.kind)).toEqual(typed.map((e) => e.kind));
    expect(viewed.map((v) => v.kind)).toEqual(['newsa', 'newpolicy', 'updpolicy', 'delpolicy', 'delsa']);
    // toEvent() is what for await yields (the raw message included).
    expect(viewed.map((v) => v.event)).toEqual(typed);
    for (const [i, v] of viewed.entries()) {
      const e = typed[i] as XfrmEvent & { policy?: { index: number; dir: number; priority: number; selector: typeof sel } };
      if (e.policy !== undefined) {
        expect(v.policy).toEqual({
          index: e.policy.index,
          dir: e.policy.dir,
          priority: e.policy.priority,
          saddr: e.policy.selector.saddr,
          daddr: e.policy.selector.daddr,
          prefixlenD: e.policy.selector.prefixlenD,
          whole: e.policy,
        });
      } else {
        expect(v.policy).toBeUndefined();
      }
    }
    expect(viewed[0]!.state).toEqual({ spi: id.spi, daddr: id.daddr });
    expect(viewed[4]!.state).toBeUndefined(); // delsa: toEvent().state
    typedStream.close();
    fast.close();
    client.close();
  });

  test('a view read after its datagram is done throws XfrmViewExpiredError (the policy and selector views too); the overrun view stays valid', async () => {
    const { client } = fakeSad();
    const events = client.events(['policy']);
    await client.addPolicy({ selector: sel, dir: XFRM_POLICY_IN });
    const [kept] = await drainN(events, 1, (v) => ({ v, p: v.policy!, s: v.policy!.selector }));
    expect(kept!.v.valid).toBe(false);
    expect(() => kept!.v.kind).toThrow(XfrmViewExpiredError);
    expect(() => kept!.v.toEvent()).toThrow(XfrmViewExpiredError);
    expect(() => kept!.p.index).toThrow(XfrmViewExpiredError);
    expect(() => kept!.s.daddr).toThrow(XfrmViewExpiredError);
    // read before expiry, so made and cached then: still every getter throws afterwards (found by the fuzzer)
    expect(() => kept!.v.policy).toThrow(XfrmViewExpiredError);
    expect(() => kept!.v.state).toThrow(XfrmViewExpiredError);
    expect(inspect(kept!.v)).toBe('XfrmEventView <expired>');
    events.close();
    client.close();
  });

  test('printing a view of an SA event shows kind and type, never key bytes', async () => {
    const { client } = fakeSad();
    const events = client.events(['sa']);
    await client.addState(sa);
    const [printed] = await drainN(events, 1, (v) => inspect(v));
    expect(printed).toBe("XfrmEventView { kind: 'newsa', type: 16 }");
    events.close();
    client.close();
  });

  test('for await and drain() cannot be mixed on one stream', async () => {
    const { client } = fakeSad();
    const events = client.events(['policy']);
    events.drain(() => undefined);
    await expect(events.next()).rejects.toThrow(TypeError);
    events.close();
    client.close();
  });
});
