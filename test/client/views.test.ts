/**
 * Dump views (client/views.ts): XfrmPolicyView / XfrmStateView over the received bytes.
 * - every getter and toObject() agree with the decoding path (policyFromMessage /
 *   stateFromMessage) over every policy and SA of the real-kernel captures in fixtures/;
 * - forEachPolicy / forEachState on the fake kernel give what listPolicies / listStates give;
 * - a view kept past its datagram throws XfrmViewExpiredError (use after reuse);
 * - key material never shows in inspect/JSON of a view; bad bytes raise NetlinkDecodeError.
 */
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import {
  forEachPolicyView,
  forEachStateView,
  NetlinkDecodeError,
  policyFromMessage,
  stateFromMessage,
  template,
  XfrmPolicyView,
  XfrmStateView,
  XfrmViewExpiredError,
  type XfrmPolicy,
  type XfrmState,
} from '../../src/client/index.js';
import { HOST_LE } from '../../src/netlink/endian.js';
import { SecretBytes } from '../../src/netlink/secret.js';
import { nlmsgIterate } from '../../src/netlink/reader.js';
import { viewOf } from '../../src/netlink/view.js';
import { AF_INET, AF_INET6, IPPROTO_ESP, XFRM_MODE_TUNNEL, XFRM_POLICY_IN, XFRM_POLICY_OUT } from '../../src/xfrm/constants.js';
import { decodeXfrmMessage, encodeXfrmMessages } from '../../src/xfrm/family.js';
import { fixtureFiles, loadFixture } from '../helpers/fixtures.js';
import { aead, fakeSad } from './fake.js';

const SEL_KEYS = ['daddr', 'saddr', 'dport', 'dportMask', 'sport', 'sportMask', 'family', 'prefixlenD', 'prefixlenS', 'proto', 'ifindex', 'user'] as const;
const POLICY_KEYS = ['index', 'dir', 'action', 'priority', 'flags', 'share', 'lifetime', 'current', 'templates', 'type', 'mark', 'ifId', 'secCtx', 'offload', 'extraAttrs'] as const;
const STATE_KEYS = [
  'family', 'daddr', 'spi', 'proto', 'saddr', 'mode', 'reqid', 'flags', 'replayWindow', 'acquireSeq', 'lifetime', 'stats', 'current',
  'auth', 'crypt', 'aead', 'comp', 'encap', 'replay', 'replayEsn', 'mark', 'outputMark', 'ifId', 'dir', 'pcpu', 'tfcpad', 'extraFlags',
  'offload', 'secCtx', 'coaddr', 'lastUsed', 'iptfs', 'extraAttrs',
] as const;

/** Every getter of `v` equals the same field of `obj` (the decoding path's model). */
function expectPolicyViewEquals(v: XfrmPolicyView, obj: XfrmPolicy): void {
  expect(v.toObject()).toEqual(obj);
  for (const k of POLICY_KEYS) expect(v[k], k).toEqual(obj[k]);
  for (const k of SEL_KEYS) expect(v.selector[k], `selector.${k}`).toEqual(obj.selector[k]);
  expect(v.selector.toObject()).toEqual(obj.selector);
}

function expectStateViewEquals(v: XfrmStateView, obj: XfrmState): void {
  expect(v.toObject()).toEqual(obj);
  for (const k of STATE_KEYS) expect(v[k], k).toEqual(obj[k]);
  for (const k of SEL_KEYS) expect(v.selector[k], `selector.${k}`).toEqual(obj.selector[k]);
}

