/** The Live HA record codec: round trip, hostile lines, a mini fuzz. */
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { NetlinkError } from '../../src/netlink/errors.js';
import { decodeHaRecord, encodeHaRecord } from '../../src/ha/record-codec.js';
import { HA_RECORD_MAX_LINE, HaProtocolError } from '../../src/ha/records.js';
import { XfrmKey } from '../../src/xfrm/key.js';
import { encodeXfrmUserOffload } from '../../src/xfrm/structs/user-offload.js';
import { esnSa, IN, KEY_A, KEY_A_HEX, legacySa, OUT, policy, XFRM_POLICY_IN } from './fixtures.js';
import { prng } from '../helpers/hex.js';
const base = { seq: 7, epoch: 'pub-1.a:b_c' };
const samples = [
    { type: 'full-begin', ...base, takenAt: 1_733_000_000_000 },
    { type: 'full-sa', ...base, sa: esnSa(0x1000, { dir: OUT }), replayThresh: 64, etimerThresh: 10 },
    { type: 'full-policy', ...base, policy: policy() },
    { type: 'full-end', ...base, sas: 1, policies: 1 },
    { type: 'sa-add', ...base, sa: legacySa(0x2000, { dir: IN }) },
    { type: 'sa-update', ...base, sa: legacySa(0x2000), replayThresh: 32 },
    { type: 'sa-delete', ...base, id: { daddr: '192.0.2.2', spi: 0x2000, proto: 50, mark: { v: 1, m: 0xff } } },
    {
        type: 'counters',
        ...base,
        id: { daddr: '2001:db8::1', spi: 5, proto: 50 },
        replayEsn: { bmpLen: 4, oseq: 1, seq: 2, oseqHi: 3, seqHi: 4, replayWindow: 128, bmp: [1, 2, 3, 0xffffffff] },
        current: { bytes: 0xffffffffffffffffn, packets: 12n, addTime: 1700000000n, useTime: 0n },
        replayThresh: 100,
        etimerThresh: 10,
        syncedAt: 1_733_000_000_123,
    },
    {
        type: 'counters',
        ...base,
        id: { daddr: '192.0.2.2', spi: 6, proto: 50 },
        replay: { oseq: 10, seq: 9, bitmap: 0xff },
        current: { bytes: 1n, packets: 1n, addTime: 1n, useTime: 1n },
        replayThresh: 0,
        etimerThresh: 0,
        syncedAt: 0,
    },
    { type: 'policy-add', ...base, policy: policy(XFRM_POLICY_IN, 8) },
    { type: 'policy-update', ...base, policy: policy() },
    { type: 'policy-delete', ...base, id: { dir: 1, index: 0x209 } },
    { type: 'policy-delete', ...base, id: { dir: 1, selector: policy().selector, mark: { v: 5, m: 5 }, ifId: 3, ptype: 0 } },
    { type: 'resync', ...base, reason: 'overrun' },
];
describe('record codec round trip', () => {
    test.each(samples.map((r, i) => [`${i} ${r.type}`, r]))('%s encodes to one line and decodes to the same record', (_n, r) => {
        const line = encodeHaRecord(r);
        expect(line).not.toContain('\n');
        const back = decodeHaRecord(line);
        expect(back).toEqual(r);
        expect(encodeHaRecord(back)).toBe(line);
    });
    test('keys are preserved through encode/decode, as XfrmKey, and redacted when printed', () => {
        const line = encodeHaRecord(samples[1]);
        expect(line).toContain(KEY_A_HEX); // the wire form carries them (over TLS, into a 0600 journal)
        const back = decodeHaRecord(line);
        const key = back.sa.aead.key;
        expect(key).toBeInstanceOf(XfrmKey);
        expect([...key]).toEqual([...KEY_A]);
        expect(inspect(back, { depth: 20 })).not.toContain('ab, ab');
        expect(inspect(back, { depth: 20 })).toContain('XfrmKey(20) <redacted>');
        expect(JSON.stringify(back, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(KEY_A_HEX);
        expect(String(key)).not.toContain('ab');
    });
    test('the encoder refuses what a receiver would refuse (stream position, unencodable SA), with typed errors', () => {
        expect(() => encodeHaRecord({ ...samples[0], seq: -1 })).toThrow(expect.objectContaining({ name: 'HaProtocolError', field: 'seq' }));
        expect(() => encodeHaRecord({ ...samples[0], epoch: 'has space' })).toThrow(expect.objectContaining({ field: 'epoch' }));
        expect(() => encodeHaRecord({ ...samples[0], type: 'nope' })).toThrow(expect.objectContaining({ field: 'type' }));
        const bad = { ...samples[4] };
        bad.sa = { ...bad.sa, spi: 2 ** 33 };
        expect(() => encodeHaRecord(bad)).toThrow(HaProtocolError);
    });
    test('the decoder gives canonical addresses (an SA id written another way maps to the same key)', () => {
        const r = decodeHaRecord(JSON.stringify({ v: 1, type: 'sa-delete', seq: 1, epoch: 'e', id: { daddr: '2001:0db8:0:0::1', spi: 1, proto: 50 } }));
        expect(r).toMatchObject({ id: { daddr: '2001:db8::1' } });
    });
});
/** A valid record's JSON with one change applied. */
function mutated(i, f) {
    const o = JSON.parse(encodeHaRecord(samples[i]));
    f(o);
    return JSON.stringify(o);
}
const hostile = [
    ['not JSON', '{"v":1,', 'line'],
    ['JSON but an array', '[1,2]', 'record'],
    ['null', 'null', 'record'],
    ['a line over the bound', 'x'.repeat(HA_RECORD_MAX_LINE + 1), 'line'],
    ['wrong version', mutated(0, (o) => (o.v = 2)), 'v'],
    ['no version', mutated(0, (o) => delete o.v), 'v'],
    ['unknown type', mutated(0, (o) => (o.type = 'sa-explode')), 'type'],
    ['type not a string', mutated(0, (o) => (o.type = 3)), 'type'],
    ['type "constructor"', mutated(0, (o) => (o.type = 'constructor')), 'type'],
    ['type "__proto__"', mutated(0, (o) => (o.type = '__proto__')), 'type'],
    ['missing seq', mutated(0, (o) => delete o.seq), 'seq'],
    ['negative seq', mutated(0, (o) => (o.seq = -1)), 'seq'],
    ['fractional seq', mutated(0, (o) => (o.seq = 1.5)), 'seq'],
    ['seq over 2^53', mutated(0, (o) => (o.seq = 2 ** 53)), 'seq'],
    ['seq as a string', mutated(0, (o) => (o.seq = '7')), 'seq'],
    ['empty epoch', mutated(0, (o) => (o.epoch = '')), 'epoch'],
    ['epoch too long', mutated(0, (o) => (o.epoch = 'e'.repeat(65))), 'epoch'],
    ['epoch with a space', mutated(0, (o) => (o.epoch = 'a b')), 'epoch'],
    ['an unknown field', mutated(0, (o) => (o.extra = 1)), 'full-begin'],
    ['a "__proto__" field', '{"v":1,"type":"resync","seq":1,"epoch":"e","reason":"start","__proto__":{"polluted":1}}', 'resync'],
    ['a "constructor" field', mutated(13, (o) => (o.constructor = { prototype: { x: 1 } })), 'resync'],
    ['takenAt missing', mutated(0, (o) => delete o.takenAt), 'full-begin.takenAt'],
    ['full-sa without sa', mutated(1, (o) => delete o.sa), 'full-sa.sa'],
    ['full-sa with a policy message', mutated(1, (o) => (o.sa = JSON.parse(encodeHaRecord(samples[2])).policy)), 'full-sa.sa.type'],
    ['full-sa spi out of range', mutated(1, (o) => (o.sa.body.id.spi = 2 ** 32)), 'full-sa.sa'],
    ['full-sa key not hex', mutated(1, (o) => (o.sa.attrs.find((a) => a.type === 'XFRMA_ALG_AEAD').value.algKey = 'zz' + KEY_A_HEX)), 'full-sa.sa'],
    ['full-sa key redacted', mutated(1, (o) => (o.sa.attrs.find((a) => a.type === 'XFRMA_ALG_AEAD').value.algKey = '<redacted>')), 'full-sa.sa'],
    ['full-sa selector address holding a key (not echoed)', mutated(1, (o) => (o.sa.body.sel.saddr = '0x' + KEY_A_HEX)), 'full-sa.sa'],
    ['full-sa id address holding a bare hex key (not echoed)', mutated(1, (o) => (o.sa.body.id.daddr = KEY_A_HEX)), 'full-sa.sa'],
    ['full-sa replayThresh negative', mutated(1, (o) => (o.replayThresh = -1)), 'full-sa.replayThresh'],
    ['full-sa etimerThresh over u32', mutated(1, (o) => (o.etimerThresh = 2 ** 32)), 'full-sa.etimerThresh'],
    ['full-sa bmp_len over the kernel limit', mutated(1, (o) => (o.sa.attrs.find((a) => a.type === 'XFRMA_REPLAY_ESN_VAL').value.bmpLen = 129)), 'full-sa.sa.replayEsn'],
    ['full-policy with an SA message', mutated(2, (o) => (o.policy = JSON.parse(encodeHaRecord(samples[1])).sa)), 'full-policy.policy.type'],
    ['full-end count negative', mutated(3, (o) => (o.sas = -1)), 'full-end.sas'],
    ['full-end policies missing', mutated(3, (o) => delete o.policies), 'full-end.policies'],
    ['sa-delete id not an object', mutated(6, (o) => (o.id = 'x')), 'sa-delete.id'],
    ['sa-delete bad address', mutated(6, (o) => (o.id.daddr = '300.1.1.1')), 'sa-delete.id.daddr'],
    ['sa-delete address a number', mutated(6, (o) => (o.id.daddr = 3)), 'sa-delete.id.daddr'],
    ['sa-delete spi over u32', mutated(6, (o) => (o.id.spi = 2 ** 32)), 'sa-delete.id.spi'],
    ['sa-delete proto over u8', mutated(6, (o) => (o.id.proto = 256)), 'sa-delete.id.proto'],
    ['sa-delete mark.m missing', mutated(6, (o) => delete o.id.mark.m), 'sa-delete.id.mark.m'],
    ['sa-delete id extra field', mutated(6, (o) => (o.id.__proto__x = 1)), 'sa-delete.id'],
    ['counters with both replay kinds', mutated(7, (o) => (o.replay = { oseq: 1, seq: 1, bitmap: 0 })), 'counters.replay'],
    ['counters with neither', mutated(7, (o) => delete o.replayEsn), 'counters.replay'],
    ['counters bmp too long for bmpLen', mutated(7, (o) => o.replayEsn.bmp.push(0)), 'counters.replayEsn'],
    ['counters bmp huge', mutated(7, (o) => (o.replayEsn.bmp = new Array(5000).fill(0))), 'counters.replayEsn.bmp'],
    ['counters window over bmpLen×32', mutated(7, (o) => (o.replayEsn.replayWindow = 129)), 'counters.replayEsn'],
    ['counters bmp word not a number', mutated(7, (o) => (o.replayEsn.bmp[2] = 'x')), 'counters.replayEsn.bmp[2]'],
    ['counters oseqHi over u32', mutated(7, (o) => (o.replayEsn.oseqHi = 2 ** 32)), 'counters.replayEsn.oseqHi'],
    ['counters legacy bitmap negative', mutated(8, (o) => (o.replay.bitmap = -1)), 'counters.replay.bitmap'],
    ['counters current bytes over u64', mutated(7, (o) => (o.current.bytes = '18446744073709551616')), 'counters.current.bytes'],
    ['counters current as a number', mutated(7, (o) => (o.current.packets = 5)), 'counters.current.packets'],
    ['counters current hex', mutated(7, (o) => (o.current.packets = '0x10')), 'counters.current.packets'],
    ['counters replayThresh missing', mutated(7, (o) => delete o.replayThresh), 'counters.replayThresh'],
    ['counters syncedAt negative', mutated(7, (o) => (o.syncedAt = -5)), 'counters.syncedAt'],
    ['policy-delete index not matching dir', mutated(11, (o) => (o.id.index = 0x208)), 'policy-delete.id.index'],
    ['policy-delete selector port over u16', mutated(12, (o) => (o.id.selector.dport = 70000)), 'policy-delete.id.selector'],
    ['policy-delete selector bad address', mutated(12, (o) => (o.id.selector.daddr = 'nope')), 'policy-delete.id.selector'],
    ['policy-delete selector ifindex holding a key (not echoed)', mutated(12, (o) => (o.id.selector.ifindex = '0x' + KEY_A_HEX)), 'policy-delete.id.selector'],
    ['policy-delete selector unknown field', mutated(12, (o) => (o.id.selector.bogus = 1)), 'policy-delete.id.selector'],
    ['resync unknown reason', mutated(13, (o) => (o.reason = 'because')), 'resync.reason'],
];
test('the offload encoder does not echo a key typed into ifindex either', () => {
    const v = new DataView(new ArrayBuffer(8));
    expect(() => encodeXfrmUserOffload(v, 0, { ifindex: ('0x' + KEY_A_HEX), flags: 0 }, true)).toThrow(/got a hex string of 40 digits/);
});
describe('decodeHaRecord refuses hostile lines with a typed error naming the field', () => {
    test.each(hostile)('%s', (_name, line, field) => {
        let err;
        try {
            decodeHaRecord(line);
        }
        catch (e) {
            err = e;
        }
        expect(err).toBeInstanceOf(HaProtocolError);
        expect(err).toBeInstanceOf(NetlinkError);
        expect(err.field).toBe(field);
        expect(err.message).not.toMatch(/abababababab/i);
        expect(err.message.length).toBeLessThan(400);
    });
    test('no prototype is polluted by a "__proto__" field', () => {
        expect(() => decodeHaRecord('{"__proto__":{"polluted":true},"v":1,"type":"resync","seq":1,"epoch":"e","reason":"start"}')).toThrow(HaProtocolError);
        expect({}.polluted).toBeUndefined();
    });
    test('a key typed into a numeric field is not echoed', () => {
        const line = mutated(7, (o) => (o.replayThresh = '0x' + KEY_A_HEX));
        expect(() => decodeHaRecord(line)).toThrow(/replayThresh: expected an integer from 0 to 4294967295, got a hex string of 40 digits/);
    });
    test('a JSON syntax error shows the position, not the text around it', () => {
        const line = `{"v":1,"key":"${KEY_A_HEX}" x}`;
        expect(() => decodeHaRecord(line)).toThrow(/line: not JSON: syntax error at position \d+$/);
    });
});
const ODD_VALUES = [null, -1, 0, 1.5, 2 ** 32, 2 ** 64, '', 'x', '0x' + KEY_A_HEX, [], {}, [1, 2], { a: 1 }, true, '__proto__', '18446744073709551616'];
/** Replace a random value inside `o` (depth-first pick) with an odd one, or delete it. */
function mutateJson(o, r) {
    const paths = [];
    const walk = (v) => {
        if (v === null || typeof v !== 'object')
            return;
        for (const k of Object.keys(v)) {
            paths.push([v, Array.isArray(v) ? Number(k) : k]);
            walk(v[k]);
        }
    };
    walk(o);
    const [parent, k] = paths[Math.floor(r() * paths.length)];
    if (r() < 0.2 && !Array.isArray(parent))
        delete parent[k];
    else
        parent[k] = structuredClone(ODD_VALUES[Math.floor(r() * ODD_VALUES.length)]);
}
describe('mini fuzz: mutated records give a record or a HaProtocolError, nothing else', () => {
    test('4000 mutations (seed 0x5eed11)', () => {
        const r = prng(0x5eed11);
        const lines = samples.map((s) => encodeHaRecord(s));
        let decoded = 0;
        let refused = 0;
        for (let i = 0; i < 4000; i++) {
            const src = lines[Math.floor(r() * lines.length)];
            let line;
            const kind = r();
            if (kind < 0.5) {
                const o = JSON.parse(src);
                const n = 1 + Math.floor(r() * 3);
                for (let j = 0; j < n; j++)
                    mutateJson(o, r);
                line = JSON.stringify(o);
            }
            else if (kind < 0.8) {
                // Character-level damage: flip, delete, duplicate.
                const c = [...src];
                const n = 1 + Math.floor(r() * 4);
                for (let j = 0; j < n; j++) {
                    const p = Math.floor(r() * c.length);
                    const op = r();
                    if (op < 0.4)
                        c[p] = String.fromCharCode(32 + Math.floor(r() * 95));
                    else if (op < 0.7)
                        c.splice(p, 1);
                    else
                        c.splice(p, 0, c[p] ?? 'x');
                }
                line = c.join('');
            }
            else {
                line = src.slice(0, Math.floor(r() * src.length));
            }
            try {
                const rec = decodeHaRecord(line);
                // Whatever decodes must encode again (it is a well-typed record).
                encodeHaRecord(rec);
                decoded++;
            }
            catch (e) {
                if (!(e instanceof HaProtocolError))
                    throw new Error(`mutation ${i}: ${String(e)}`, { cause: e });
                // Lower layers may only fail with their own typed errors (never a TypeError leaking out).
                if (e.cause !== undefined && !(e.cause instanceof NetlinkError))
                    throw new Error(`mutation ${i}: untyped cause ${String(e.cause)}`, { cause: e.cause });
                expect(e.message).not.toMatch(/abababababab/i);
                refused++;
            }
        }
        expect(decoded + refused).toBe(4000);
        expect(refused).toBeGreaterThan(1000);
    });
});
