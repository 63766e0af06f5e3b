import { describe, it } from 'vitest';
import { decodeXfrmuSpdhthresh, encodeXfrmuSpdhthresh, XFRMU_SPDHTHRESH_PADDING, XFRMU_SPDHTHRESH_SIZE, xfrmuSpdhthreshCodec, } from '../../../src/xfrm/structs/spdhthresh.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
const V = { lbits: 32, rbits: 24 };
structSuite({
    name: 'xfrmu_spdhthresh',
    size: 2,
    sizeConst: XFRMU_SPDHTHRESH_SIZE,
    codec: xfrmuSpdhthreshCodec,
    encode: encodeXfrmuSpdhthresh,
    decode: decodeXfrmuSpdhthresh,
    // 200 > 128: the kernel rejects it, the codec must still build it.
    samples: [V, { lbits: 200, rbits: 0 }],
    padding: XFRMU_SPDHTHRESH_PADDING,
    expectedPadding: [],
});
describe('xfrmu_spdhthresh bytes', () => {
    it('the same on both hosts', () => {
        for (const le of [true, false]) {
            expectBytes(xfrmuSpdhthreshCodec, V, `
        20 # 0 lbits 32
        18 # 1 rbits 24
        `, le);
        }
    });
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmuSpdhthreshCodec, V, [
        [{ lbits: 256 }, 'xfrmu_spdhthresh.lbits'],
        [{ rbits: -1 }, 'xfrmu_spdhthresh.rbits'],
    ]));
});
