import { describe, it } from 'vitest';
import { decodeXfrmLifetimeCur, encodeXfrmLifetimeCur, XFRM_LIFETIME_CUR_PADDING, XFRM_LIFETIME_CUR_SIZE, xfrmLifetimeCurCodec, } from '../../../src/xfrm/structs/lifetime-cur.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { CUR, CUR_LE } from './samples.js';
structSuite({
    name: 'xfrm_lifetime_cur',
    size: 32,
    sizeConst: XFRM_LIFETIME_CUR_SIZE,
    codec: xfrmLifetimeCurCodec,
    encode: encodeXfrmLifetimeCur,
    decode: decodeXfrmLifetimeCur,
    samples: [CUR, { bytes: 0n, packets: 0n, addTime: 0n, useTime: 0xffffffffffffffffn }],
    padding: XFRM_LIFETIME_CUR_PADDING,
    expectedPadding: [],
});
describe('xfrm_lifetime_cur bytes', () => {
    it('little-endian host', () => expectBytes(xfrmLifetimeCurCodec, CUR, CUR_LE, true));
    it('big-endian host', () => expectBytes(xfrmLifetimeCurCodec, CUR, `
      1122334455667788 # 0  bytes
      000000000000002a # 8  packets
      000000006553f100 # 16 add_time
      0000000000000000 # 24 use_time
      `, false));
    it('rejects values outside u64', () => expectEncodeErrors(xfrmLifetimeCurCodec, CUR, [
        [{ bytes: -1n }, 'xfrm_lifetime_cur.bytes'],
        [{ packets: 1n << 64n }, 'xfrm_lifetime_cur.packets'],
        [{ addTime: 1 }, 'xfrm_lifetime_cur.add_time'],
        [{ useTime: undefined }, 'xfrm_lifetime_cur.use_time'],
    ]));
});
