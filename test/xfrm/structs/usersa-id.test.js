import { describe, it } from 'vitest';
import { decodeXfrmUsersaId, encodeXfrmUsersaId, XFRM_USERSA_ID_PADDING, XFRM_USERSA_ID_SIZE, xfrmUsersaIdCodec, } from '../../../src/xfrm/structs/usersa-id.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { SAID4, SAID4_LE, SAID6, SAID6_LE } from './samples.js';
structSuite({
    name: 'xfrm_usersa_id',
    size: 24,
    sizeConst: XFRM_USERSA_ID_SIZE,
    codec: xfrmUsersaIdCodec,
    encode: encodeXfrmUsersaId,
    decode: decodeXfrmUsersaId,
    samples: [SAID4, SAID6, { daddr: '::ffff:102:304', spi: 1, family: 2, proto: 108 }],
    padding: XFRM_USERSA_ID_PADDING,
    expectedPadding: [[23, 24]],
});
describe('xfrm_usersa_id bytes', () => {
    it('little-endian host', () => {
        expectBytes(xfrmUsersaIdCodec, SAID4, SAID4_LE, true);
        expectBytes(xfrmUsersaIdCodec, SAID6, SAID6_LE, true);
    });
    it('big-endian host: spi stays BE, family flips', () => expectBytes(xfrmUsersaIdCodec, SAID4, `
      0a010203 000000000000000000000000 # 0  daddr
      abcdef01                          # 16 spi (BE)
      0002                              # 20 family (host)
      32                                # 22 proto
      00                                # 23 padding
      `, false));
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmUsersaIdCodec, SAID4, [
        [{ spi: 2 ** 32 }, 'xfrm_usersa_id.spi'],
        [{ family: 0x10000 }, 'xfrm_usersa_id.family'],
        [{ proto: -1 }, 'xfrm_usersa_id.proto'],
        [{ daddr: '' }, 'xfrm_usersa_id.daddr'],
    ]));
});
