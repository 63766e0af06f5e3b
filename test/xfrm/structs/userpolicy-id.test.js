import { describe, it } from 'vitest';
import { decodeXfrmUserpolicyId, encodeXfrmUserpolicyId, XFRM_USERPOLICY_ID_PADDING, XFRM_USERPOLICY_ID_SIZE, xfrmUserpolicyIdCodec, } from '../../../src/xfrm/structs/userpolicy-id.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { SEL4, SEL4_LE, SEL6 } from './samples.js';
const PID = { sel: SEL4, index: 0x1001, dir: 1 };
structSuite({
    name: 'xfrm_userpolicy_id',
    size: 64,
    sizeConst: XFRM_USERPOLICY_ID_SIZE,
    codec: xfrmUserpolicyIdCodec,
    encode: encodeXfrmUserpolicyId,
    decode: decodeXfrmUserpolicyId,
    samples: [PID, { sel: SEL6, index: 0, dir: 2 }],
    padding: XFRM_USERPOLICY_ID_PADDING,
    expectedPadding: [
        [45, 48],
        [61, 64],
    ],
});
describe('xfrm_userpolicy_id bytes', () => {
    it('little-endian host', () => expectBytes(xfrmUserpolicyIdCodec, PID, `
      ${SEL4_LE} # 0  sel
      01100000   # 56 index 0x1001 (host)
      01         # 60 dir OUT
      000000     # 61 tail padding
      `, true));
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmUserpolicyIdCodec, PID, [
        [{ index: 2 ** 32 }, 'xfrm_userpolicy_id.index'],
        [{ dir: -1 }, 'xfrm_userpolicy_id.dir'],
        [{ sel: { ...SEL4, saddr: '::1::' } }, 'xfrm_selector.saddr'],
    ]));
});
