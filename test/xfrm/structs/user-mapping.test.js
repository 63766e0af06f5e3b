import { describe, expect, it } from 'vitest';
import { decodeXfrmUserMapping, encodeXfrmUserMapping, XFRM_USER_MAPPING_PADDING, XFRM_USER_MAPPING_SIZE, xfrmUserMappingCodec, } from '../../../src/xfrm/structs/user-mapping.js';
import { decodeBytes, encodeToBytes, expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { SAID4, SAID4_LE, SAID6 } from './samples.js';
const M = { id: SAID4, reqid: 5, oldSaddr: '203.0.113.5', newSaddr: '203.0.113.6', oldSport: 4500, newSport: 61000 };
structSuite({
    name: 'xfrm_user_mapping',
    size: 64,
    sizeConst: XFRM_USER_MAPPING_SIZE,
    codec: xfrmUserMappingCodec,
    encode: encodeXfrmUserMapping,
    decode: decodeXfrmUserMapping,
    samples: [M, { id: SAID6, reqid: 0, oldSaddr: '2001:db8::a', newSaddr: '::', oldSport: 0, newSport: 0xffff }],
    padding: XFRM_USER_MAPPING_PADDING,
    expectedPadding: [[23, 24]],
});
describe('xfrm_user_mapping bytes', () => {
    it('little-endian host: ports big-endian', () => expectBytes(xfrmUserMappingCodec, M, `
      ${SAID4_LE}                       # 0  id
      05000000                          # 24 reqid (host)
      cb007105 000000000000000000000000 # 28 old_saddr 203.0.113.5
      cb007106 000000000000000000000000 # 44 new_saddr 203.0.113.6
      1194                              # 60 old_sport 4500 (BE)
      ee48                              # 62 new_sport 61000 (BE)
      `, true));
    it('big-endian host: ports unchanged, reqid flips', () => {
        const b = encodeToBytes(xfrmUserMappingCodec, M, false);
        expect([...b.subarray(24, 28)]).toEqual([0, 0, 0, 5]);
        expect([...b.subarray(60, 64)]).toEqual([0x11, 0x94, 0xee, 0x48]);
    });
    it('id.family picks the notation of old_saddr/new_saddr', () => {
        const b = encodeToBytes(xfrmUserMappingCodec, M, true);
        b[20] = 10;
        expect(decodeBytes(xfrmUserMappingCodec, b, true).oldSaddr).toBe('cb00:7105::');
    });
    it('rejects out-of-range fields and bad addresses', () => expectEncodeErrors(xfrmUserMappingCodec, M, [
        [{ id: { ...SAID4, family: -1 } }, 'xfrm_usersa_id.family'],
        [{ reqid: 2 ** 32 }, 'xfrm_user_mapping.reqid'],
        [{ oldSaddr: '::g' }, 'xfrm_user_mapping.old_saddr'],
        [{ newSaddr: '' }, 'xfrm_user_mapping.new_saddr'],
        [{ oldSport: 65536 }, 'xfrm_user_mapping.old_sport'],
        [{ newSport: -1 }, 'xfrm_user_mapping.new_sport'],
    ]));
});
