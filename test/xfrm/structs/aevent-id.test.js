import { describe, expect, it } from 'vitest';
import { decodeXfrmAeventId, encodeXfrmAeventId, XFRM_AEVENT_ID_PADDING, XFRM_AEVENT_ID_SIZE, xfrmAeventIdCodec, } from '../../../src/xfrm/structs/aevent-id.js';
import { decodeBytes, encodeToBytes, expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { SAID4, SAID4_LE, SAID6 } from './samples.js';
const AE = { saId: SAID4, saddr: '10.9.8.7', flags: 1 | 8, reqid: 9 };
structSuite({
    name: 'xfrm_aevent_id',
    size: 48,
    sizeConst: XFRM_AEVENT_ID_SIZE,
    codec: xfrmAeventIdCodec,
    encode: encodeXfrmAeventId,
    decode: decodeXfrmAeventId,
    samples: [AE, { saId: SAID6, saddr: '::', flags: 64, reqid: 0 }],
    padding: XFRM_AEVENT_ID_PADDING,
    expectedPadding: [[23, 24]],
});
describe('xfrm_aevent_id bytes', () => {
    it('little-endian host', () => expectBytes(xfrmAeventIdCodec, AE, `
      ${SAID4_LE}                       # 0  sa_id
      0a090807 000000000000000000000000 # 24 saddr
      09000000                          # 40 flags RTHR|ETHR (host)
      09000000                          # 44 reqid (host)
      `, true));
    it('big-endian host', () => {
        const b = encodeToBytes(xfrmAeventIdCodec, AE, false);
        expect([...b.subarray(16, 24)]).toEqual([0xab, 0xcd, 0xef, 0x01, 0, 2, 50, 0]);
        expect([...b.subarray(40, 48)]).toEqual([0, 0, 0, 9, 0, 0, 0, 9]);
    });
    it('sa_id.family picks the notation of saddr', () => {
        const b = encodeToBytes(xfrmAeventIdCodec, AE, true);
        b[20] = 10;
        expect(decodeBytes(xfrmAeventIdCodec, b, true).saddr).toBe('a09:807::');
    });
    it('rejects out-of-range fields and bad addresses', () => expectEncodeErrors(xfrmAeventIdCodec, AE, [
        [{ saId: { ...SAID4, spi: -1 } }, 'xfrm_usersa_id.spi'],
        [{ saddr: 'nope' }, 'xfrm_aevent_id.saddr'],
        [{ flags: 2 ** 32 }, 'xfrm_aevent_id.flags'],
        [{ reqid: -1 }, 'xfrm_aevent_id.reqid'],
    ]));
});
