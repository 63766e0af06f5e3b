import { describe, it } from 'vitest';
import { decodeXfrmAddressFilter, encodeXfrmAddressFilter, XFRM_ADDRESS_FILTER_PADDING, XFRM_ADDRESS_FILTER_SIZE, xfrmAddressFilterCodec, } from '../../../src/xfrm/structs/address-filter.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../../helpers/struct-suite.js';
const F = { saddr: '10.0.0.0', daddr: '10.1.0.0', family: 2, splen: 8, dplen: 16 };
structSuite({
    name: 'xfrm_address_filter',
    size: 36,
    sizeConst: XFRM_ADDRESS_FILTER_SIZE,
    codec: xfrmAddressFilterCodec,
    encode: encodeXfrmAddressFilter,
    decode: decodeXfrmAddressFilter,
    // splen 200 is rejected by the kernel (dump ends with EINVAL) but must be encodable.
    samples: [F, { saddr: '2001:db8::', daddr: '::', family: 10, splen: 200, dplen: 0 }],
    padding: XFRM_ADDRESS_FILTER_PADDING,
    expectedPadding: [],
});
describe('xfrm_address_filter bytes', () => {
    it('little-endian host', () => expectBytes(xfrmAddressFilterCodec, F, `
      0a000000 000000000000000000000000 # 0  saddr 10.0.0.0
      0a010000 000000000000000000000000 # 16 daddr 10.1.0.0
      0200                              # 32 family
      08                                # 34 splen
      10                                # 35 dplen
      `, true));
    it('big-endian host', () => expectBytes(xfrmAddressFilterCodec, F, '0a000000 000000000000000000000000 0a010000 000000000000000000000000 0002 08 10', false));
    it('rejects out-of-range fields and bad addresses', () => expectEncodeErrors(xfrmAddressFilterCodec, F, [
        [{ saddr: '10.0.0.0/8' }, 'xfrm_address_filter.saddr'],
        [{ daddr: '10.01.0.0' }, 'xfrm_address_filter.daddr'],
        [{ splen: 256 }, 'xfrm_address_filter.splen'],
        [{ dplen: -1 }, 'xfrm_address_filter.dplen'],
    ]));
});
