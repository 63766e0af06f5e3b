/**
 * The client's request builders (src/client/requests.ts) are pure: each test compares a
 * builder's message with one written out by hand from the kernel's uapi, with no socket.
 */
import { describe, expect, test } from 'vitest';
import { NetlinkEncodeError } from '../../src/netlink/index.js';
import * as rq from '../../src/client/requests.js';

const ESP = 50;
const AF_INET = 2;
const AF_INET6 = 10;
// NLM_F_REPLACE and NLM_F_DUMP (NLM_F_ROOT | NLM_F_MATCH) from <linux/netlink.h>.
const REPLACE = 0x100;
const DUMP = 0x300;

const anyV4Selector = {
  daddr: '0.0.0.0', saddr: '0.0.0.0', dport: 0, dportMask: 0, sport: 0, sportMask: 0,
  family: AF_INET, prefixlenD: 0, prefixlenS: 0, proto: 0, ifindex: 0, user: 0,
};

function encodeError(fn: () => unknown): NetlinkEncodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NetlinkEncodeError);
    return e as NetlinkEncodeError;
  }
  throw new Error('expected a NetlinkEncodeError');
}

describe('SA requests', () => {
  test('GETSA/DELSA: xfrm_usersa_id with the family from daddr, then XFRMA_MARK and XFRMA_SRCADDR', () => {
    expect(rq.saIdRequest('XFRM_MSG_GETSA', { daddr: '2001:db8::1', spi: 0x1000, proto: ESP, mark: { v: 1, m: 0xff } })).toEqual({
      type: 'XFRM_MSG_GETSA',
      body: { daddr: '2001:db8::1', spi: 0x1000, family: AF_INET6, proto: ESP },
      attrs: [{ type: 'XFRMA_MARK', value: { v: 1, m: 0xff } }],
    });
    expect(rq.saIdRequest('XFRM_MSG_DELSA', { daddr: '192.0.2.2', spi: 7, proto: 43, saddr: '192.0.2.1' })).toEqual({
      type: 'XFRM_MSG_DELSA',
      body: { daddr: '192.0.2.2', spi: 7, family: AF_INET, proto: 43 },
      attrs: [{ type: 'XFRMA_SRCADDR', value: '192.0.2.1' }],
    });
  });

  test('a malformed id names the field: id.… for one call, ids[i].… for an entry of a bulk call', () => {
    expect(encodeError(() => rq.saIdRequest('XFRM_MSG_GETSA', { daddr: 1 } as never)).what).toBe('id.daddr');
    expect(encodeError(() => rq.saIdRequest('XFRM_MSG_DELSA', { daddr: '192.0.2.2', spi: -1, proto: ESP }, 3)).what).toBe('ids[3].spi');
  });

  test('GETSA dump with an address filter: the missing side is the zero address of the family', () => {
    expect(rq.listStatesRequest({ proto: ESP, dst: { addr: '2001:db8::', prefixlen: 32 } })).toEqual({
      type: 'XFRM_MSG_GETSA',
      flags: DUMP,
      body: null,
      attrs: [
        { type: 'XFRMA_PROTO', value: ESP },
        { type: 'XFRMA_ADDRESS_FILTER', value: { saddr: '::', daddr: '2001:db8::', family: AF_INET6, splen: 0, dplen: 32 } },
      ],
    });
    expect(rq.listStatesRequest({})).toEqual({ type: 'XFRM_MSG_GETSA', flags: DUMP, body: null, attrs: [] });
  });

  test('ALLOCSPI: a larval SA with SPI 0 and the default range 0x100–0x0fffffff', () => {
    const m = rq.allocSpiRequest({ saddr: '192.0.2.1', daddr: '192.0.2.2', proto: ESP, reqid: 4, ifId: 9 });
    expect(m).toMatchObject({
      type: 'XFRM_MSG_ALLOCSPI',
      body: { info: { id: { daddr: '192.0.2.2', spi: 0, proto: ESP }, saddr: '192.0.2.1', family: AF_INET, reqid: 4 }, min: 0x100, max: 0x0fffffff },
      attrs: [{ type: 'XFRMA_IF_ID', value: 9 }],
    });
  });

  test('EXPIRE: the SA id as an xfrm_usersa_info, saddr the zero address of the id family', () => {
    const m = rq.expireStateRequest({ daddr: '2001:db8::2', spi: 0x10, proto: ESP }, true);
    expect(m).toMatchObject({
      type: 'XFRM_MSG_EXPIRE',
      body: { hard: 1, state: { id: { daddr: '2001:db8::2', spi: 0x10, proto: ESP }, saddr: '::', family: AF_INET6 } },
      attrs: [],
    });
    expect(encodeError(() => rq.expireStateRequest({ daddr: '192.0.2.2', spi: 1, proto: ESP }, 1 as never)).what).toBe('hard');
  });

  test('NEWSA/UPDSA of a completed state; SPI 0 refused for ESP before anything is built', () => {
    const s = rq.newState({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x1000, proto: ESP, mark: { v: 5, m: 0xf } });
    expect(rq.stateWriteRequest(s, false, false)).toMatchObject({ type: 'XFRM_MSG_NEWSA', attrs: [{ type: 'XFRMA_MARK', value: { v: 5, m: 0xf } }] });
    expect(rq.stateWriteRequest(s, true, false).type).toBe('XFRM_MSG_UPDSA');
    expect(encodeError(() => rq.newState({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0, proto: ESP })).what).toBe('state.spi');
  });
});

