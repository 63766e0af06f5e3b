/**
 * The ip-xfrm vocabularies: each table read both ways agrees with itself, every number is the
 * kernel constant of its name, and unknown words and numbers are treated as the CLI treated
 * them before the tables moved out of the parsers.
 */
import { describe, expect, test } from 'vitest';
import * as C from '../../src/xfrm/constants.js';
import { AE_FLAG_NAMES, ENCAP_TYPE_NAMES, MODE_NAMES, nameTable, POLICY_ACTION_NAMES, POLICY_DEFAULT_NAMES, POLICY_DIR_NAMES, POLICY_FLAG_NAMES, POLICY_TYPE_NAMES, SA_DIR_NAMES, SA_PROTO_NAMES, SELECTOR_PROTO_NAMES, splitFlags, STATE_EXTRA_FLAG_NAMES, STATE_FLAG_NAMES, } from '../../src/xfrm/index.js';
import { parseMode, parsePolicyDir, parseSaDir, parseSaProto, parseUpperProto } from '../../src/cli/args.js';
import { parseStateAdd, parseStateFlush } from '../../src/cli/state-args.js';
import { parsePolicyAdd, parsePolicyDefault } from '../../src/cli/policy-args.js';
import { CliError, EXIT_USAGE } from '../../src/cli/exit-codes.js';
/** Each vocabulary: the name → constant pairs it must hold, and the aliases (parse-only names). */
const EXPECTED = [
    [
        'SA_PROTO_NAMES',
        SA_PROTO_NAMES,
        {
            esp: C.IPPROTO_ESP,
            ah: C.IPPROTO_AH,
            comp: C.IPPROTO_COMP,
            ipcomp: C.IPPROTO_COMP,
            route2: C.IPPROTO_ROUTING,
            hao: C.IPPROTO_DSTOPTS,
            any: C.IPSEC_PROTO_ANY,
        },
        ['ipcomp'],
    ],
    [
        'SELECTOR_PROTO_NAMES',
        SELECTOR_PROTO_NAMES,
        {
            tcp: C.IPPROTO_TCP,
            udp: C.IPPROTO_UDP,
            icmp: C.IPPROTO_ICMP,
            'ipv6-icmp': C.IPPROTO_ICMPV6,
            icmpv6: C.IPPROTO_ICMPV6,
            sctp: C.IPPROTO_SCTP,
            dccp: C.IPPROTO_DCCP,
            gre: C.IPPROTO_GRE,
            'mobility-header': C.IPPROTO_MH,
            esp: C.IPPROTO_ESP,
            ah: C.IPPROTO_AH,
            any: 0,
        },
        ['icmpv6'],
    ],
    [
        'MODE_NAMES',
        MODE_NAMES,
        {
            transport: C.XFRM_MODE_TRANSPORT,
            tunnel: C.XFRM_MODE_TUNNEL,
            ro: C.XFRM_MODE_ROUTEOPTIMIZATION,
            in_trigger: C.XFRM_MODE_IN_TRIGGER,
            beet: C.XFRM_MODE_BEET,
            iptfs: C.XFRM_MODE_IPTFS,
        },
        [],
    ],
    ['POLICY_DIR_NAMES', POLICY_DIR_NAMES, { in: C.XFRM_POLICY_IN, out: C.XFRM_POLICY_OUT, fwd: C.XFRM_POLICY_FWD }, []],
    ['SA_DIR_NAMES', SA_DIR_NAMES, { in: C.XFRM_SA_DIR_IN, out: C.XFRM_SA_DIR_OUT }, []],
    ['POLICY_ACTION_NAMES', POLICY_ACTION_NAMES, { allow: C.XFRM_POLICY_ALLOW, block: C.XFRM_POLICY_BLOCK }, []],
    ['POLICY_TYPE_NAMES', POLICY_TYPE_NAMES, { main: C.XFRM_POLICY_TYPE_MAIN, sub: C.XFRM_POLICY_TYPE_SUB }, []],
    ['POLICY_DEFAULT_NAMES', POLICY_DEFAULT_NAMES, { accept: C.XFRM_USERPOLICY_ACCEPT, block: C.XFRM_USERPOLICY_BLOCK }, []],
    [
        'ENCAP_TYPE_NAMES',
        ENCAP_TYPE_NAMES,
        { espinudp: C.UDP_ENCAP_ESPINUDP, 'espinudp-nonike': C.UDP_ENCAP_ESPINUDP_NON_IKE, espintcp: C.TCP_ENCAP_ESPINTCP },
        [],
    ],
    [
        'STATE_FLAG_NAMES',
        STATE_FLAG_NAMES,
        {
            noecn: C.XFRM_STATE_NOECN,
            'decap-dscp': C.XFRM_STATE_DECAP_DSCP,
            nopmtudisc: C.XFRM_STATE_NOPMTUDISC,
            wildrecv: C.XFRM_STATE_WILDRECV,
            icmp: C.XFRM_STATE_ICMP,
            'af-unspec': C.XFRM_STATE_AF_UNSPEC,
            align4: C.XFRM_STATE_ALIGN4,
            esn: C.XFRM_STATE_ESN,
        },
        [],
    ],
    [
        'STATE_EXTRA_FLAG_NAMES',
        STATE_EXTRA_FLAG_NAMES,
        { 'dont-encap-dscp': C.XFRM_SA_XFLAG_DONT_ENCAP_DSCP, 'oseq-may-wrap': C.XFRM_SA_XFLAG_OSEQ_MAY_WRAP },
        [],
    ],
    [
        'POLICY_FLAG_NAMES',
        POLICY_FLAG_NAMES,
        { localok: C.XFRM_POLICY_LOCALOK, icmp: C.XFRM_POLICY_ICMP, 'cpu-acquire': C.XFRM_POLICY_CPU_ACQUIRE },
        [],
    ],
    ['AE_FLAG_NAMES', AE_FLAG_NAMES, { 'replay-update': C.XFRM_AE_CR, 'timer-expired': C.XFRM_AE_CE, 'user-update': C.XFRM_AE_CU }, []],
];
/** The usage error a CLI parser throws, or a failure if it returns. */
function usageError(fn) {
    try {
        fn();
    }
    catch (e) {
        expect(e).toBeInstanceOf(CliError);
        expect(e.exitCode).toBe(EXIT_USAGE);
        return e;
    }
    throw new Error('expected a usage error');
}
const U = 'usage';
const w = (s) => s.split(' ');
describe('every vocabulary', () => {
    test.each(EXPECTED)('%s holds exactly the kernel constants of its names', (_n, table, pairs) => {
        expect(Object.fromEntries(table.entries)).toEqual(pairs);
        expect([...table.names].sort()).toEqual(Object.keys(pairs).sort());
    });
    test.each(EXPECTED)('%s: both directions agree for every entry', (_n, table, pairs, aliases) => {
        for (const [name, n] of table.entries) {
            expect(table.numberOf(name)).toBe(n);
            const printed = table.nameOf(n);
            // Every number prints as a name that parses back to it; only aliases are never printed.
            expect(table.numberOf(printed)).toBe(n);
            expect(table.format(n)).toBe(printed);
            if (aliases.includes(name))
                expect(printed).not.toBe(name);
            else
                expect(printed).toBe(name);
        }
        expect(Object.keys(pairs).filter((k) => !aliases.includes(k)).length).toBe(new Set(Object.values(pairs)).size);
    });
    test.each(EXPECTED)('%s: unknown names and numbers are undefined, printed in decimal', (_n, table) => {
        for (const name of ['nosuch', '', 'ESP', 'toString', '__proto__', 'constructor', 'hasOwnProperty']) {
            expect(table.numberOf(name)).toBeUndefined();
        }
        expect(table.nameOf(1000)).toBeUndefined();
        expect(table.format(1000)).toBe('1000');
    });
});
describe('nameTable / splitFlags', () => {
    test('a name given twice is a programming error', () => {
        expect(() => nameTable([['a', 1], ['a', 2]])).toThrow(/a given twice/);
    });
    test('the first name of a number is the printed one', () => {
        const t = nameTable([['x', 1], ['y', 1]]);
        expect(t.nameOf(1)).toBe('x');
        expect(t.numberOf('y')).toBe(1);
    });
    test('splitFlags names the set bits in table order and returns the unnamed rest', () => {
        expect(splitFlags(STATE_FLAG_NAMES, C.XFRM_STATE_ESN | C.XFRM_STATE_NOECN | 0x100)).toEqual({ names: ['noecn', 'esn'], rest: 0x100 });
        expect(splitFlags(POLICY_FLAG_NAMES, 0)).toEqual({ names: [], rest: 0 });
        expect(splitFlags(STATE_FLAG_NAMES, 0x80000000)).toEqual({ names: [], rest: 0x80000000 });
        // The value/threshold bits of an aevent are not causes.
        expect(splitFlags(AE_FLAG_NAMES, C.XFRM_AE_RVAL | C.XFRM_AE_CE)).toEqual({ names: ['timer-expired'], rest: C.XFRM_AE_RVAL });
    });
});
describe('the CLI parsers read the same words as before', () => {
    test('protocols: names, alias, numbers, "any" only where allowed', () => {
        expect(parseSaProto('ipcomp', U)).toBe(C.IPPROTO_COMP);
        expect(parseSaProto('50', U)).toBe(C.IPPROTO_ESP);
        expect(parseSaProto('any', U, true)).toBe(C.IPSEC_PROTO_ANY);
        expect(usageError(() => parseSaProto('any', U)).message).toMatch(/proto: "any" is not one of esp, ah, comp, ipcomp, route2, hao or a number/);
        expect(usageError(() => parseSaProto('xyz', U, true)).message).toMatch(/one of esp, ah, comp, ipcomp, route2, hao, any or a number/);
        expect(parseStateFlush(w('proto any'))).toBe(C.IPSEC_PROTO_ANY);
        expect(parseUpperProto('icmpv6', U)).toBe(C.IPPROTO_ICMPV6);
        expect(parseUpperProto('any', U)).toBe(0);
    });
    test('modes and directions: names, numbers where the CLI took them', () => {
        expect(parseMode('beet', U)).toBe(C.XFRM_MODE_BEET);
        expect(parseMode('7', U)).toBe(7);
        expect(usageError(() => parseMode('bogus', U)).message).toMatch(/one of transport, tunnel, ro, in_trigger, beet, iptfs/);
        expect(parseSaDir('out', U)).toBe(C.XFRM_SA_DIR_OUT);
        expect(usageError(() => parseSaDir('fwd', U)).message).toMatch(/dir: "fwd" is not in or out/);
        expect(parsePolicyDir('fwd', U)).toBe(C.XFRM_POLICY_FWD);
        expect(usageError(() => parsePolicyDir('2', U)).message).toMatch(/dir: "2" is not in, out or fwd/);
    });
    test('unknown flag, encap, action and default words keep their messages', () => {
        const sa = 'src 192.0.2.1 dst 192.0.2.2 proto esp spi 1';
        expect(usageError(() => parseStateAdd(w(`${sa} flag bogus`))).message).toMatch(/unknown flag "bogus" \(known: noecn, decap-dscp, nopmtudisc, wildrecv, icmp, af-unspec, align4, esn\)/);
        expect(usageError(() => parseStateAdd(w(`${sa} encap bogus 1 2 192.0.2.9`))).message).toMatch(/encap: unknown type "bogus" \(espinudp, espinudp-nonike, espintcp\)/);
        expect(usageError(() => parsePolicyAdd(w('dir out flag bogus'))).message).toMatch(/unknown policy flag "bogus" \(localok, icmp, cpu-acquire\)/);
        expect(usageError(() => parsePolicyAdd(w('dir out action drop'))).message).toMatch(/action: "drop" is not allow or block/);
        expect(usageError(() => parsePolicyDefault(w('in drop'))).message).toMatch(/in: "drop" is not accept or block/);
        expect(usageError(() => parsePolicyAdd(w('dir out ptype both'))).message).toMatch(/ptype: "both" is not main or sub/);
    });
    // Regression: the tables were plain objects, so a word naming an Object.prototype member
    // (toString, constructor…) "matched" and a function was used as a number.
    test('words naming object properties are unknown words, not numbers', () => {
        const sa = 'src 192.0.2.1 dst 192.0.2.2';
        expect(usageError(() => parseStateAdd(w(`${sa} proto toString spi 1`))).message).toMatch(/proto: "toString" is not/);
        expect(usageError(() => parseStateAdd(w(`${sa} proto esp spi 1 flag constructor`))).message).toMatch(/unknown flag "constructor"/);
        expect(usageError(() => parseStateAdd(w(`${sa} proto esp spi 1 mode valueOf`))).message).toMatch(/mode: "valueOf" is not/);
        expect(usageError(() => parsePolicyAdd(w('dir toString'))).message).toMatch(/dir: "toString" is not/);
        expect(usageError(() => parsePolicyAdd(w('dir out flag hasOwnProperty'))).message).toMatch(/unknown policy flag "hasOwnProperty"/);
    });
});
