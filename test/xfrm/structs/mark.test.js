import { describe, it } from 'vitest';
import { decodeXfrmMark, encodeXfrmMark, XFRM_MARK_PADDING, XFRM_MARK_SIZE, xfrmMarkCodec } from '../../../src/xfrm/structs/mark.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
const MARK = { v: 0x10, m: 0xff };
structSuite({
    name: 'xfrm_mark',
    size: 8,
    sizeConst: XFRM_MARK_SIZE,
    codec: xfrmMarkCodec,
    encode: encodeXfrmMark,
    decode: decodeXfrmMark,
    samples: [MARK, { v: 0xffffffff, m: 0 }],
    padding: XFRM_MARK_PADDING,
    expectedPadding: [],
});
describe('xfrm_mark bytes', () => {
    it('little-endian host', () => expectBytes(xfrmMarkCodec, MARK, `
      10000000 # 0 v
      ff000000 # 4 m
      `, true));
    it('big-endian host', () => expectBytes(xfrmMarkCodec, MARK, '00000010 000000ff', false));
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmMarkCodec, MARK, [
        [{ v: 2 ** 32 }, 'xfrm_mark.v'],
        [{ m: -1 }, 'xfrm_mark.m'],
    ]));
});
