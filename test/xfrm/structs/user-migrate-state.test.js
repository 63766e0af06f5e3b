import { describe, expect, it } from 'vitest';
import { decodeXfrmUserMigrateState, encodeXfrmUserMigrateState, XFRM_USER_MIGRATE_STATE_PADDING, XFRM_USER_MIGRATE_STATE_SIZE, xfrmUserMigrateStateCodec, } from '../../../src/xfrm/structs/user-migrate-state.js';
import { decodeBytes, encodeToBytes, expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { SAID4, SAID4_LE, SAID6, SEL4, SEL4_LE, SEL6 } from './samples.js';
const MS = {
    id: SAID4,
    newDaddr: '192.0.2.10',
    newSaddr: '192.0.2.11',
    oldMark: { v: 0x10, m: 0xff },
    newSel: SEL4,
    newReqid: 12,
    flags: 2,
    newFamily: 2,
    reserved: 0,
};
structSuite({
    name: 'xfrm_user_migrate_state',
    size: 132,
    sizeConst: XFRM_USER_MIGRATE_STATE_SIZE,
    codec: xfrmUserMigrateStateCodec,
    encode: encodeXfrmUserMigrateState,
    decode: decodeXfrmUserMigrateState,
    samples: [
        MS,
        // Rejected by the kernel (reserved ≠ 0, unknown flag, spi 0) but must be encodable.
        { ...MS, id: { ...SAID6, spi: 0 }, newDaddr: '::', newSaddr: '2001:db8::1', newSel: SEL6, flags: 0x80, newFamily: 10, reserved: 1 },
    ],
    padding: XFRM_USER_MIGRATE_STATE_PADDING,
    expectedPadding: [
        [23, 24],
        [109, 112],
    ],
});
describe('xfrm_user_migrate_state bytes', () => {
    it('little-endian host', () => expectBytes(xfrmUserMigrateStateCodec, MS, `
      ${SAID4_LE}                       # 0   id
      c000020a 000000000000000000000000 # 24  new_daddr
      c000020b 000000000000000000000000 # 40  new_saddr
      10000000 ff000000                 # 56  old_mark v, m
      ${SEL4_LE}                        # 64  new_sel
      0c000000                          # 120 new_reqid 12
      02000000                          # 124 flags UPDATE_H2H_SEL
      0200                              # 128 new_family
      0000                              # 130 reserved
      `, true));
    it('new_family picks the notation of new_daddr/new_saddr', () => {
        const b = encodeToBytes(xfrmUserMigrateStateCodec, MS, false);
        b[129] = 10;
        const v = decodeBytes(xfrmUserMigrateStateCodec, b, false);
        expect(v.newDaddr).toBe('c000:20a::');
        expect(v.id.daddr).toBe('10.1.2.3');
    });
    it('rejects out-of-range fields and bad addresses', () => expectEncodeErrors(xfrmUserMigrateStateCodec, MS, [
        [{ id: { ...SAID4, proto: 256 } }, 'xfrm_usersa_id.proto'],
        [{ newDaddr: '::1::' }, 'xfrm_user_migrate_state.new_daddr'],
        [{ newSaddr: '256.0.0.0' }, 'xfrm_user_migrate_state.new_saddr'],
        [{ oldMark: { v: -1, m: 0 } }, 'xfrm_mark.v'],
        [{ newSel: { ...SEL4, sport: 70000 } }, 'xfrm_selector.sport'],
        [{ newReqid: 2 ** 32 }, 'xfrm_user_migrate_state.new_reqid'],
        [{ flags: -1 }, 'xfrm_user_migrate_state.flags'],
        [{ newFamily: 0x10000 }, 'xfrm_user_migrate_state.new_family'],
        [{ reserved: 0x10000 }, 'xfrm_user_migrate_state.reserved'],
    ]));
});
