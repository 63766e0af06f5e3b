/**
 * Sample values shared by the struct tests, each with its hand-written encoding on a
 * little-endian (x86_64) host, one field per line. Offsets in the comments are from
 * XFRM-ABI.md §2 (relative to the struct).
 */
import { AF_INET, AF_INET6, XFRM_INF } from '../../../src/xfrm/constants.js';
export const SEL4 = {
    daddr: '192.0.2.1',
    saddr: '198.51.100.7',
    dport: 443,
    dportMask: 0xffff,
    sport: 0x1234,
    sportMask: 0xff00,
    family: AF_INET,
    prefixlenD: 32,
    prefixlenS: 24,
    proto: 6,
    ifindex: -2,
    user: 1000,
};
export const SEL4_LE = `
  c0000201 000000000000000000000000 # 0  daddr 192.0.2.1
  c6336407 000000000000000000000000 # 16 saddr 198.51.100.7
  01bb                              # 32 dport 443 (BE)
  ffff                              # 34 dport_mask (BE)
  1234                              # 36 sport 0x1234 (BE)
  ff00                              # 38 sport_mask 0xff00 (BE)
  0200                              # 40 family AF_INET (host)
  20                                # 42 prefixlen_d 32
  18                                # 43 prefixlen_s 24
  06                                # 44 proto TCP
  000000                            # 45 padding
  feffffff                          # 48 ifindex -2 (host, signed)
  e8030000                          # 52 user 1000 (host)
`;
export const SEL6 = {
    daddr: '2001:db8::1',
    saddr: 'fe80::abcd:1',
    dport: 0,
    dportMask: 0,
    sport: 128,
    sportMask: 0xffff,
    family: AF_INET6,
    prefixlenD: 128,
    prefixlenS: 64,
    proto: 58,
    ifindex: 7,
    user: 0,
};
export const SEL6_LE = `
  20010db8000000000000000000000001 # 0  daddr 2001:db8::1
  fe8000000000000000000000abcd0001 # 16 saddr fe80::abcd:1
  0000                             # 32 dport
  0000                             # 34 dport_mask
  0080                             # 36 sport 128 = ICMPv6 echo request type (BE)
  ffff                             # 38 sport_mask
  0a00                             # 40 family AF_INET6
  80                               # 42 prefixlen_d 128
  40                               # 43 prefixlen_s 64
  3a                               # 44 proto ICMPv6
  000000                           # 45 padding
  07000000                         # 48 ifindex 7
  00000000                         # 52 user 0
`;
export const ID4 = { daddr: '192.0.2.1', spi: 0x12345678, proto: 50 };
export const ID4_LE = `
  c0000201 000000000000000000000000 # 0  daddr 192.0.2.1
  12345678                          # 16 spi (BE on every host)
  32                                # 20 proto ESP
  000000                            # 21 padding
`;
export const ID6 = { daddr: '2001:db8::2', spi: 0xc0ffee01, proto: 51 };
export const ID6_LE = `
  20010db8000000000000000000000002 # 0  daddr 2001:db8::2
  c0ffee01                         # 16 spi (BE)
  33                               # 20 proto AH
  000000                           # 21 padding
`;
export const LFT = {
    softByteLimit: XFRM_INF,
    hardByteLimit: 0x0102030405060708n,
    softPacketLimit: 1000n,
    hardPacketLimit: XFRM_INF,
    softAddExpiresSeconds: 0n,
    hardAddExpiresSeconds: 3600n,
    softUseExpiresSeconds: 1n,
    hardUseExpiresSeconds: XFRM_INF,
};
export const LFT_LE = `
  ffffffffffffffff # 0  soft_byte_limit XFRM_INF
  0807060504030201 # 8  hard_byte_limit 0x0102030405060708
  e803000000000000 # 16 soft_packet_limit 1000
  ffffffffffffffff # 24 hard_packet_limit XFRM_INF
  0000000000000000 # 32 soft_add_expires_seconds 0
  100e000000000000 # 40 hard_add_expires_seconds 3600
  0100000000000000 # 48 soft_use_expires_seconds 1
  ffffffffffffffff # 56 hard_use_expires_seconds XFRM_INF
`;
export const CUR = {
    bytes: 0x1122334455667788n,
    packets: 42n,
    addTime: 1700000000n,
    useTime: 0n,
};
export const CUR_LE = `
  8877665544332211 # 0  bytes
  2a00000000000000 # 8  packets 42
  00f1536500000000 # 16 add_time 1700000000
  0000000000000000 # 24 use_time 0 (never used)
`;
export const STATS = { replayWindow: 1, replay: 0x100, integrityFailed: 0xdeadbeef };
export const STATS_LE = `
  01000000 # 0 replay_window
  00010000 # 4 replay 0x100
  efbeadde # 8 integrity_failed 0xdeadbeef
`;
export const SAID4 = { daddr: '10.1.2.3', spi: 0xabcdef01, family: AF_INET, proto: 50 };
export const SAID4_LE = `
  0a010203 000000000000000000000000 # 0  daddr 10.1.2.3
  abcdef01                          # 16 spi (BE)
  0200                              # 20 family AF_INET (host)
  32                                # 22 proto ESP
  00                                # 23 padding
`;
export const SAID6 = { daddr: '2001:db8::5', spi: 0x100, family: AF_INET6, proto: 255 };
export const SAID6_LE = `
  20010db8000000000000000000000005 # 0  daddr 2001:db8::5
  00000100                         # 16 spi 0x100 (BE)
  0a00                             # 20 family AF_INET6
  ff                               # 22 proto IPSEC_PROTO_ANY
  00                               # 23 padding
`;
export const SA4 = {
    sel: SEL4,
    id: ID4,
    saddr: '198.51.100.7',
    lft: LFT,
    curlft: CUR,
    stats: STATS,
    seq: 77,
    reqid: 9,
    family: AF_INET,
    mode: 1,
    replayWindow: 32,
    flags: 0x81,
};
export const SA4_LE = `
  ${SEL4_LE}                        # 0   sel
  ${ID4_LE}                         # 56  id
  c6336407 000000000000000000000000 # 80  saddr 198.51.100.7
  ${LFT_LE}                         # 96  lft
  ${CUR_LE}                         # 160 curlft
  ${STATS_LE}                       # 192 stats
  4d000000                          # 204 seq 77 (ACQUIRE seq, host)
  09000000                          # 208 reqid 9
  0200                              # 212 family AF_INET
  01                                # 214 mode TUNNEL
  20                                # 215 replay_window 32
  81                                # 216 flags NOECN|ESN
  00000000000000                    # 217 tail padding (x86_64)
`;
export const SA6 = {
    sel: SEL6,
    id: ID6,
    saddr: '2001:db8::3',
    lft: LFT,
    curlft: CUR,
    stats: STATS,
    seq: 0,
    reqid: 0xffffffff,
    family: AF_INET6,
    mode: 0,
    replayWindow: 0,
    flags: 0,
};
export const POL4 = {
    sel: SEL4,
    lft: LFT,
    curlft: CUR,
    priority: 2080,
    index: 0x1001,
    dir: 1,
    action: 0,
    flags: 1,
    share: 0,
};
export const POL4_LE = `
  ${SEL4_LE}   # 0   sel
  ${LFT_LE}    # 56  lft
  ${CUR_LE}    # 120 curlft
  20080000     # 152 priority 2080
  01100000     # 156 index 0x1001
  01           # 160 dir OUT
  00           # 161 action ALLOW
  01           # 162 flags LOCALOK
  00           # 163 share
  00000000     # 164 tail padding (x86_64)
`;
export const POL6 = {
    sel: SEL6,
    lft: LFT,
    curlft: CUR,
    priority: 0,
    index: 0,
    dir: 2,
    action: 1,
    flags: 6,
    share: 3,
};
