import { describe, it } from 'vitest';
import { decodeXfrmUsersaFlush, encodeXfrmUsersaFlush, XFRM_USERSA_FLUSH_PADDING, XFRM_USERSA_FLUSH_SIZE, xfrmUsersaFlushCodec, } from '../../../src/xfrm/structs/usersa-flush.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
structSuite({
    name: 'xfrm_usersa_flush',
    size: 1,
    sizeConst: XFRM_USERSA_FLUSH_SIZE,
    codec: xfrmUsersaFlushCodec,
    encode: encodeXfrmUsersaFlush,
    decode: decodeXfrmUsersaFlush,
    samples: [{ proto: 0 }, { proto: 255 }, { proto: 50 }],
    padding: XFRM_USERSA_FLUSH_PADDING,
    expectedPadding: [],
});
describe('xfrm_usersa_flush bytes', () => {
    it('one byte on both hosts', () => {
        expectBytes(xfrmUsersaFlushCodec, { proto: 255 }, 'ff # 0 proto IPSEC_PROTO_ANY', true);
        expectBytes(xfrmUsersaFlushCodec, { proto: 255 }, 'ff # 0 proto IPSEC_PROTO_ANY', false);
    });
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmUsersaFlushCodec, { proto: 0 }, [[{ proto: 256 }, 'xfrm_usersa_flush.proto']]));
});
