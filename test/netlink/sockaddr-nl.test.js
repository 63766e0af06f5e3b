import { describe, it } from 'vitest';
import { decodeSockaddrNl, encodeSockaddrNl, SOCKADDR_NL_PADDING, SOCKADDR_NL_SIZE, sockaddrNlCodec, } from '../../src/netlink/sockaddr-nl.js';
import { expectBytes, expectEncodeErrors, structSuite } from '../helpers/struct-suite.js';
// bind() to the XFRM SA and POLICY groups with the legacy bitmask (groups 3 and 4 → bits 2 and 3).
const SA = { nlFamily: 16, nlPad: 0, nlPid: 0x1234, nlGroups: 0x4 | 0x8 };
structSuite({
    name: 'sockaddr_nl',
    size: 12,
    sizeConst: SOCKADDR_NL_SIZE,
    codec: sockaddrNlCodec,
    encode: encodeSockaddrNl,
    decode: decodeSockaddrNl,
    samples: [SA, { nlFamily: 0xffff, nlPad: 0xffff, nlPid: 0xffffffff, nlGroups: 0xffffffff }],
    padding: SOCKADDR_NL_PADDING,
    expectedPadding: [],
});
describe('sockaddr_nl bytes', () => {
    it('little-endian host', () => expectBytes(sockaddrNlCodec, SA, `
      1000     # 0 nl_family AF_NETLINK
      0000     # 2 nl_pad
      34120000 # 4 nl_pid
      0c000000 # 8 nl_groups
      `, true));
    it('big-endian host', () => expectBytes(sockaddrNlCodec, SA, '0010 0000 00001234 0000000c', false));
    it('rejects out-of-range fields', () => expectEncodeErrors(sockaddrNlCodec, SA, [
        [{ nlFamily: 0x10000 }, 'sockaddr_nl.nl_family'],
        [{ nlPad: -1 }, 'sockaddr_nl.nl_pad'],
        [{ nlPid: 2 ** 32 }, 'sockaddr_nl.nl_pid'],
        [{ nlGroups: 1.5 }, 'sockaddr_nl.nl_groups'],
    ]));
});
