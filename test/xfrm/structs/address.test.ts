import { describe, expect, it } from 'vitest';
import { AF_INET, AF_INET6 } from '../../../src/xfrm/constants.js';
import { decodeXfrmAddress, formatXfrmAddress } from '../../../src/xfrm/structs/address.js';

/** 16 bytes holding the IPv4 address `a` (a host-order u32) in bytes 0–3. */
function v4(a: number): DataView {
  const v = new DataView(new ArrayBuffer(16));
  v.setUint32(0, a >>> 0, false);
  return v;
}

describe('decodeXfrmAddress: IPv4 text from the cache of /24 prefixes', () => {
  it('gives the dotted quad of every address, including prefixes that share a cache slot, in any order', () => {
    // Prefixes whose slots collide (same (key ^ key >>> 8) & 255) read alternately, and
    // neighbours, must each give their own text: the cache never hands out another prefix.
    const addrs: number[] = [];
    for (const key of [0x000000, 0x000101, 0x010001, 0xc61200, 0xc61312, 0xffffff, 0x7f0000, 0x7f007f, 0xc612ff]) {
      for (const last of [0, 1, 9, 10, 99, 100, 254, 255]) addrs.push(key * 256 + last);
    }
    for (let round = 0; round < 3; round++) {
      for (const a of round === 1 ? [...addrs].reverse() : addrs) {
        const text = `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
        expect(decodeXfrmAddress(v4(a), 0, AF_INET)).toBe(text);
        expect(decodeXfrmAddress(v4(a), 0, undefined)).toBe(text);
        const bytes = new Uint8Array(v4(a).buffer);
        expect(formatXfrmAddress(bytes, AF_INET)).toBe(text);
      }
    }
  });

  it('does not use the IPv4 text for AF_INET6 or for bytes 4–15 not zero', () => {
    const v = v4(0xc6120001);
    expect(decodeXfrmAddress(v, 0, AF_INET)).toBe('198.18.0.1');
    expect(decodeXfrmAddress(v, 0, AF_INET6)).toBe('c612:1::');
    v.setUint8(15, 1);
    expect(decodeXfrmAddress(v, 0, AF_INET)).toBe('c612:1::1');
  });
});
