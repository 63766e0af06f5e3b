import { describe, expect, it } from 'vitest';
import { decodeXfrmUserMigrate, encodeXfrmUserMigrate, XFRM_USER_MIGRATE_PADDING, XFRM_USER_MIGRATE_SIZE, xfrmUserMigrateCodec, } from '../../../src/xfrm/structs/user-migrate.js';
import { decodeBytes, encodeToBytes, expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
// IPv4 → IPv6 migration: each address pair takes the notation of its own family.
const MIG = {
    oldDaddr: '192.0.2.1',
    oldSaddr: '192.0.2.2',
    newDaddr: '2001:db8::1',
    newSaddr: '2001:db8::2',
    proto: 50,
    mode: 1,
    reserved: 0x0102,
    reqid: 7,
    oldFamily: 2,
    newFamily: 10,
};
structSuite({
    name: 'xfrm_user_migrate',
    size: 76,
    sizeConst: XFRM_USER_MIGRATE_SIZE,
    codec: xfrmUserMigrateCodec,
    encode: encodeXfrmUserMigrate,
    decode: decodeXfrmUserMigrate,
    samples: [MIG, { ...MIG, newDaddr: '::', newSaddr: '::', oldFamily: 0, newFamily: 10 }],
    padding: XFRM_USER_MIGRATE_PADDING,
    expectedPadding: [],
});
describe('xfrm_user_migrate bytes', () => {
    it('little-endian host', () => expectBytes(xfrmUserMigrateCodec, MIG, `
      c0000201 000000000000000000000000 # 0  old_daddr
      c0000202 000000000000000000000000 # 16 old_saddr
      20010db8000000000000000000000001  # 32 new_daddr
      20010db8000000000000000000000002  # 48 new_saddr
      32                                # 64 proto ESP
      01                                # 65 mode TUNNEL
      0201                              # 66 reserved (host)
      07000000                          # 68 reqid
      0200                              # 72 old_family
      0a00                              # 74 new_family
      `, true));
    it('new_family AF_INET6 shows an all-zero new address as "::"', () => {
        const v = decodeBytes(xfrmUserMigrateCodec, encodeToBytes(xfrmUserMigrateCodec, { ...MIG, newDaddr: '0.0.0.0' }, false), false);
        expect(v.newDaddr).toBe('::');
        expect(v.oldDaddr).toBe('192.0.2.1');
    });
    it('rejects out-of-range fields and bad addresses', () => expectEncodeErrors(xfrmUserMigrateCodec, MIG, [
        [{ oldDaddr: '' }, 'xfrm_user_migrate.old_daddr'],
        [{ newSaddr: '2001:db8::g' }, 'xfrm_user_migrate.new_saddr'],
        [{ proto: 256 }, 'xfrm_user_migrate.proto'],
        [{ reserved: 0x10000 }, 'xfrm_user_migrate.reserved'],
        [{ reqid: -1 }, 'xfrm_user_migrate.reqid'],
        [{ newFamily: -10 }, 'xfrm_user_migrate.new_family'],
    ]));
});