describe.skipIf(!HOST_LE)('views over the real-kernel captures (fixtures/)', () => {
  const seen = { policies: 0, states: 0, keyed: 0 };
  test.each(fixtureFiles().map((f) => [f.replace(/.*fixtures\//, ''), f]))('%s', (_name, path) => {
    for (const d of loadFixture(path).datagrams) {
      if (d.dir !== 'recv') continue;
      const view = viewOf(d.bytes);
      const msgs = [...nlmsgIterate(view, true)].map((loc) => decodeXfrmMessage(view, loc, true));
      const policies = msgs.flatMap((m) => (m.type === 'XFRM_MSG_NEWPOLICY' ? [policyFromMessage(m.body, m.attrs)] : []));
      const states = msgs.flatMap((m) => (m.type === 'XFRM_MSG_NEWSA' ? [stateFromMessage(m.body, m.attrs)] : []));
      let i = 0;
      expect(forEachPolicyView(d.bytes, (v) => expectPolicyViewEquals(v, policies[i++]!))).toBe(policies.length);
      i = 0;
      expect(forEachStateView(d.bytes, (v) => expectStateViewEquals(v, states[i++]!))).toBe(states.length);
      seen.policies += policies.length;
      seen.states += states.length;
      seen.keyed += states.filter((s) => s.aead ?? s.crypt ?? s.auth).length;
    }
  });
  test('the captures held policies and keyed SAs (the checks above ran)', () => {
    expect(seen.policies).toBeGreaterThan(20);
    expect(seen.states).toBeGreaterThan(10);
    expect(seen.keyed).toBeGreaterThan(5);
  });
});

/** `n` policies spread over both families and directions, with a template each. */
function policyInputs(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const v6 = i % 3 === 0;
    const selector = v6
      ? { family: AF_INET6, saddr: '2001:db8::1', daddr: `2001:db8:1::${(i + 1).toString(16)}`, prefixlenS: 128, prefixlenD: 128, dport: 0, dportMask: 0, sport: 0, sportMask: 0, proto: 0, ifindex: 0, user: 0 }
      : { family: AF_INET, saddr: '192.0.2.1', daddr: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, prefixlenS: 32, prefixlenD: 32, dport: 0, dportMask: 0, sport: 0, sportMask: 0, proto: 0, ifindex: 0, user: 0 };
    return {
      selector,
      dir: i % 2 === 0 ? XFRM_POLICY_OUT : XFRM_POLICY_IN,
      priority: i,
      ...(i % 5 === 0 ? { mark: { v: i, m: 0xffffffff } } : {}),
      templates: [template({ proto: IPPROTO_ESP, saddr: v6 ? '2001:db8::1' : '192.0.2.1', daddr: v6 ? '2001:db8::2' : '192.0.2.2', reqid: i, mode: XFRM_MODE_TUNNEL })],
    };
  });
}

