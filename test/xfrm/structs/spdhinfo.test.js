import { describe, it } from 'vitest';
import { decodeXfrmuSpdhinfo, encodeXfrmuSpdhinfo, XFRMU_SPDHINFO_PADDING, XFRMU_SPDHINFO_SIZE, xfrmuSpdhinfoCodec, } from '../../../src/xfrm/structs/spdhinfo.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
const V = { spdhcnt: 16, spdhmcnt: 0x100000 };
structSuite({
    name: 'xfrmu_spdhinfo',
    size: 8,
    sizeConst: XFRMU_SPDHINFO_SIZE,
    codec: xfrmuSpdhinfoCodec,
    encode: encodeXfrmuSpdhinfo,
    decode: decodeXfrmuSpdhinfo,
    samples: [V],
    padding: XFRMU_SPDHINFO_PADDING,
    expectedPadding: [],
});
describe('xfrmu_spdhinfo bytes', () => {
    it('little-endian host', () => expectBytes(xfrmuSpdhinfoCodec, V, `
      10000000 # 0 spdhcnt
      00001000 # 4 spdhmcnt
      `, true));
    it('big-endian host', () => expectBytes(xfrmuSpdhinfoCodec, V, '00000010 00100000', false));
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmuSpdhinfoCodec, V, [[{ spdhcnt: 1.5 }, 'xfrmu_spdhinfo.spdhcnt']]));
});
