import { describe, it } from 'vitest';
import { decodeXfrmUserpolicyDefault, encodeXfrmUserpolicyDefault, XFRM_USERPOLICY_DEFAULT_PADDING, XFRM_USERPOLICY_DEFAULT_SIZE, xfrmUserpolicyDefaultCodec, } from '../../../src/xfrm/structs/userpolicy-default.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
const V = { in: 1, fwd: 2, out: 0 };
structSuite({
    name: 'xfrm_userpolicy_default',
    size: 3,
    sizeConst: XFRM_USERPOLICY_DEFAULT_SIZE,
    codec: xfrmUserpolicyDefaultCodec,
    encode: encodeXfrmUserpolicyDefault,
    decode: decodeXfrmUserpolicyDefault,
    samples: [V, { in: 2, fwd: 2, out: 2 }],
    padding: XFRM_USERPOLICY_DEFAULT_PADDING,
    expectedPadding: [],
});
describe('xfrm_userpolicy_default bytes', () => {
    it('three bytes, no padding, on both hosts', () => {
        for (const le of [true, false]) {
            expectBytes(xfrmUserpolicyDefaultCodec, V, `
        01 # 0 in BLOCK
        02 # 1 fwd ACCEPT
        00 # 2 out UNSPEC (leave unchanged)
        `, le);
        }
    });
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmUserpolicyDefaultCodec, V, [
        [{ in: 256 }, 'xfrm_userpolicy_default.in'],
        [{ fwd: -1 }, 'xfrm_userpolicy_default.fwd'],
        [{ out: 0.5 }, 'xfrm_userpolicy_default.out'],
    ]));
});
