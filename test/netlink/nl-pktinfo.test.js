import { describe, it } from 'vitest';
import { decodeNlPktinfo, encodeNlPktinfo, NL_PKTINFO_PADDING, NL_PKTINFO_SIZE, nlPktinfoCodec, } from '../../src/netlink/nl-pktinfo.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../helpers/struct-suite.js';
structSuite({
    name: 'nl_pktinfo',
    size: 4,
    sizeConst: NL_PKTINFO_SIZE,
    codec: nlPktinfoCodec,
    encode: encodeNlPktinfo,
    decode: decodeNlPktinfo,
    samples: [{ group: 5 }, { group: 0 }, { group: 0xffffffff }],
    padding: NL_PKTINFO_PADDING,
    expectedPadding: [],
});
describe('nl_pktinfo bytes', () => {
    it('little-endian host', () => expectBytes(nlPktinfoCodec, { group: 5 }, '05000000 # 0 group XFRMNLGRP_AEVENTS', true));
    it('big-endian host', () => expectBytes(nlPktinfoCodec, { group: 5 }, '00000005', false));
    it('rejects out-of-range fields', () => expectEncodeErrors(nlPktinfoCodec, { group: 1 }, [[{ group: -1 }, 'nl_pktinfo.group']]));
});