describe('forEachPolicy / forEachState on the fake kernel', () => {
  test('forEachPolicy visits exactly what listPolicies yields (several datagrams), toObject() equal', async () => {
    const { client, kernel } = fakeSad();
    const results = await client.addPolicies(policyInputs(700));
    expect(results.every((r) => r.ok)).toBe(true);
    const listed = await client.getPolicies();
    const viewed: XfrmPolicy[] = [];
    const dg0 = client.socket.stats.datagrams;
    const n = await client.forEachPolicy((p) => {
      expectPolicyViewEquals(p, listed[viewed.length]!);
      viewed.push(p.toObject());
    });
    expect(n).toBe(700);
    expect(viewed).toEqual(listed);
    expect(client.socket.stats.datagrams - dg0).toBeGreaterThan(3);
    client.close();
    void kernel;
  });

  test('forEachState: views equal listStates (keys included, as SecretBytes), with the filter', async () => {
    const { client } = fakeSad();
    for (let i = 0; i < 300; i++) {
      await client.addState({
        daddr: `192.0.2.${(i % 200) + 2}`, saddr: '192.0.2.1', spi: 0x1000 + i, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: i, aead,
      });
    }
    const listed = await client.getStates();
    let i = 0;
    expect(await client.forEachState((s) => expectStateViewEquals(s, listed[i++]!))).toBe(300);
    const filter = { dst: { addr: '192.0.2.2', prefixlen: 32 } };
    const some = await client.getStates(filter);
    // (The fake kernel may not filter: the view path must send the same request, see the same SAs.)
    const spis: number[] = [];
    expect(await client.forEachState((s) => spis.push(s.spi), filter)).toBe(some.length);
    expect(spis).toEqual(some.map((s) => s.spi));
    client.close();
  });

  test('a view kept from the first datagram and read after the second arrived throws XfrmViewExpiredError', async () => {
    const { client } = fakeSad();
    await client.addPolicies(policyInputs(500));
    let first: XfrmPolicyView | undefined;
    let firstSelector: ReturnType<XfrmPolicyView['selector']['toObject']> | undefined;
    let keptSel: XfrmPolicyView['selector'] | undefined;
    let validInFirstDatagram = 0;
    let expiredSeenAt = -1;
    let thrown: unknown;
    let i = 0;
    await client.forEachPolicy((p) => {
      if (i === 0) {
        first = p;
        keptSel = p.selector;
        firstSelector = p.selector.toObject();
      } else if (first!.valid) {
        // Same datagram: the bytes are still this datagram's.
        expect(first!.selector.daddr).toBe(firstSelector!.daddr);
        validInFirstDatagram++;
      } else if (expiredSeenAt < 0) {
        expiredSeenAt = i;
        try {
          void first!.index;
        } catch (e) {
          thrown = e;
        }
      }
      i++;
    });
    expect(validInFirstDatagram).toBeGreaterThan(10);
    expect(expiredSeenAt).toBe(validInFirstDatagram + 1);
    expect(thrown).toBeInstanceOf(XfrmViewExpiredError);
    expect((thrown as XfrmViewExpiredError).view).toBe('XfrmPolicyView');
    // Every way in fails the same, the nested selector view included; nothing else is read.
    for (const read of [() => first!.dir, () => first!.selector, () => first!.templates, () => first!.toObject(), () => keptSel!.daddr, () => keptSel!.prefixlenD, () => JSON.stringify(first)]) {
      expect(read).toThrow(XfrmViewExpiredError);
    }
    expect(inspect(first)).toBe('XfrmPolicyView <expired>');
    client.close();
  });

  test('an SA view never prints key material; its keys are SecretBytes like listStates', async () => {
    const { client } = fakeSad();
    await client.addState({ daddr: '192.0.2.2', saddr: '192.0.2.1', spi: 0x4242, proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 1, aead });
    const [listed] = await client.getStates();
    const keyHex = Buffer.from(aead.key).toString('hex');
    let texts: string[] = [];
    let keyIsSecret = false;
    await client.forEachState((s) => {
      keyIsSecret = s.aead!.key instanceof SecretBytes && listed!.aead!.key instanceof SecretBytes;
      texts = [inspect(s), inspect(s, { depth: 5, showHidden: true }), JSON.stringify(s), inspect(s.aead), String(s.aead!.key), JSON.stringify(s.toJSON())];
    });
    expect(keyIsSecret).toBe(true);
    expect(texts[0]).toContain('spi: 0x00004242');
    for (const t of texts) {
      expect(t).not.toContain(keyHex);
      expect(t).not.toContain('1,1,1,1');
    }
    expect(texts[2]).toContain('<redacted>');
    client.close();
  });

  test('an error thrown by the callback rejects forEachPolicy with it; the socket stays usable', async () => {
    const { client } = fakeSad();
    await client.addPolicies(policyInputs(400));
    const boom = new Error('stop here');
    let calls = 0;
    await expect(
      client.forEachPolicy(() => {
        if (++calls === 5) throw boom;
      }),
    ).rejects.toBe(boom);
    expect(calls).toBe(5);
    expect(await client.forEachPolicy(() => {})).toBe(400);
    expect((await client.getPolicies()).length).toBe(400);
    client.close();
  });
});

describe('stopping a view walk from inside the callback', () => {
  test('an abort in the callback rejects with aborted; later entries are not handed; the client goes on', async () => {
    const { client } = fakeSad();
    await client.addPolicies(policyInputs(400));
    const ac = new AbortController();
    let calls = 0;
    await expect(
      client.forEachPolicy(
        () => {
          if (++calls === 10) ac.abort();
        },
        { signal: ac.signal },
      ),
    ).rejects.toMatchObject({ reason: 'aborted' });
    expect(calls).toBe(10);
    expect(await client.forEachPolicy(() => {})).toBe(400);
    client.close();
  });

  test('closing the client in the callback rejects with closed; nothing is handed after it', async () => {
    const { client } = fakeSad();
    await client.addPolicies(policyInputs(400));
    let calls = 0;
    await expect(
      client.forEachPolicy(() => {
        if (++calls === 3) client.close();
      }),
    ).rejects.toMatchObject({ reason: 'closed' });
    expect(calls).toBe(3);
  });
});

