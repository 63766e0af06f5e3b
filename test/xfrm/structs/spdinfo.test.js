import { describe, it } from 'vitest';
import { decodeXfrmuSpdinfo, encodeXfrmuSpdinfo, XFRMU_SPDINFO_PADDING, XFRMU_SPDINFO_SIZE, xfrmuSpdinfoCodec, } from '../../../src/xfrm/structs/spdinfo.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
const V = { incnt: 1, outcnt: 2, fwdcnt: 3, inscnt: 4, outscnt: 5, fwdscnt: 0xffffffff };
structSuite({
    name: 'xfrmu_spdinfo',
    size: 24,
    sizeConst: XFRMU_SPDINFO_SIZE,
    codec: xfrmuSpdinfoCodec,
    encode: encodeXfrmuSpdinfo,
    decode: decodeXfrmuSpdinfo,
    samples: [V],
    padding: XFRMU_SPDINFO_PADDING,
    expectedPadding: [],
});
describe('xfrmu_spdinfo bytes', () => {
    it('little-endian host', () => expectBytes(xfrmuSpdinfoCodec, V, `
      01000000 # 0  incnt
      02000000 # 4  outcnt
      03000000 # 8  fwdcnt
      04000000 # 12 inscnt
      05000000 # 16 outscnt
      ffffffff # 20 fwdscnt
      `, true));
    it('big-endian host', () => expectBytes(xfrmuSpdinfoCodec, V, '00000001 00000002 00000003 00000004 00000005 ffffffff', false));
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmuSpdinfoCodec, V, [
        [{ incnt: -1 }, 'xfrmu_spdinfo.incnt'],
        [{ fwdscnt: 2 ** 32 }, 'xfrmu_spdinfo.fwdscnt'],
    ]));
});
