/**
 * JSON-lines batch input: the reviver turns the JSON form (bigint as decimal strings, bytes
 * as 0x hex) back into XfrmStateInput / XfrmPolicyInput, fills partial selectors, lifetimes
 * and templates, and names the line and field of every mistake.
 */
import { describe, expect, test } from 'vitest';
import { anySelector, completeState, unlimitedLifetime } from '../../src/client/state.js';
import { template } from '../../src/client/policy.js';
import { AF_INET6, IPPROTO_ESP, XFRM_POLICY_OUT, REDACTED } from '../../src/xfrm/index.js';
import { parseJsonLines, revivePolicyInput, reviveStateInput } from '../../src/cli/batch.js';
import { jsonLine } from '../../src/cli/format.js';
describe('state lines', () => {
    test('minimal SA with a key; numbers as strings for bigint fields', () => {
        const { entries, errors } = parseJsonLines([
            '# SAs for the lab',
            '{"saddr":"192.0.2.1","daddr":"192.0.2.2","spi":4096,"proto":50,"reqid":1,"aead":{"name":"rfc4106(gcm(aes))","key":"0x0102","icvLen":128}}',
            '',
            '{"saddr":"2001:db8::1","daddr":"2001:db8::2","spi":1,"proto":50,"lifetime":{"hardByteLimit":"1000000"},"current":{"bytes":"5","packets":1,"addTime":"0","useTime":"0"}}',
        ].join('\n'), reviveStateInput);
        expect(errors).toEqual([]);
        expect(entries.map((e) => e.line)).toEqual([2, 4]);
        expect(entries[0].value).toEqual({
            saddr: '192.0.2.1',
            daddr: '192.0.2.2',
            spi: 4096,
            proto: IPPROTO_ESP,
            reqid: 1,
            aead: { name: 'rfc4106(gcm(aes))', key: Uint8Array.of(1, 2), icvLen: 128 },
        });
        expect(entries[1].value.lifetime).toEqual({ ...unlimitedLifetime(), hardByteLimit: 1000000n });
        expect(entries[1].value.current).toEqual({ bytes: 5n, packets: 1n, addTime: 0n, useTime: 0n });
    });
    test('a partial selector is completed for the SA family', () => {
        const v = reviveStateInput({ saddr: '2001:db8::1', daddr: '2001:db8::2', spi: 1, proto: 50, selector: { proto: 6 } });
        expect(v.selector).toEqual({ ...anySelector(AF_INET6), proto: 6 });
    });
    test('`state list --json --show-keys` output is valid batch input (read-only fields dropped)', () => {
        const s = completeState({
            saddr: '192.0.2.1',
            daddr: '192.0.2.2',
            spi: 7,
            proto: IPPROTO_ESP,
            crypt: { name: 'cbc(aes)', key: Uint8Array.of(9, 9) },
            auth: { name: 'hmac(sha1)', key: Uint8Array.of(8), truncLen: 96 },
            replayEsn: { bmpLen: 1, oseq: 1, seq: 2, oseqHi: 0, seqHi: 0, replayWindow: 32, bmp: [3] },
        });
        const listed = { ...s, stats: { replayWindow: 0, replay: 0, integrityFailed: 0 }, lastUsed: 5n, current: { bytes: 1n, packets: 2n, addTime: 3n, useTime: 4n } };
        const back = reviveStateInput(JSON.parse(jsonLine(listed, { showKeys: true })));
        const { stats: _s, lastUsed: _l, ...rest } = listed;
        expect(back).toEqual(rest);
    });
    test('errors name the line and the field', () => {
        const { entries, errors } = parseJsonLines([
            '{"saddr":"192.0.2.1","daddr":"192.0.2.2","spi":1,"proto":50}',
            '{"saddr":"192.0.2.1","daddr":"192.0.2.2","spi":1}',
            'not json',
            '{"saddr":"192.0.2.1","daddr":"192.0.2.2","spi":-1,"proto":50}',
            '{"saddr":"192.0.2.1","daddr":"192.0.2.2","spi":1,"proto":50,"aead":{"name":"x","key":"' + REDACTED + '","icvLen":128}}',
            '{"saddr":"192.0.2.1","daddr":"192.0.2.2","spi":1,"proto":50,"spy":1}',
            '{"saddr":"192.0.2.1","daddr":"192.0.2.2","spi":1,"proto":50,"lifetime":{"hardByteLimit":1.5}}',
            '{"saddr":"192.0.2.999","daddr":"192.0.2.2","spi":1,"proto":50}',
            '{"saddr":"192.0.2.1","daddr":"192.0.2.2","spi":1,"proto":50,"crypt":{"name":"cbc(aes)","key":"0x123"}}',
            '{"saddr":"192.0.2.1","daddr":"192.0.2.2","spi":1,"proto":50,"mark":{"v":1}}',
            '[1,2]',
        ].join('\n'), reviveStateInput);
        expect(entries.map((e) => e.line)).toEqual([1]);
        expect(errors.map((e) => `${e.line}: ${e.message}`)).toEqual([
            '2: missing field proto',
            expect.stringMatching(/^3: not JSON: /),
            '4: spi: expected an integer 0..4294967295, got -1',
            '5: aead.key: the key was redacted: export with --show-keys',
            '6: unknown field spy',
            '7: lifetime.hardByteLimit: expected an unsigned 64-bit integer as a decimal string, got 1.5',
            '8: saddr: expected an IPv4 or IPv6 address, got "192.0.2.999"',
            '9: crypt.key: expected 0x hex bytes, got an odd number of hex digits (3) (value not shown)',
            '10: missing field mark.m',
            '11: entry: expected a JSON object',
        ]);
    });
});
describe('policy lines', () => {
    test('partial selector and templates get their defaults', () => {
        const p = revivePolicyInput({
            selector: { saddr: '192.0.2.1', daddr: '192.0.2.2', prefixlenS: 32, prefixlenD: 32 },
            dir: 1,
            priority: 5,
            templates: [{ id: { proto: 50, daddr: '192.0.2.2' }, saddr: '192.0.2.1', reqid: 1, mode: 1 }, { id: { proto: 108 }, optional: 1 }],
        });
        expect(p).toEqual({
            selector: { ...anySelector(2), saddr: '192.0.2.1', daddr: '192.0.2.2', prefixlenS: 32, prefixlenD: 32 },
            dir: XFRM_POLICY_OUT,
            priority: 5,
            templates: [
                template({ proto: 50, daddr: '192.0.2.2', saddr: '192.0.2.1', reqid: 1, mode: 1 }),
                template({ proto: 108, optional: true }),
            ],
        });
    });
    test('policy list --json output round-trips; errors name the field', () => {
        const pol = {
            selector: { ...anySelector(AF_INET6), daddr: '2001:db8::', prefixlenD: 32 },
            dir: 0,
            action: 0,
            priority: 0,
            index: 8,
            flags: 0,
            share: 0,
            lifetime: unlimitedLifetime(),
            current: { bytes: 0n, packets: 0n, addTime: 1n, useTime: 0n },
            templates: [template({ proto: 50 })],
            type: 0,
        };
        const { current: _c, ...rest } = pol;
        expect(revivePolicyInput(JSON.parse(jsonLine(pol)))).toEqual(rest);
        expect(() => revivePolicyInput({ dir: 1 })).toThrow('missing field selector');
        expect(() => revivePolicyInput({ selector: {}, dir: 1, templates: [{ reqid: 1 }] })).toThrow('templates[0].id.proto: missing');
        expect(() => revivePolicyInput({ selector: {}, dir: 1, templates: [{ id: { proto: 50 }, mode: 300 }] })).toThrow('templates[0].mode: expected an integer 0..255');
    });
});