describe('bad bytes', () => {
  const policy = (): XfrmPolicy =>
    ({
      selector: { family: AF_INET, saddr: '192.0.2.1', daddr: '198.51.100.1', prefixlenS: 32, prefixlenD: 32, dport: 0, dportMask: 0, sport: 0, sportMask: 0, proto: 0, ifindex: 0, user: 0 },
      lifetime: { softByteLimit: 0n, hardByteLimit: 0n, softPacketLimit: 0n, hardPacketLimit: 0n, softAddExpiresSeconds: 0n, hardAddExpiresSeconds: 0n, softUseExpiresSeconds: 0n, hardUseExpiresSeconds: 0n },
    }) as never;
  function datagramOfPolicy(): Uint8Array {
    const p = policy() as unknown as { selector: XfrmPolicy['selector']; lifetime: XfrmPolicy['lifetime'] };
    const body = { sel: p.selector, lft: p.lifetime, curlft: { bytes: 0n, packets: 0n, addTime: 0n, useTime: 0n }, priority: 0, index: 9, dir: 1, action: 0, flags: 0, share: 0 };
    const tmpl = template({ proto: IPPROTO_ESP, saddr: '192.0.2.1', daddr: '192.0.2.2', reqid: 1 });
    return encodeXfrmMessages([{ type: 'XFRM_MSG_NEWPOLICY', flags: 2, seq: 1, pid: 1, body, attrs: [{ type: 'XFRMA_TMPL', value: [tmpl] }] }]);
  }
  const decodeError = (bytes: Uint8Array): NetlinkDecodeError => {
    try {
      decodeXfrmMessage(viewOf(bytes), [...nlmsgIterate(viewOf(bytes), HOST_LE)][0]!, HOST_LE);
    } catch (e) {
      return e as NetlinkDecodeError;
    }
    throw new Error('decoded');
  };

  test('a header too short fails when the view is made, with the decoder’s own error', () => {
    const good = datagramOfPolicy();
    const bytes = good.slice(0, 16 + 100);
    new DataView(bytes.buffer).setUint32(0, bytes.length, HOST_LE);
    const want = decodeError(bytes);
    expect(want).toBeInstanceOf(NetlinkDecodeError);
    expect(() => forEachPolicyView(bytes, () => {})).toThrow(want.message);
  });

  test('a broken attribute header fails when the view is made; a bad attribute payload when it is read', () => {
    const good = datagramOfPolicy();
    // nla_len of XFRMA_TMPL (right after the 168-byte header) made to run past the end.
    const framing = good.slice();
    new DataView(framing.buffer).setUint16(16 + 168, 0xfff0, HOST_LE);
    expect(() => forEachPolicyView(framing, () => {})).toThrow(decodeError(framing).message);
    // The attribute turned into an XFRMA_MARK (21) of 4 bytes: the framing holds, the payload
    // is shorter than struct xfrm_mark.
    const payload = good.slice(0, 16 + 168 + 4 + 4);
    const dv = new DataView(payload.buffer);
    dv.setUint32(0, payload.length, HOST_LE);
    dv.setUint16(16 + 168, 8, HOST_LE);
    dv.setUint16(16 + 168 + 2, 21, HOST_LE);
    const want = decodeError(payload);
    let index = -1;
    const errors: unknown[] = [];
    forEachPolicyView(payload, (p) => {
      index = p.index;
      for (const read of [() => p.mark, () => p.toObject()]) {
        try {
          read();
        } catch (e) {
          errors.push(e);
        }
      }
    });
    expect(index).toBe(9);
    expect(errors).toHaveLength(2);
    for (const e of errors) {
      expect(e).toBeInstanceOf(NetlinkDecodeError);
      expect((e as Error).message).toBe(want.message);
    }
  });
});
