import { describe, expect, it } from 'vitest';
import { decodeXfrmUserpolicyInfo, encodeXfrmUserpolicyInfo, XFRM_USERPOLICY_INFO_PADDING, XFRM_USERPOLICY_INFO_SIZE, xfrmUserpolicyInfoCodec, } from '../../../src/xfrm/structs/userpolicy-info.js';
import { fromHex } from '../../helpers/hex.js';
import { encodeToBytes, expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { POL4, POL4_LE, POL6, SEL4 } from './samples.js';
structSuite({
    name: 'xfrm_userpolicy_info',
    size: 168,
    sizeConst: XFRM_USERPOLICY_INFO_SIZE,
    codec: xfrmUserpolicyInfoCodec,
    encode: encodeXfrmUserpolicyInfo,
    decode: decodeXfrmUserpolicyInfo,
    samples: [POL4, POL6],
    padding: XFRM_USERPOLICY_INFO_PADDING,
    expectedPadding: [
        [45, 48],
        [164, 168],
    ],
});
describe('xfrm_userpolicy_info bytes', () => {
    it('little-endian host (x86_64): 168 bytes', () => {
        expect(fromHex(POL4_LE).length).toBe(168);
        expectBytes(xfrmUserpolicyInfoCodec, POL4, POL4_LE, true);
    });
    it('big-endian host', () => {
        const b = encodeToBytes(xfrmUserpolicyInfoCodec, POL4, false);
        expect([...b.subarray(152, 164)]).toEqual([0, 0, 8, 0x20, 0, 0, 0x10, 1, 1, 0, 1, 0]);
    });
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmUserpolicyInfoCodec, POL4, [
        [{ sel: { ...SEL4, family: -1 } }, 'xfrm_selector.family'],
        [{ priority: 2 ** 32 }, 'xfrm_userpolicy_info.priority'],
        [{ index: -1 }, 'xfrm_userpolicy_info.index'],
        [{ dir: 256 }, 'xfrm_userpolicy_info.dir'],
        [{ action: 256 }, 'xfrm_userpolicy_info.action'],
        [{ flags: 256 }, 'xfrm_userpolicy_info.flags'],
        [{ share: 256 }, 'xfrm_userpolicy_info.share'],
    ]));
});