describe('AE requests (replay state)', () => {
  test('GETAE: xfrm_aevent_id with the zero saddr of the SA family; thresholds ask XFRM_AE_RTHR | XFRM_AE_ETHR', () => {
    expect(rq.getAeRequest({ daddr: '2001:db8::2', spi: 0x2000, proto: ESP }, true)).toEqual({
      type: 'XFRM_MSG_GETAE',
      body: { saId: { daddr: '2001:db8::2', spi: 0x2000, family: AF_INET6, proto: ESP }, saddr: '::', flags: 1 | 8, reqid: 0 },
      attrs: [],
    });
    expect(rq.getAeRequest({ daddr: '192.0.2.2', spi: 1, proto: ESP, saddr: '192.0.2.1', mark: { v: 1, m: 1 } }, false)).toEqual({
      type: 'XFRM_MSG_GETAE',
      body: { saId: { daddr: '192.0.2.2', spi: 1, family: AF_INET, proto: ESP }, saddr: '192.0.2.1', flags: 0, reqid: 0 },
      attrs: [{ type: 'XFRMA_MARK', value: { v: 1, m: 1 } }],
    });
  });

  test('NEWAE: NLM_F_REPLACE; replay state, thresholds, then the mark', () => {
    expect(rq.newAeRequest({ daddr: '192.0.2.2', spi: 1, proto: ESP, mark: { v: 2, m: 3 } }, { replay: { oseq: 9, seq: 8, bitmap: 7 }, replayThresh: 4, etimerThresh: 250 })).toEqual({
      type: 'XFRM_MSG_NEWAE',
      flags: REPLACE,
      body: { saId: { daddr: '192.0.2.2', spi: 1, family: AF_INET, proto: ESP }, saddr: '0.0.0.0', flags: 0, reqid: 0 },
      attrs: [
        { type: 'XFRMA_REPLAY_VAL', value: { oseq: 9, seq: 8, bitmap: 7 } },
        { type: 'XFRMA_REPLAY_THRESH', value: 4 },
        { type: 'XFRMA_ETIMER_THRESH', value: 250 },
        { type: 'XFRMA_MARK', value: { v: 2, m: 3 } },
      ],
    });
    expect(encodeError(() => rq.newAeRequest({ daddr: '192.0.2.2', spi: 1, proto: ESP }, { replayThresh: -1 })).what).toBe('ae.replayThresh');
  });
});

describe('policy requests', () => {
  test('GETPOLICY by index carries an any-selector; by selector the index is 0', () => {
    expect(rq.policyIdRequest('XFRM_MSG_GETPOLICY', { dir: 1, index: 9 })).toEqual({
      type: 'XFRM_MSG_GETPOLICY',
      body: { sel: anyV4Selector, index: 9, dir: 1 },
      attrs: [],
    });
    const sel = { ...anyV4Selector, daddr: '192.0.2.0', prefixlenD: 24 };
    expect(rq.policyIdRequest('XFRM_MSG_DELPOLICY', { dir: 0, selector: sel, type: 1, ifId: 5 }, 2)).toEqual({
      type: 'XFRM_MSG_DELPOLICY',
      body: { sel, index: 0, dir: 0 },
      attrs: [
        { type: 'XFRMA_POLICY_TYPE', value: { type: 1, reserved1: 0, reserved2: 0 } },
        { type: 'XFRMA_IF_ID', value: 5 },
      ],
    });
    expect(encodeError(() => rq.policyIdRequest('XFRM_MSG_DELPOLICY', { dir: 0 } as never, 2)).what).toBe('ids[2]');
  });

  test('FLUSHPOLICY names the type only when it is not main; SETDEFAULT sends 0 for an omitted direction', () => {
    expect(rq.flushPoliciesRequest(0)).toEqual({ type: 'XFRM_MSG_FLUSHPOLICY', body: null, attrs: [] });
    expect(rq.flushPoliciesRequest(1)).toEqual({
      type: 'XFRM_MSG_FLUSHPOLICY',
      body: null,
      attrs: [{ type: 'XFRMA_POLICY_TYPE', value: { type: 1, reserved1: 0, reserved2: 0 } }],
    });
    expect(rq.setDefaultPolicyRequest({ out: 1 })).toEqual({ type: 'XFRM_MSG_SETDEFAULT', body: { in: 0, fwd: 0, out: 1 }, attrs: [] });
  });

  test('NEWPOLICY/UPDPOLICY of a completed policy', () => {
    const m = rq.policyWriteRequest({ selector: anyV4Selector, dir: 1, priority: 7, mark: { v: 1, m: 1 } }, true);
    expect(m).toMatchObject({
      type: 'XFRM_MSG_UPDPOLICY',
      body: { sel: anyV4Selector, dir: 1, priority: 7, index: 0, action: 0, share: 0 },
      attrs: [{ type: 'XFRMA_MARK', value: { v: 1, m: 1 } }],
    });
  });
});
