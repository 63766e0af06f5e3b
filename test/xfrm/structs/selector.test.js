import { describe, expect, it } from 'vitest';
import { decodeXfrmSelector, encodeXfrmSelector, XFRM_SELECTOR_PADDING, XFRM_SELECTOR_SIZE, xfrmSelectorCodec, } from '../../../src/xfrm/structs/selector.js';
import { encodeToBytes, expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { SEL4, SEL4_LE, SEL6, SEL6_LE } from './samples.js';
structSuite({
    name: 'xfrm_selector',
    size: 56,
    sizeConst: XFRM_SELECTOR_SIZE,
    codec: xfrmSelectorCodec,
    encode: encodeXfrmSelector,
    decode: decodeXfrmSelector,
    samples: [SEL4, SEL6, { ...SEL4, family: 0, daddr: '0.0.0.0', saddr: '::1' }],
    padding: XFRM_SELECTOR_PADDING,
    expectedPadding: [[45, 48]],
});
describe('xfrm_selector bytes', () => {
    it('little-endian host', () => {
        expectBytes(xfrmSelectorCodec, SEL4, SEL4_LE, true);
        expectBytes(xfrmSelectorCodec, SEL6, SEL6_LE, true);
    });
    it('big-endian host: ports stay BE, family/ifindex/user flip', () => {
        expectBytes(xfrmSelectorCodec, SEL4, `
      c0000201 000000000000000000000000 # 0  daddr
      c6336407 000000000000000000000000 # 16 saddr
      01bb                              # 32 dport 443 (BE, same as on LE hosts)
      ffff                              # 34 dport_mask
      1234                              # 36 sport (BE)
      ff00                              # 38 sport_mask (BE)
      0002                              # 40 family AF_INET (host = BE here)
      20 18 06                          # 42 prefixlen_d, prefixlen_s, proto
      000000                            # 45 padding
      fffffffe                          # 48 ifindex -2 (host)
      000003e8                          # 52 user 1000 (host)
      `, false);
    });
    it('an IPv6 address with family AF_INET keeps all 16 bytes', () => {
        const v = { ...SEL4, daddr: '::ffff:192.0.2.1' };
        const back = xfrmSelectorCodec.decode(new DataView(encodeToBytes(xfrmSelectorCodec, v, true).buffer), 0, 56, true);
        expect(back.daddr).toBe('::ffff:c000:201');
    });
    it('rejects out-of-range fields and bad addresses', () => {
        expectEncodeErrors(xfrmSelectorCodec, SEL4, [
            [{ dport: 0x10000 }, 'xfrm_selector.dport'],
            [{ sportMask: -1 }, 'xfrm_selector.sport_mask'],
            [{ prefixlenD: 256 }, 'xfrm_selector.prefixlen_d'],
            [{ ifindex: 0x80000000 }, 'xfrm_selector.ifindex'],
            [{ daddr: '300.1.1.1' }, 'xfrm_selector.daddr'],
            [{ saddr: 'fe80::1%eth0' }, 'xfrm_selector.saddr'],
        ]);
    });
});
