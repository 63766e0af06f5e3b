import { describe, it } from 'vitest';
import { decodeXfrmUserOffload, encodeXfrmUserOffload, XFRM_USER_OFFLOAD_PADDING, XFRM_USER_OFFLOAD_SIZE, xfrmUserOffloadCodec, } from '../../../src/xfrm/structs/user-offload.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
const V = { ifindex: 3, flags: 6 };
structSuite({
    name: 'xfrm_user_offload',
    size: 8,
    sizeConst: XFRM_USER_OFFLOAD_SIZE,
    codec: xfrmUserOffloadCodec,
    encode: encodeXfrmUserOffload,
    decode: decodeXfrmUserOffload,
    samples: [V, { ifindex: -1, flags: 0 }, { ifindex: 0x7fffffff, flags: 255 }],
    padding: XFRM_USER_OFFLOAD_PADDING,
    expectedPadding: [[5, 8]],
});
describe('xfrm_user_offload bytes', () => {
    it('little-endian host', () => expectBytes(xfrmUserOffloadCodec, V, `
      03000000 # 0 ifindex 3 (signed, host)
      06       # 4 flags INBOUND|PACKET
      000000   # 5 tail padding
      `, true));
    it('big-endian host', () => expectBytes(xfrmUserOffloadCodec, { ifindex: -2, flags: 1 }, 'fffffffe 01 000000', false));
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmUserOffloadCodec, V, [
        [{ ifindex: 0x80000000 }, 'xfrm_user_offload.ifindex'],
        [{ ifindex: -0x80000001 }, 'xfrm_user_offload.ifindex'],
        [{ flags: 256 }, 'xfrm_user_offload.flags'],
    ]));
});
