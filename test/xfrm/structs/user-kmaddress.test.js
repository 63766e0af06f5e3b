import { describe, expect, it } from 'vitest';
import { decodeXfrmUserKmaddress, encodeXfrmUserKmaddress, XFRM_USER_KMADDRESS_PADDING, XFRM_USER_KMADDRESS_SIZE, xfrmUserKmaddressCodec, } from '../../../src/xfrm/structs/user-kmaddress.js';
import { decodeBytes, encodeToBytes, expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
const KM = { local: '192.0.2.1', remote: '192.0.2.2', reserved: 0xdeadbeef, family: 2 };
structSuite({
    name: 'xfrm_user_kmaddress',
    size: 40,
    sizeConst: XFRM_USER_KMADDRESS_SIZE,
    codec: xfrmUserKmaddressCodec,
    encode: encodeXfrmUserKmaddress,
    decode: decodeXfrmUserKmaddress,
    samples: [KM, { local: '::1', remote: '::', reserved: 0, family: 10 }],
    padding: XFRM_USER_KMADDRESS_PADDING,
    expectedPadding: [[38, 40]],
});
describe('xfrm_user_kmaddress bytes', () => {
    it('little-endian host', () => expectBytes(xfrmUserKmaddressCodec, KM, `
      c0000201 000000000000000000000000 # 0  local
      c0000202 000000000000000000000000 # 16 remote
      efbeadde                          # 32 reserved (host)
      0200                              # 36 family
      0000                              # 38 tail padding
      `, true));
    it('big-endian host', () => expectBytes(xfrmUserKmaddressCodec, KM, 'c0000201 000000000000000000000000 c0000202 000000000000000000000000 deadbeef 0002 0000', false));
    it('its family picks the address notation', () => {
        const b = encodeToBytes(xfrmUserKmaddressCodec, KM, true);
        b[36] = 10;
        expect(decodeBytes(xfrmUserKmaddressCodec, b, true).local).toBe('c000:201::');
    });
    it('rejects out-of-range fields and bad addresses', () => expectEncodeErrors(xfrmUserKmaddressCodec, KM, [
        [{ local: 'x' }, 'xfrm_user_kmaddress.local'],
        [{ remote: '1::2::3' }, 'xfrm_user_kmaddress.remote'],
        [{ reserved: -1 }, 'xfrm_user_kmaddress.reserved'],
        [{ family: 0x10000 }, 'xfrm_user_kmaddress.family'],
    ]));
});
