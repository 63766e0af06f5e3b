import { describe, it } from 'vitest';
import { decodeNlaBitfield32, encodeNlaBitfield32, NLA_BITFIELD32_PADDING, NLA_BITFIELD32_SIZE, nlaBitfield32Codec, } from '../../src/netlink/nla-bitfield32.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../helpers/struct-suite.js';
const V = { value: 0x1, selector: 0x3 };
structSuite({
    name: 'nla_bitfield32',
    size: 8,
    sizeConst: NLA_BITFIELD32_SIZE,
    codec: nlaBitfield32Codec,
    encode: encodeNlaBitfield32,
    decode: decodeNlaBitfield32,
    samples: [V, { value: 0xffffffff, selector: 0 }],
    padding: NLA_BITFIELD32_PADDING,
    expectedPadding: [],
});
describe('nla_bitfield32 bytes', () => {
    it('little-endian host', () => expectBytes(nlaBitfield32Codec, V, `
      01000000 # 0 value
      03000000 # 4 selector
      `, true));
    it('big-endian host', () => expectBytes(nlaBitfield32Codec, V, '00000001 00000003', false));
    it('rejects out-of-range fields', () => expectEncodeErrors(nlaBitfield32Codec, V, [
        [{ value: 2 ** 32 }, 'nla_bitfield32.value'],
        [{ selector: -1 }, 'nla_bitfield32.selector'],
    ]));
});
