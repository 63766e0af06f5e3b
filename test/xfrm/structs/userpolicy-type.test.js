import { describe, it } from 'vitest';
import { decodeXfrmUserpolicyType, encodeXfrmUserpolicyType, XFRM_USERPOLICY_TYPE_PADDING, XFRM_USERPOLICY_TYPE_SIZE, xfrmUserpolicyTypeCodec, } from '../../../src/xfrm/structs/userpolicy-type.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
const V = { type: 1, reserved1: 0x0102, reserved2: 3 };
structSuite({
    name: 'xfrm_userpolicy_type',
    size: 6,
    sizeConst: XFRM_USERPOLICY_TYPE_SIZE,
    codec: xfrmUserpolicyTypeCodec,
    encode: encodeXfrmUserpolicyType,
    decode: decodeXfrmUserpolicyType,
    samples: [V, { type: 0, reserved1: 0, reserved2: 0 }],
    padding: XFRM_USERPOLICY_TYPE_PADDING,
    expectedPadding: [
        [1, 2],
        [5, 6],
    ],
});
describe('xfrm_userpolicy_type bytes', () => {
    it('little-endian host', () => expectBytes(xfrmUserpolicyTypeCodec, V, `
      01   # 0 type SUB
      00   # 1 padding
      0201 # 2 reserved1 (host)
      03   # 4 reserved2
      00   # 5 tail padding
      `, true));
    it('big-endian host', () => expectBytes(xfrmUserpolicyTypeCodec, V, '01 00 0102 03 00', false));
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmUserpolicyTypeCodec, V, [
        [{ type: 256 }, 'xfrm_userpolicy_type.type'],
        [{ reserved1: 0x10000 }, 'xfrm_userpolicy_type.reserved1'],
        [{ reserved2: -1 }, 'xfrm_userpolicy_type.reserved2'],
    ]));
});
