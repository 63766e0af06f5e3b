/**
 * The CLI's argument parsers are pure: each test builds the request a command line produces
 * and compares it with the XfrmStateInput / XfrmPolicyInput / id / filter expected.
 */
import { describe, expect, test } from 'vitest';
import { anySelector, unlimitedLifetime } from '../../src/client/state.js';
import { template } from '../../src/client/policy.js';
import { AF_INET, AF_INET6, IPPROTO_AH, IPPROTO_COMP, IPPROTO_ESP, IPPROTO_ICMP, IPPROTO_TCP, IPSEC_PROTO_ANY, TCP_ENCAP_ESPINTCP, UDP_ENCAP_ESPINUDP, XFRM_INF, XFRM_MODE_BEET, XFRM_MODE_TRANSPORT, XFRM_MODE_TUNNEL, XFRM_POLICY_BLOCK, XFRM_POLICY_FWD, XFRM_POLICY_ICMP, XFRM_POLICY_IN, XFRM_POLICY_LOCALOK, XFRM_POLICY_OUT, XFRM_POLICY_TYPE_MAIN, XFRM_POLICY_TYPE_SUB, XFRM_SA_DIR_IN, XFRM_SA_DIR_OUT, XFRM_SA_XFLAG_OSEQ_MAY_WRAP, XFRM_STATE_ESN, XFRM_STATE_NOECN, XFRM_STATE_NOPMTUDISC, XFRM_USERPOLICY_ACCEPT, XFRM_USERPOLICY_BLOCK, } from '../../src/xfrm/index.js';
import { parseAllocSpi, parseReplaySet, parseSaId, parseStateAdd, parseStateFilter, parseStateFlush, } from '../../src/cli/state-args.js';
import { parseHthresh, parsePolicyAdd, parsePolicyDefault, parsePolicyFlush, parsePolicyId, parsePolicyList, } from '../../src/cli/policy-args.js';
import { parseMonitorGroups } from '../../src/cli/monitor.js';
import { DEFAULT_OUTBOUND_SEQ_MARGIN, parseRestore } from '../../src/cli/ha-commands.js';
import { extractGlobalOptions } from '../../src/cli/main.js';
import { mergeReplay } from '../../src/cli/state-commands.js';
import { CliError, EXIT_USAGE } from '../../src/cli/exit-codes.js';
import { takeOptions } from '../../src/cli/args.js';
const w = (s) => s.split(/\s+/).filter(Boolean);
const KEY20 = '0x0102030405060708090a0b0c0d0e0f1011121314';
const key20 = Uint8Array.from(Buffer.from(KEY20.slice(2), 'hex'));
/** Expect a usage error (exit 2) whose text matches `re` and shows a usage line. */
function usageErr(fn, re) {
    let err;
    try {
        fn();
    }
    catch (e) {
        err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect(err.exitCode).toBe(EXIT_USAGE);
    expect(err.message).toMatch(re);
    expect(err.message).toMatch(/\nusage: netlink-xfrm /);
}
describe('state add / update', () => {
    test('the README SA: aead, ESN, window 128 → XFRMA_REPLAY_ESN_VAL with bmpLen 4', () => {
        const sa = parseStateAdd(w(`src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 mode tunnel reqid 1 aead rfc4106(gcm(aes)) ${KEY20} 128 flag esn replay-window 128`));
        expect(sa).toEqual({
            saddr: '192.0.2.1',
            daddr: '192.0.2.2',
            spi: 0x1000,
            proto: IPPROTO_ESP,
            mode: XFRM_MODE_TUNNEL,
            reqid: 1,
            aead: { name: 'rfc4106(gcm(aes))', key: key20, icvLen: 128 },
            flags: XFRM_STATE_ESN,
            replayEsn: { bmpLen: 4, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [0, 0, 0, 0] },
        });
    });
    test('ESN window rounds bmpLen up; replay-seq/oseq and the hi words go into the ESN state', () => {
        const sa = parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 enc cbc(aes) 0x00 replay-window 33 flag esn replay-oseq 41 replay-seq 7 replay-oseq-hi 2 replay-seq-hi 3'));
        expect(sa.replayEsn).toEqual({ bmpLen: 2, oseq: 41, seq: 7, oseqHi: 2, seqHi: 3, replayWindow: 33, bmp: [0, 0] });
        expect(sa.replayWindow).toBeUndefined();
        expect(sa.replay).toBeUndefined();
    });
    test('legacy window ≤ 32 stays in xfrm_usersa_info; replay-seq makes XFRMA_REPLAY_VAL', () => {
        const sa = parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto ah spi 7 auth hmac(sha1) 0x0011 replay-window 32 replay-oseq 5'));
        expect(sa).toEqual({
            saddr: '192.0.2.1',
            daddr: '192.0.2.2',
            spi: 7,
            proto: IPPROTO_AH,
            auth: { name: 'hmac(sha1)', key: Uint8Array.of(0, 0x11) },
            replayWindow: 32,
            replay: { oseq: 5, seq: 0, bitmap: 0 },
        });
    });
    test('a window above 32 without "flag esn" uses BMP state with explicit flags 0 (the kernel would clamp it to 32)', () => {
        const sa = parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 9 replay-window 64'));
        expect(sa.flags).toBe(0);
        expect(sa.replayEsn).toEqual({ bmpLen: 2, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: 64, bmp: [0, 0] });
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 9 replay-window 8 replay-seq-hi 1')), /need "flag esn"/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 9 replay-window 8192 flag esn')), /at most 4096/);
    });
    test('every other word', () => {
        const sa = parseStateAdd(w('src 2001:db8::1 dst 2001:DB8:0:0::2 proto esp spi 0x200 mode beet reqid 0x10 seq 9 ' +
            'enc cbc(aes) 0x00112233445566778899aabbccddeeff auth-trunc hmac(sha256) 0xaabb 128 ' +
            'flag noecn nopmtudisc extra-flag oseq-may-wrap encap espinudp 4500 4501 2001:db8::99 ' +
            'mark 0x10/0xf0 output-mark 7 mask 0xff if_id 5 dir out tfcpad 16 pcpu 2 coa 2001:db8::7 ' +
            'sel src 10.0.0.0/8 dst 10.1.0.0/16 proto tcp sport 80 dport 443 ' +
            'limit time-soft 100 time-hard 200 byte-soft 1000 packet-hard inf time-use-hard 5'));
        expect(sa).toEqual({
            saddr: '2001:db8::1',
            daddr: '2001:db8::2',
            spi: 0x200,
            proto: IPPROTO_ESP,
            mode: XFRM_MODE_BEET,
            reqid: 16,
            acquireSeq: 9,
            crypt: { name: 'cbc(aes)', key: Uint8Array.from(Buffer.from('00112233445566778899aabbccddeeff', 'hex')) },
            auth: { name: 'hmac(sha256)', key: Uint8Array.of(0xaa, 0xbb), truncLen: 128 },
            flags: XFRM_STATE_NOECN | XFRM_STATE_NOPMTUDISC,
            extraFlags: XFRM_SA_XFLAG_OSEQ_MAY_WRAP,
            encap: { encapType: UDP_ENCAP_ESPINUDP, encapSport: 4500, encapDport: 4501, encapOa: '2001:db8::99' },
            mark: { v: 0x10, m: 0xf0 },
            outputMark: { value: 7, mask: 0xff },
            ifId: 5,
            dir: XFRM_SA_DIR_OUT,
            tfcpad: 16,
            pcpu: 2,
            coaddr: '2001:db8::7',
            selector: {
                saddr: '10.0.0.0',
                daddr: '10.1.0.0',
                prefixlenS: 8,
                prefixlenD: 16,
                family: AF_INET,
                proto: IPPROTO_TCP,
                sport: 80,
                sportMask: 0xffff,
                dport: 443,
                dportMask: 0xffff,
                ifindex: 0,
                user: 0,
            },
            lifetime: {
                ...unlimitedLifetime(),
                softAddExpiresSeconds: 100n,
                hardAddExpiresSeconds: 200n,
                softByteLimit: 1000n,
                hardPacketLimit: XFRM_INF,
                hardUseExpiresSeconds: 5n,
            },
        });
    });
    test('comp, espintcp, dir in, aead with icv bits, sel with icmp type/code', () => {
        const c = parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto comp spi 0x4000 comp deflate'));
        expect(c).toEqual({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x4000, proto: IPPROTO_COMP, comp: 'deflate' });
        const e = parseStateAdd(w(`src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 aead rfc4106(gcm(aes)) ${KEY20} 64 encap espintcp 4500 4500 0.0.0.0 dir in sel proto icmp type 8 code 0`));
        expect(e.aead?.icvLen).toBe(64);
        expect(e.encap?.encapType).toBe(TCP_ENCAP_ESPINTCP);
        expect(e.dir).toBe(XFRM_SA_DIR_IN);
        expect(e.selector).toEqual({ ...anySelector(AF_INET), proto: IPPROTO_ICMP, sport: 8, sportMask: 0xffff, dport: 0, dportMask: 0xffff });
    });
    test('usage errors name the problem and show the usage line', () => {
        usageErr(() => parseStateAdd(w('dst 192.0.2.2 proto esp spi 1')), /missing "src ADDR"/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp')), /missing "spi SPI"/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto xyz spi 1')), /proto: "xyz" is not/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 enc cbc(aes) nothex')), /key in 0x hex/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 enc cbc(aes) 0x123')), /key in 0x hex/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 auth-trunc hmac(sha256) 0x00')), /missing value after "auth-trunc key"/);
        usageErr(() => parseStateAdd(w(`src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 aead x ${KEY20} 128 enc cbc(aes) 0x00`)), /cannot be combined/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 2001:db8::1 proto esp spi 1')), /same address family/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 bogus 3')), /unexpected "bogus"/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 flag nosuch')), /unknown flag "nosuch"/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100000000')), /32-bit/);
        usageErr(() => parseStateAdd(w('src 192.0.2.300 dst 192.0.2.2 proto esp spi 1')), /not an IPv4 or IPv6 address/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 sel')), /"sel" needs/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 limit')), /"limit" must be followed/);
        usageErr(() => parseStateAdd(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 1 sel src 10.0.0.0/33')), /prefix length/);
    });
});
describe('state get / delete / list / flush / allocspi', () => {
    test('SA identity', () => {
        expect(parseSaId(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000'))).toEqual({ daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP });
        expect(parseSaId(w('dst 192.0.2.2 proto ah spi 5 mark 3/0xff'))).toEqual({ daddr: '192.0.2.2', spi: 5, proto: IPPROTO_AH, mark: { v: 3, m: 0xff } });
        expect(parseSaId(w('dst 192.0.2.2 proto esp spi 5 mark 3'))).toEqual({ daddr: '192.0.2.2', spi: 5, proto: IPPROTO_ESP, mark: { v: 3, m: 0xffffffff } });
        // MIPv6 SAs have no SPI: their source address identifies them
        expect(parseSaId(w('src 2001:db8::1 dst 2001:db8::2 proto route2'))).toEqual({ daddr: '2001:db8::2', spi: 0, proto: 43, saddr: '2001:db8::1' });
        usageErr(() => parseSaId(w('dst 192.0.2.2 proto esp')), /missing "spi SPI"/);
        usageErr(() => parseSaId(w('proto esp spi 1')), /missing "dst ADDR"/);
    });
    test('list filter', () => {
        expect(parseStateFilter([])).toEqual({});
        expect(parseStateFilter(w('src 192.0.2.0/24 dst 198.51.100.7 proto esp'))).toEqual({
            src: { addr: '192.0.2.0', prefixlen: 24 },
            dst: { addr: '198.51.100.7', prefixlen: 32 },
            proto: IPPROTO_ESP,
        });
        expect(parseStateFilter(w('dst 2001:db8::/32'))).toEqual({ dst: { addr: '2001:db8::', prefixlen: 32 } });
        usageErr(() => parseStateFilter(w('src 192.0.2.0/24 dst 2001:db8::/32')), /same address family/);
    });
    test('flush', () => {
        expect(parseStateFlush([])).toBeUndefined();
        expect(parseStateFlush(w('proto esp'))).toBe(IPPROTO_ESP);
        expect(parseStateFlush(w('proto any'))).toBe(IPSEC_PROTO_ANY);
    });
    test('allocspi', () => {
        expect(parseAllocSpi(w('src 192.0.2.1 dst 192.0.2.2 proto esp min 0x100 max 0x1ff mode tunnel reqid 3 mark 1 if_id 4'))).toEqual({
            saddr: '192.0.2.1',
            daddr: '192.0.2.2',
            proto: IPPROTO_ESP,
            min: 0x100,
            max: 0x1ff,
            mode: XFRM_MODE_TUNNEL,
            reqid: 3,
            mark: { v: 1, m: 0xffffffff },
            ifId: 4,
        });
        usageErr(() => parseAllocSpi(w('src 192.0.2.1 dst 192.0.2.2 proto esp min 5')), /both "min" and "max"/);
        usageErr(() => parseAllocSpi(w('src 192.0.2.1 dst 192.0.2.2 proto esp min 5 max 4')), /min must not be above max/);
        usageErr(() => parseAllocSpi(w('src 192.0.2.1 dst 192.0.2.2 proto esp spi 5')), /spi/); // the kernel picks it
    });
});
describe('replay set', () => {
    const id = 'src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000';
    test('words', () => {
        expect(parseReplaySet(w(`${id} oseq 100 seq 7 bitmap 0x3 replay-thresh 10 etimer-thresh 20`))).toEqual({
            id: { daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP },
            oseq: 100,
            seq: 7,
            bitmap: 3,
            replayThresh: 10,
            etimerThresh: 20,
        });
        expect(parseReplaySet(w(`${id} oseq-hi 1 seq-hi 2 bmp 0x1,0,0xffffffff`))).toMatchObject({ oseqHi: 1, seqHi: 2, bmp: [1, 0, 0xffffffff] });
        usageErr(() => parseReplaySet(w(id)), /nothing to set/);
        usageErr(() => parseReplaySet(w(`${id} bitmap 1 bmp 1`)), /exclude each other/);
    });
    test('the SA decides the kind: legacy keeps bitmap, ESN takes bmp padded to bmpLen', () => {
        const legacy = { replay: { oseq: 5, seq: 9, bitmap: 1 } };
        expect(mergeReplay(parseReplaySet(w(`${id} oseq 100`)), legacy)).toEqual({ replay: { oseq: 100, seq: 9, bitmap: 1 } });
        usageErr(() => mergeReplay(parseReplaySet(w(`${id} oseq-hi 1`)), legacy), /legacy replay state/);
        const esn = { replayEsn: { bmpLen: 4, oseq: 1, seq: 2, oseqHi: 0, seqHi: 0, replayWindow: 128, bmp: [9, 9, 9, 9] } };
        expect(mergeReplay(parseReplaySet(w(`${id} oseq 100 oseq-hi 1 bmp 0xff`)), esn)).toEqual({
            replayEsn: { bmpLen: 4, oseq: 100, seq: 2, oseqHi: 1, seqHi: 0, replayWindow: 128, bmp: [0xff, 0, 0, 0] },
        });
        usageErr(() => mergeReplay(parseReplaySet(w(`${id} bitmap 1`)), esn), /give "bmp/);
        usageErr(() => mergeReplay(parseReplaySet(w(`${id} bmp 1,2,3,4,5`)), esn), /has 4 words, got 5/);
        // thresholds only: the replay state is not sent at all
        expect(mergeReplay(parseReplaySet(w(`${id} replay-thresh 3`)), esn)).toEqual({});
    });
});
describe('policy', () => {
    test('add: selector, dir, templates (tunnel and transport), options', () => {
        const p = parsePolicyAdd(w('src 192.0.2.1/32 dst 192.0.2.2/32 dir out priority 100 ' +
            'tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel ' +
            'tmpl proto comp level use'));
        expect(p).toEqual({
            selector: { ...anySelector(AF_INET), saddr: '192.0.2.1', daddr: '192.0.2.2', prefixlenS: 32, prefixlenD: 32 },
            dir: XFRM_POLICY_OUT,
            priority: 100,
            templates: [
                template({ proto: IPPROTO_ESP, saddr: '192.0.2.1', daddr: '192.0.2.2', family: AF_INET, reqid: 1, mode: XFRM_MODE_TUNNEL }),
                template({ proto: IPPROTO_COMP, optional: true }),
            ],
        });
    });
    test('add: every other word; a word after tmpl goes back to the policy', () => {
        const p = parsePolicyAdd(w('dir fwd src 2001:db8::/32 dst ::/0 proto tcp dport 22 action block index 0x12 ptype sub mark 1/1 if_id 9 flag localok icmp ' +
            'limit time-hard 60 tmpl src 2001:db8::1 dst 2001:db8::2 proto ah spi 0x99 mode transport level required priority 7'));
        expect(p).toEqual({
            selector: {
                ...anySelector(AF_INET6),
                saddr: '2001:db8::',
                prefixlenS: 32,
                daddr: '::',
                prefixlenD: 0,
                proto: IPPROTO_TCP,
                dport: 22,
                dportMask: 0xffff,
            },
            dir: XFRM_POLICY_FWD,
            action: XFRM_POLICY_BLOCK,
            index: 0x12,
            type: XFRM_POLICY_TYPE_SUB,
            mark: { v: 1, m: 1 },
            ifId: 9,
            flags: XFRM_POLICY_LOCALOK | XFRM_POLICY_ICMP,
            lifetime: { ...unlimitedLifetime(), hardAddExpiresSeconds: 60n },
            templates: [template({ proto: IPPROTO_AH, saddr: '2001:db8::1', daddr: '2001:db8::2', family: AF_INET6, spi: 0x99, mode: XFRM_MODE_TRANSPORT, optional: false })],
            priority: 7,
        });
    });
    test('add: usage errors', () => {
        usageErr(() => parsePolicyAdd(w('src 192.0.2.1 dst 192.0.2.2')), /missing "dir/);
        usageErr(() => parsePolicyAdd(w('dir sideways')), /dir: "sideways"/);
        usageErr(() => parsePolicyAdd(w('dir out tmpl reqid 1')), /tmpl: missing "proto/);
        usageErr(() => parsePolicyAdd(w('dir out tmpl src 192.0.2.1 proto esp')), /give both "src" and "dst"/);
        usageErr(() => parsePolicyAdd(w('dir out index 10')), /index & 7 == dir/);
        usageErr(() => parsePolicyAdd(w('dir out action maybe')), /action: "maybe"/);
        usageErr(() => parsePolicyAdd(w('dir out ' + 'tmpl proto esp '.repeat(7))), /at most 6 templates/);
    });
    test('get/delete by selector or by index', () => {
        expect(parsePolicyId(w('dir in src 192.0.2.2/32 dst 192.0.2.1/32'))).toEqual({
            selector: { ...anySelector(AF_INET), saddr: '192.0.2.2', daddr: '192.0.2.1', prefixlenS: 32, prefixlenD: 32 },
            dir: XFRM_POLICY_IN,
        });
        expect(parsePolicyId(w('dir out index 9 ptype sub mark 5 if_id 2'))).toEqual({
            index: 9,
            dir: XFRM_POLICY_OUT,
            type: XFRM_POLICY_TYPE_SUB,
            mark: { v: 5, m: 0xffffffff },
            ifId: 2,
        });
        usageErr(() => parsePolicyId(w('dir out')), /give a selector/);
        usageErr(() => parsePolicyId(w('src 192.0.2.2 index 1')), /missing "dir/);
        usageErr(() => parsePolicyId(w('dir out index 1 src 192.0.2.2')), /not both/);
    });
    test('list, flush, default, hthresh', () => {
        expect(parsePolicyList([])).toEqual({});
        expect(parsePolicyList(w('dir fwd'))).toEqual({ dir: XFRM_POLICY_FWD });
        expect(parsePolicyFlush([])).toBe(XFRM_POLICY_TYPE_MAIN);
        expect(parsePolicyFlush(w('ptype sub'))).toBe(XFRM_POLICY_TYPE_SUB);
        expect(parsePolicyDefault([])).toBeUndefined();
        expect(parsePolicyDefault(w('in block out accept'))).toEqual({ in: XFRM_USERPOLICY_BLOCK, out: XFRM_USERPOLICY_ACCEPT });
        usageErr(() => parsePolicyDefault(w('in drop')), /accept or block/);
        usageErr(() => parsePolicyDefault(w('sideways accept')), /unexpected "sideways"/);
        expect(parseHthresh([])).toBeUndefined();
        expect(parseHthresh(w('4 24 16 6 64 48'))).toEqual({ ipv4: { lbits: 24, rbits: 16 }, ipv6: { lbits: 64, rbits: 48 } });
        expect(parseHthresh(w('hthresh6 128 0'))).toEqual({ ipv6: { lbits: 128, rbits: 0 } });
        usageErr(() => parseHthresh(w('4 33 0')), /at most 32/);
    });
});
describe('monitor, restore, global options', () => {
    test('monitor groups', () => {
        expect(parseMonitorGroups([])).toEqual(['acquire', 'expire', 'sa', 'policy', 'aevents', 'report', 'migrate', 'mapping']);
        expect(parseMonitorGroups(w('sa expire sa'))).toEqual(['sa', 'expire']);
        usageErr(() => parseMonitorGroups(w('sa bogus')), /unknown event group "bogus"/);
    });
    test('restore options', () => {
        expect(parseRestore(w('snap.json'))).toEqual({
            file: 'snap.json',
            options: { outboundSeqMargin: DEFAULT_OUTBOUND_SEQ_MARGIN, inboundWindow: 'saved', existing: 'fail' },
            inPlace: false,
            defaultMargin: true,
        });
        expect(parseRestore(w('--outbound-seq-margin 1000 --inbound-window closed --replace -'))).toEqual({
            file: '-',
            options: { outboundSeqMargin: 1000n, inboundWindow: 'closed', existing: 'replace' },
            inPlace: false,
            defaultMargin: false,
        });
        expect(parseRestore(w('--in-place --outbound-seq-margin=5 f')).inPlace).toBe(true);
        usageErr(() => parseRestore([]), /needs a FILE/);
        usageErr(() => parseRestore(w('--inbound-window open f')), /saved or closed/);
        usageErr(() => parseRestore(w('--replace --in-place f')), /exclude each other/);
        usageErr(() => parseRestore(w('--bogus f')), /unknown option --bogus/);
    });
    test('global options anywhere', () => {
        expect(extractGlobalOptions(w('state list --json --netns blue --show-keys'))).toEqual({
            opts: { json: true, showKeys: true, help: false, netns: 'blue' },
            rest: ['state', 'list'],
        });
        expect(extractGlobalOptions(w('--netns=red policy --help count'))).toEqual({
            opts: { json: false, showKeys: false, help: true, netns: 'red' },
            rest: ['policy', 'count'],
        });
        expect(() => extractGlobalOptions(w('state list --netns'))).toThrow(CliError);
    });
    test('command options', () => {
        expect(takeOptions(w('--batch - x'), { '--batch': 'value' }, 'u')).toEqual({ rest: ['x'], options: new Map([['--batch', '-']]) });
        expect(() => takeOptions(w('--batch'), { '--batch': 'value' }, 'u')).toThrow(/missing value after --batch/);
    });
});
