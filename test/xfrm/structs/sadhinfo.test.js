import { describe, it } from 'vitest';
import { decodeXfrmuSadhinfo, encodeXfrmuSadhinfo, XFRMU_SADHINFO_PADDING, XFRMU_SADHINFO_SIZE, xfrmuSadhinfoCodec, } from '../../../src/xfrm/structs/sadhinfo.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
const V = { sadhcnt: 8, sadhmcnt: 1048576 };
structSuite({
    name: 'xfrmu_sadhinfo',
    size: 8,
    sizeConst: XFRMU_SADHINFO_SIZE,
    codec: xfrmuSadhinfoCodec,
    encode: encodeXfrmuSadhinfo,
    decode: decodeXfrmuSadhinfo,
    samples: [V],
    padding: XFRMU_SADHINFO_PADDING,
    expectedPadding: [],
});
describe('xfrmu_sadhinfo bytes', () => {
    it('little-endian host', () => expectBytes(xfrmuSadhinfoCodec, V, `
      08000000 # 0 sadhcnt
      00001000 # 4 sadhmcnt 1048576
      `, true));
    it('big-endian host', () => expectBytes(xfrmuSadhinfoCodec, V, '00000008 00100000', false));
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmuSadhinfoCodec, V, [[{ sadhmcnt: -1 }, 'xfrmu_sadhinfo.sadhmcnt']]));
});
