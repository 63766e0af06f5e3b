import { describe, expect, it } from 'vitest';
import { AF_INET } from '../../../src/xfrm/constants.js';
import { decodeXfrmId, encodeXfrmId, XFRM_ID_PADDING, XFRM_ID_SIZE, xfrmIdCodec } from '../../../src/xfrm/structs/id.js';
import { fromHex } from '../../helpers/hex.js';
import { expectBytes, expectEncodeErrors, structSuite, viewOfBytes } from '../../helpers/struct-suite.js';
import { ID4, ID4_LE, ID6, ID6_LE } from './samples.js';
structSuite({
    name: 'xfrm_id',
    size: 24,
    sizeConst: XFRM_ID_SIZE,
    codec: xfrmIdCodec,
    encode: encodeXfrmId,
    decode: decodeXfrmId,
    samples: [ID4, ID6, { daddr: '0.0.0.0', spi: 0, proto: 0 }, { daddr: '::2', spi: 0xffffffff, proto: 255 }],
    padding: XFRM_ID_PADDING,
    expectedPadding: [[21, 24]],
});
describe('xfrm_id bytes', () => {
    it('spi 0x12345678 is 12 34 56 78 at offset 16 on both hosts', () => {
        expectBytes(xfrmIdCodec, ID4, ID4_LE, true);
        expectBytes(xfrmIdCodec, ID4, ID4_LE, false);
        expectBytes(xfrmIdCodec, ID6, ID6_LE, true);
        expectBytes(xfrmIdCodec, ID6, ID6_LE, false);
    });
    it('without a family hint IPv4-shaped bytes print as IPv4; AF_INET6 forces IPv6 notation', () => {
        const b = fromHex(ID4_LE);
        expect(decodeXfrmId(viewOfBytes(b), 0, true).daddr).toBe('192.0.2.1');
        expect(decodeXfrmId(viewOfBytes(b), 0, true, 10).daddr).toBe('c000:201::');
        expect(decodeXfrmId(viewOfBytes(b), 0, true, AF_INET).daddr).toBe('192.0.2.1');
    });
    it('rejects out-of-range fields and bad addresses', () => expectEncodeErrors(xfrmIdCodec, ID4, [
        [{ spi: 0x100000000 }, 'xfrm_id.spi'],
        [{ spi: -1 }, 'xfrm_id.spi'],
        [{ spi: 1.5 }, 'xfrm_id.spi'],
        [{ proto: 256 }, 'xfrm_id.proto'],
        [{ daddr: '1.2.3' }, 'xfrm_id.daddr'],
        [{ daddr: 42 }, 'xfrm_id.daddr'],
    ]));
});
