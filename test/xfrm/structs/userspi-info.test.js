import { describe, expect, it } from 'vitest';
import { decodeXfrmUserspiInfo, encodeXfrmUserspiInfo, XFRM_USERSPI_INFO_PADDING, XFRM_USERSPI_INFO_SIZE, xfrmUserspiInfoCodec, } from '../../../src/xfrm/structs/userspi-info.js';
import { fromHex } from '../../helpers/hex.js';
import { encodeToBytes, expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
import { SA4, SA4_LE, SA6 } from './samples.js';
// ALLOCSPI with min = max = 0x12345678, as in the live probe of XFRM-ABI.md §1.1.
const SPI = { info: SA4, min: 0x12345678, max: 0x12345678 };
structSuite({
    name: 'xfrm_userspi_info',
    size: 232,
    sizeConst: XFRM_USERSPI_INFO_SIZE,
    codec: xfrmUserspiInfoCodec,
    encode: encodeXfrmUserspiInfo,
    decode: decodeXfrmUserspiInfo,
    // min > max is rejected by the kernel but must be encodable.
    samples: [SPI, { info: SA6, min: 0x100, max: 0xffff }, { info: SA6, min: 5, max: 1 }],
    padding: XFRM_USERSPI_INFO_PADDING,
    expectedPadding: [
        [45, 48],
        [77, 80],
        [217, 224],
    ],
});
describe('xfrm_userspi_info bytes', () => {
    it('little-endian host: min/max are HOST order', () => expectBytes(xfrmUserspiInfoCodec, SPI, `
      ${SA4_LE} # 0   info (224 bytes on x86_64)
      78563412  # 224 min 0x12345678 (host = LE, NOT big-endian)
      78563412  # 228 max
      `, true));
    it('big-endian host: min/max bytes differ from the LE host', () => {
        const le = encodeToBytes(xfrmUserspiInfoCodec, SPI, true);
        const be = encodeToBytes(xfrmUserspiInfoCodec, SPI, false);
        expect([...be.subarray(224, 232)]).toEqual([0x12, 0x34, 0x56, 0x78, 0x12, 0x34, 0x56, 0x78]);
        expect([...le.subarray(224, 228)]).toEqual([0x78, 0x56, 0x34, 0x12]);
        // ...while the SPI inside info.id is big-endian on both.
        expect([...be.subarray(72, 76)]).toEqual([...le.subarray(72, 76)]);
        expect(fromHex(SA4_LE).length + 8).toBe(232);
    });
    it('rejects out-of-range fields', () => expectEncodeErrors(xfrmUserspiInfoCodec, SPI, [
        [{ min: -1 }, 'xfrm_userspi_info.min'],
        [{ max: 2 ** 32 }, 'xfrm_userspi_info.max'],
        [{ info: { ...SA4, mode: -1 } }, 'xfrm_usersa_info.mode'],
    ]));
});
