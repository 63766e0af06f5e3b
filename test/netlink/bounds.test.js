/**
 * "Never read outside the given view" (issue 10 item 1), as a property over every fixture and
 * mutated variants of it.
 *
 * Each input is placed in the middle of a larger ArrayBuffer whose other bytes repeat an
 * 8-byte marker, and decoded through every public decoder entry through a view (or a
 * `Uint8Array`) over exactly the input. Then:
 *  - the result is a value or a `NetlinkDecodeError`, nothing else (no RangeError/TypeError);
 *  - no output holds marker bytes: no `Uint8Array` window, no latin1 string window, no u32
 *    or u64 number made of 4/8 consecutive marker bytes;
 *  - no output `Uint8Array` aliases the surrounding buffer;
 *  - decoding the same input surrounded by a second, different marker gives exactly the same
 *    result (value or error message): the strongest form of the property, since an output
 *    that depends on any byte outside the view would differ.
 *
 * Mutations set `nlmsg_len`, the `nlmsg_len` echoed in `NLMSG_ERROR`, `nla_len` and the
 * length fields inside struct payloads (`bmp_len`, `ctx_len`, `alg_key_len`, …) to boundary
 * values (0, 1, 3, 4, 15, 16, 2^31 − 1, 2^31, 0x80000013, 2^32 − 1, the input length ± 1..4
 * …), and truncate inputs. Struct codecs are also told that more bytes are `available` than
 * the view holds.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as netlink from '../../src/netlink/index.js';
import { decodeAttrs, decodeMessage, decodeMessages, decodeNlmsgerr, nlaAlign, nlaIterate, nlmsgerrAttrSpace, nlmsgIterate, nlPolicyTypeAttrSpace, NetlinkDecodeError, NLM_F_ACK_TLVS, NLM_F_CAPPED, } from '../../src/netlink/index.js';
import { xfrmAttrSpace, xfrmSadAttrSpace, xfrmSpdAttrSpace } from '../../src/xfrm/attributes.js';
import { decodeXfrmMessages, xfrmFamily, xfrmMessageSpec } from '../../src/xfrm/family.js';
import { XFRM_MESSAGE_SPECS } from '../../src/xfrm/messages/index.js';
import * as structs from '../../src/xfrm/structs/index.js';
import { fixtureFiles, loadFixture } from '../helpers/fixtures.js';
import { prng, randomBytes, toHex } from '../helpers/hex.js';
// ---------------------------------------------------------------------------------------
// Markers and placement
// ---------------------------------------------------------------------------------------
/** Two 8-byte markers of distinct bytes (so a 4-byte window identifies them). */
const MARKERS = [
    Uint8Array.of(0xa5, 0x5a, 0xc3, 0x3c, 0x96, 0x69, 0xf0, 0x0f),
    Uint8Array.of(0x5c, 0xe1, 0x3b, 0xd4, 0x87, 0x2e, 0x71, 0xb8),
];
/** Marker bytes before the input: not a multiple of 4, so aligned reads cannot hide. */
const LEAD = 61;
/** Marker bytes after the input. */
const TRAIL = 67;
function makeMarker(bytes) {
    const next = new Int16Array(256).fill(-1);
    for (let i = 0; i < 8; i++)
        next[bytes[i]] = bytes[(i + 1) % 8];
    const u32 = new Set();
    const u64 = new Set();
    const w = new Uint8Array(16);
    for (let i = 0; i < 16; i++)
        w[i] = bytes[i % 8];
    const dv = new DataView(w.buffer);
    for (let p = 0; p < 8; p++) {
        u32.add(dv.getUint32(p, true)).add(dv.getUint32(p, false));
        u64.add(dv.getBigUint64(p, true)).add(dv.getBigUint64(p, false));
    }
    return { bytes, next, u32, u64 };
}
const MARKS = MARKERS.map(makeMarker);
function place(input, m) {
    const outer = new ArrayBuffer(LEAD + input.length + TRAIL);
    const all = new Uint8Array(outer);
    for (let i = 0; i < all.length; i++)
        all[i] = m.bytes[i % 8];
    all.set(input, LEAD);
    return {
        outer,
        sub: new Uint8Array(outer, LEAD, input.length),
        view: new DataView(outer, LEAD, input.length),
        wide: new DataView(outer, LEAD, input.length + TRAIL),
    };
}
/** True if `b` holds 4 consecutive marker bytes (in marker order). */
function hasMarkerRun(b, m) {
    for (let i = 0; i + 3 < b.length; i++) {
        const n = m.next[b[i]];
        if (n >= 0 && b[i + 1] === n && b[i + 2] === m.next[n] && b[i + 3] === m.next[m.next[n]])
            return true;
    }
    return false;
}
function hasMarkerChars(s, m) {
    if (s.length < 4)
        return false;
    const codes = [];
    for (let i = 0; i < s.length; i++)
        codes.push(s.charCodeAt(i) & 0x1ff);
    return hasMarkerRun(codes, m);
}
// ---------------------------------------------------------------------------------------
// Checking outputs
// ---------------------------------------------------------------------------------------
/**
 * A canonical text of `v` (for the two-marker comparison), checking each leaf for marker
 * bytes and for aliasing of `outer` on the way. Problems are appended to `bad`.
 */
function canon(v, p, m, bad, path = '$') {
    if (v instanceof Uint8Array) {
        if (v.buffer === p.outer)
            bad.push(`${path}: Uint8Array aliases the input's buffer`);
        if (hasMarkerRun(v, m))
            bad.push(`${path}: Uint8Array holds marker bytes (read outside the view)`);
        return `u8:${toHex(v)}`;
    }
    if (typeof v === 'string') {
        if (hasMarkerChars(v, m))
            bad.push(`${path}: string holds marker bytes`);
        return JSON.stringify(v);
    }
    if (typeof v === 'number') {
        if (m.u32.has(v))
            bad.push(`${path}: number ${v} is made of marker bytes`);
        return String(v);
    }
    if (typeof v === 'bigint') {
        if (m.u64.has(v) || m.u32.has(Number(v & 0xffffffffn)) || m.u32.has(Number(v >> 32n))) {
            bad.push(`${path}: bigint ${v} holds marker bytes`);
        }
        return `${v}n`;
    }
    if (Array.isArray(v))
        return `[${v.map((x, i) => canon(x, p, m, bad, `${path}[${i}]`)).join(',')}]`;
    if (v !== null && typeof v === 'object') {
        if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer)
            bad.push(`${path}: unexpected ${v.constructor.name}`);
        const keys = Object.keys(v).sort();
        return `{${keys.map((k) => `${k}:${canon(v[k], p, m, bad, `${path}.${k}`)}`).join(',')}}`;
    }
    return String(v);
}
const failures = [];
let calls = 0;
/** Run `entry` over `input` placed in both markers and check everything the header promises. */
function check(name, input, entry) {
    const texts = [];
    for (const m of MARKS) {
        const p = place(input, m);
        const bad = [];
        let text;
        calls++;
        try {
            text = canon(entry(p), p, m, bad);
        }
        catch (e) {
            if (!(e instanceof NetlinkDecodeError)) {
                bad.push(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
                text = 'untyped';
            }
            else {
                if (hasMarkerChars(e.message, m))
                    bad.push('error message holds marker bytes');
                text = `NetlinkDecodeError: ${e.message}`;
            }
        }
        for (const problem of bad)
            failures.push({ entry: name, input: toHex(input), problem });
        texts.push(text);
    }
    if (texts[0] !== texts[1]) {
        failures.push({ entry: name, input: toHex(input), problem: `result depends on bytes outside the view:\n  ${texts[0].slice(0, 300)}\n  ${texts[1].slice(0, 300)}` });
    }
}
function report() {
    const byEntry = new Map();
    for (const f of failures)
        byEntry.set(f.entry, (byEntry.get(f.entry) ?? 0) + 1);
    const lines = [...byEntry].map(([e, n]) => `${e}: ${n}`);
    const first = failures.slice(0, 15).map((f) => `${f.entry} on ${f.input.slice(0, 160)}: ${f.problem}`);
    return `${failures.length} failures in ${calls} calls\n${lines.join('\n')}\n${first.join('\n')}`;
}
// ---------------------------------------------------------------------------------------
// Inputs: fixtures, their length fields, mutations
// ---------------------------------------------------------------------------------------
const U32_BOUNDARIES = [0, 1, 3, 4, 15, 16, 17, 20, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0x80000010, 0x80000013, 0xfffffffc, 0xffffffff];
const U16_BOUNDARIES = [0, 1, 3, 4, 5, 7, 8, 15, 16, 0x7fff, 0x8000, 0xfffc, 0xffff];
const NEAR = [-4, -3, -2, -1, 1, 2, 3, 4];
function u16(b, at) {
    return b[at] | (b[at + 1] << 8);
}
function u32(b, at) {
    return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}
/** Walk attributes in [start, end) leniently, recording their length fields and payloads (and nested lists). */
function scanAttrs(b, start, end, fields, regions, depth) {
    let off = start;
    const found = [];
    while (off + 4 <= end) {
        const len = u16(b, off);
        if (len < 4 || len > end - off)
            return false;
        found.push([off, len]);
        off += Math.min(nlaAlign(len), end - off);
    }
    if (off !== end)
        return false;
    for (const [at, len] of found) {
        fields.push({ at, width: 2, near: [len, end - at] });
        regions.push({ offset: at + 4, length: len - 4 });
        if (depth < 2 && len > 8)
            scanAttrs(b, at + 4, at + len, fields, regions, depth + 1);
    }
    return true;
}
/** Where the attributes of the message at `off` start (after its fixed header), or -1. */
function attrStartOf(b, off, len) {
    const type = u16(b, off + 4);
    const flags = u16(b, off + 6);
    const start = off + 16;
    if (type === 2) {
        if (len < 36 || (flags & NLM_F_ACK_TLVS) === 0)
            return -1;
        if (flags & NLM_F_CAPPED)
            return start + 20;
        return start + 20 + nlaAlign(Math.max(0, u32(b, start + 4) - 16));
    }
    if (type === 3)
        return start + 4;
    const spec = xfrmMessageSpec(type);
    if (!spec)
        return -1;
    return start + (spec.body ? nlaAlign(spec.body.length(undefined)) : 0);
}
function scanDatagram(b) {
    const s = { fields: [], regions: [], messages: [] };
    let off = 0;
    while (off + 16 <= b.length) {
        const len = u32(b, off);
        if (len < 16 || len > b.length - off)
            break;
        s.messages.push([off, len]);
        s.fields.push({ at: off, width: 4, near: [len, b.length - off] });
        if (u16(b, off + 4) === 2 && len >= 36)
            s.fields.push({ at: off + 20, width: 4, near: [u32(b, off + 20), len - 16] });
        const a = attrStartOf(b, off, len);
        if (a >= 0 && a <= off + len)
            scanAttrs(b, a, off + len, s.fields, s.regions, 0);
        off += nlaAlign(len);
    }
    return s;
}
function withValue(b, f, v) {
    const out = b.slice();
    const dv = new DataView(out.buffer);
    if (f.width === 2)
        dv.setUint16(f.at, v & 0xffff, true);
    else
        dv.setUint32(f.at, v >>> 0, true);
    return out;
}
function valuesFor(f) {
    const vals = new Set(f.width === 2 ? U16_BOUNDARIES : U32_BOUNDARIES);
    for (const n of f.near)
        for (const d of NEAR)
            if (n + d >= 0)
                vals.add(n + d);
    const max = f.width === 2 ? 0xffff : 0xffffffff;
    return [...vals].filter((v) => v <= max);
}
/** Every distinct datagram of the fixtures. */
function fixtureDatagrams() {
    const seen = new Set();
    const out = [];
    for (const path of fixtureFiles()) {
        for (const d of loadFixture(path).datagrams) {
            const key = toHex(d.bytes);
            if (seen.has(key))
                continue;
            seen.add(key);
            out.push(d.bytes);
        }
    }
    return out;
}
/** The message at `[off, off + len)` alone, as a datagram of its own. */
function messageAlone(b, off, len) {
    return b.slice(off, off + len);
}
// ---------------------------------------------------------------------------------------
// Entries
// ---------------------------------------------------------------------------------------
/**
 * The items of a generator, stopping with an error after `max`: a walk whose step can be 0
 * would otherwise spin until memory runs out.
 */
function take(gen, max = 10_000) {
    const out = [];
    for (const x of gen) {
        if (out.length === max)
            throw new Error(`iterator did not stop after ${max} items (a step of 0?)`);
        out.push(x);
    }
    return out;
}
function rawLoc(view) {
    const g = (o, w) => (o + w <= view.byteLength ? (w === 2 ? view.getUint16(o, true) : view.getUint32(o, true)) : 0);
    return { offset: 0, len: g(0, 4), type: g(4, 2), flags: g(6, 2), seq: g(8, 4), pid: g(12, 4) };
}
function attrStartIn(view) {
    const loc = rawLoc(view);
    const spec = xfrmMessageSpec(loc.type);
    const body = spec?.body ? nlaAlign(spec.body.length(undefined)) : 0;
    return Math.min(view.byteLength, 16 + body);
}
/** Entries that take a whole datagram. */
const MESSAGE_ENTRIES = [
    ['decodeXfrmMessages', (p) => decodeXfrmMessages(p.sub, true)],
    ['decodeMessages(null family)', (p) => decodeMessages(p.sub, null, true)],
    // What the socket and subscription do: the view is the receive buffer, the datagram's length is `end`.
    [
        'receive buffer: nlmsgIterate(0, length)+decodeMessage',
        (p) => take(nlmsgIterate(p.wide, true, 0, p.sub.length)).map((loc) => decodeMessage(p.wide, loc, xfrmFamily, true)),
    ],
    ['nlmsgIterate+decodeMessage', (p) => take(nlmsgIterate(p.view, true)).map((loc) => decodeMessage(p.view, loc, xfrmFamily, true))],
    // The raw header as a location, without nlmsgAt's checks: decodeMessage must make its own.
    ['decodeMessage(unchecked loc)', (p) => decodeMessage(p.view, rawLoc(p.view), xfrmFamily, true)],
    ['xfrmFamily.decode(unchecked loc)', (p) => xfrmFamily.decode(p.view, rawLoc(p.view), true) ?? null],
    ['nlmsgIterate(end = nlmsg_len)', (p) => take(nlmsgIterate(p.view, true, 0, rawLoc(p.view).len))],
    ['decodeNlmsgerr(ACK_TLVS)', (p) => decodeNlmsgerr(p.view, 16, p.view.byteLength, NLM_F_ACK_TLVS, true)],
    ['decodeNlmsgerr(end = nlmsg_len)', (p) => decodeNlmsgerr(p.view, 16, rawLoc(p.view).len, rawLoc(p.view).flags, true)],
    ['decodeAttrs(xfrm)', (p) => decodeAttrs(p.view, attrStartIn(p.view), p.view.byteLength, xfrmAttrSpace, true)],
    ['decodeAttrs(xfrm, end = nlmsg_len)', (p) => decodeAttrs(p.view, attrStartIn(p.view), rawLoc(p.view).len, xfrmAttrSpace, true)],
    ['decodeAttrs(nlmsgerr)', (p) => decodeAttrs(p.view, Math.min(36, p.view.byteLength), p.view.byteLength, nlmsgerrAttrSpace, true)],
    ['nlaIterate', (p) => take(nlaIterate(p.view, attrStartIn(p.view), p.view.byteLength, true))],
];
const entries = (...names) => MESSAGE_ENTRIES.filter(([n]) => names.includes(n));
/** For a mutated nlmsg_len or echoed length: the entries that read those (the others repeat the first). */
const HEADER_ENTRIES = entries('decodeXfrmMessages', 'receive buffer: nlmsgIterate(0, length)+decodeMessage', 'decodeMessage(unchecked loc)', 'xfrmFamily.decode(unchecked loc)', 'nlmsgIterate(end = nlmsg_len)', 'decodeNlmsgerr(end = nlmsg_len)', 'decodeAttrs(xfrm, end = nlmsg_len)');
/** For a mutated nla_len. */
const ATTR_ENTRIES = entries('decodeXfrmMessages', 'receive buffer: nlmsgIterate(0, length)+decodeMessage', 'decodeAttrs(xfrm)', 'nlaIterate');
/** Every codec reachable from the public API: struct codecs, netlink codecs, attribute and message tables. */
function allCodecs() {
    const set = new Map();
    const isCodec = (x) => typeof x === 'object' && x !== null && typeof x.decode === 'function' && typeof x.length === 'function';
    for (const mod of [structs, netlink]) {
        for (const [k, v] of Object.entries(mod))
            if (isCodec(v) && !set.has(v))
                set.set(v, k);
    }
    const spaces = [xfrmAttrSpace, xfrmSadAttrSpace, xfrmSpdAttrSpace, nlmsgerrAttrSpace, nlPolicyTypeAttrSpace];
    for (const s of spaces)
        for (const spec of s.byType)
            if (spec && !set.has(spec.codec))
                set.set(spec.codec, `${s.name}.${spec.name}`);
    for (const m of XFRM_MESSAGE_SPECS)
        if (m.body && !set.has(m.body))
            set.set(m.body, `${m.name}.body`);
    return [...set].map(([c, n]) => [n, c]);
}
/** The plain `decodeXxx` functions of the struct files, each called the way its signature says. */
function plainDecoders() {
    const out = [];
    const special = {
        decodeXfrmAddress: (f) => (v, o) => [f(v, o, 2), f(v, o, 10)],
        decodeXfrmId: (f) => (v, o) => [f(v, o, true, 2), f(v, o, true, 10)],
        decodeXfrmAlgName: (f) => (v, o) => f(v, o, 'xfrm_algo'),
        decodeXfrmCtxString: (f) => (v, o, a) => f(v, o, a),
        decodeXfrmAlgKey: (f) => (v, o, a) => U32_BOUNDARIES.map((bits) => {
            try {
                return f(v, o, 68, o + a, bits, 'xfrm_algo');
            }
            catch (e) {
                if (e instanceof NetlinkDecodeError)
                    return e.message;
                throw e;
            }
        }),
    };
    const mods = [
        structs,
        { decodeNlmsghdr: netlink.decodeNlmsghdr, decodeNlaBitfield32: netlink.decodeNlaBitfield32, decodeNlPktinfo: netlink.decodeNlPktinfo, decodeSockaddrNl: netlink.decodeSockaddrNl },
    ];
    for (const mod of mods) {
        for (const [k, f] of Object.entries(mod)) {
            if (!k.startsWith('decode') || typeof f !== 'function')
                continue;
            if (special[k])
                out.push([k, special[k](f)]);
            else if (f.length === 4)
                out.push([k, (v, o, a) => f(v, o, a, true)]);
            else
                out.push([k, (v, o) => f(v, o, true)]);
        }
    }
    return out;
}
// ---------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------
const datagrams = fixtureDatagrams();
describe('no decoder reads outside the view it is given (issue 10 item 1)', () => {
    // Hundreds of thousands of expected NetlinkDecodeErrors: their stack traces are not needed.
    let stackTraceLimit;
    beforeAll(() => {
        stackTraceLimit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
    });
    afterAll(() => {
        Error.stackTraceLimit = stackTraceLimit;
    });
    test('there are fixtures to start from', () => {
        expect(datagrams.length).toBeGreaterThan(100);
    });
    test('the exact reproducer: NLMSG_ERROR, ACK_TLVS, echoed nlmsg_len 0x80000010', () => {
        const b = new Uint8Array(36);
        const dv = new DataView(b.buffer);
        dv.setUint32(0, 36, true);
        dv.setUint16(4, 2, true);
        dv.setUint16(6, 0x200, true);
        dv.setInt32(16, -22, true);
        dv.setUint32(20, 0x80000010, true);
        failures.length = 0;
        for (const [name, entry] of MESSAGE_ENTRIES)
            check(name, b, entry);
        expect(failures.length, report()).toBe(0);
    });
    test('fixtures and their mutated lengths, through every message-level entry', () => {
        failures.length = 0;
        calls = 0;
        const rand = prng(0x0b0d5);
        for (const d of datagrams) {
            // Unchanged, in both byte orders for the main entry.
            for (const [name, entry] of MESSAGE_ENTRIES)
                check(name, d, entry);
            check('decodeXfrmMessages(big-endian)', d, (p) => decodeXfrmMessages(p.sub, false));
            // Truncations.
            for (const n of new Set([0, 1, 4, 15, 16, 17, 20, 35, d.length >> 1, d.length - 4, d.length - 3, d.length - 2, d.length - 1])) {
                if (n >= 0 && n < d.length)
                    check('decodeXfrmMessages(truncated)', d.subarray(0, n), MESSAGE_ENTRIES[0][1]);
            }
        }
        // Length mutations, on units small enough to keep this fast: each distinct message alone,
        // and each datagram's first two messages together (so the framing of what follows a
        // mutated length is exercised). seq and pid are zeroed first: messages that differ only
        // there are the same case.
        const units = new Map();
        for (const d of datagrams) {
            const s = scanDatagram(d);
            const [first, second] = s.messages;
            const parts = s.messages.map(([off, len]) => messageAlone(d, off, len));
            if (first && second)
                parts.push(d.slice(0, second[0] + second[1]));
            for (const u of parts) {
                for (const [off] of scanDatagram(u).messages)
                    u.fill(0, off + 8, off + 16);
                units.set(toHex(u), u);
            }
        }
        for (const input of units.values()) {
            {
                const fields = scanDatagram(input).fields;
                // Every nlmsg_len and echoed length; a seeded sample of at most 6 nla_len fields.
                const heads = fields.filter((f) => f.width === 4);
                const attrs = fields.filter((f) => f.width === 2);
                const picked = attrs.length <= 6 ? attrs : Array.from({ length: 6 }, () => attrs[Math.floor(rand() * attrs.length)]);
                for (const f of [...heads, ...picked]) {
                    for (const v of valuesFor(f)) {
                        const m = withValue(input, f, v);
                        // The first three entries cover framing; the unchecked ones and the attribute walk
                        // need only the header's fields.
                        for (const [name, entry] of f.width === 4 ? HEADER_ENTRIES : ATTR_ENTRIES)
                            check(name, m, entry);
                    }
                }
            }
        }
        expect(failures.length, report()).toBe(0);
        expect(calls).toBeGreaterThan(10_000);
    });
    test('every struct codec and plain decoder at every size near its own, told more is available than the view holds', () => {
        failures.length = 0;
        calls = 0;
        const codecs = allCodecs();
        const plain = plainDecoders();
        expect(codecs.length).toBeGreaterThan(40);
        expect(plain.length).toBeGreaterThan(40);
        // Content does not matter here, sizes do: every size up to 16 and around each fixed
        // struct's own size, filled with seeded random bytes.
        const sizes = new Set();
        for (let n = 0; n <= 16; n++)
            sizes.add(n);
        for (const [, c] of codecs) {
            let size;
            try {
                size = c.length(undefined);
            }
            catch {
                continue;
            }
            if (Number.isInteger(size))
                for (let d = -4; d <= 4; d++)
                    if (size + d >= 0)
                        sizes.add(size + d);
        }
        const rand = prng(0x512e);
        for (const n of sizes) {
            const p = randomBytes(rand, n);
            for (const [name, c] of codecs) {
                check(name, p, (x) => c.decode(x.view, 0, n, true));
                check(`${name}(available > view)`, p, (x) => c.decode(x.view, 0, n + 8, true));
                check(`${name}(view > available)`, p, (x) => c.decode(x.wide, 0, n, true));
                check(`${name}(available 2^32-1)`, p, (x) => c.decode(x.view, 0, 0xffffffff, true));
                check(`${name}(offset at end)`, p, (x) => c.decode(x.view, n, 4, true));
            }
            for (const [name, f] of plain) {
                check(name, p, (x) => f(x.view, 0, n));
                check(`${name}(available > view)`, p, (x) => f(x.view, 0, n + 8));
                check(`${name}(offset at end)`, p, (x) => f(x.view, n, 4));
            }
        }
        expect(failures.length, report()).toBe(0);
    });
    test('every struct codec over every attribute payload of the fixtures, and its inner length fields at boundaries', () => {
        failures.length = 0;
        calls = 0;
        const codecs = allCodecs();
        // Distinct payloads, at most 3 of each length (the length picks which codecs get far),
        // then variants with the inner length fields of the variable structs at boundaries.
        const seen = new Set();
        const perLength = new Map();
        const payloads = [];
        const add = (p) => {
            const k = toHex(p);
            if (!seen.has(k)) {
                seen.add(k);
                payloads.push(p);
            }
        };
        for (const d of datagrams) {
            for (const r of scanDatagram(d).regions) {
                const count = perLength.get(r.length) ?? 0;
                if (count >= 3)
                    continue;
                perLength.set(r.length, count + 1);
                add(d.slice(r.offset, r.offset + r.length));
            }
        }
        const originals = payloads.slice();
        for (const p of originals) {
            const n = p.length;
            const set32 = (at, vs) => {
                if (at + 4 <= n)
                    for (const v of vs)
                        if (v >= 0 && v <= 0xffffffff)
                            add(withValue(p, { at, width: 4, near: [] }, v));
            };
            const set16 = (at, vs) => {
                if (at + 2 <= n)
                    for (const v of vs)
                        if (v >= 0 && v <= 0xffff)
                            add(withValue(p, { at, width: 2, near: [] }, v));
            };
            const around = (x) => [x - 1, x, x + 1];
            // xfrm_replay_state_esn.bmp_len (words after the 24-byte header).
            set32(0, [...U32_BOUNDARIES, ...around(Math.floor((n - 24) / 4))]);
            // xfrm_algo*.alg_key_len (bits after the 68- or 72-byte header).
            set32(64, [...U32_BOUNDARIES, ...around((n - 68) * 8), ...around((n - 72) * 8), 0x7ffffff8, 0xfffffff8]);
            set32(68, U32_BOUNDARIES);
            // xfrm_sec_ctx.ctx_len, xfrm_user_sec_ctx.len and .ctx_len (kept consistent so the
            // length check after the consistency check is reached).
            set16(2, [...U16_BOUNDARIES, ...around(n - 8)]);
            for (const v of [...U16_BOUNDARIES, ...around(n - 8)]) {
                if (n >= 8 && v >= 0 && v + 8 <= 0xffff) {
                    const q = withValue(withValue(p, { at: 0, width: 2, near: [] }, v + 8), { at: 6, width: 2, near: [] }, v);
                    add(q);
                }
            }
        }
        // Fixed-size codecs compute no length from their input: the mutations matter only to
        // the variable ones (and to arrays and nests of anything).
        const variable = codecs.filter(([, c]) => {
            try {
                return !Number.isInteger(c.length(undefined));
            }
            catch {
                return true;
            }
        });
        expect(variable.map(([n]) => n)).toEqual(expect.arrayContaining(['xfrmReplayStateEsnCodec', 'xfrmAlgoCodec', 'xfrmUserSecCtxCodec']));
        for (const p of payloads) {
            const n = p.length;
            for (const [name, c] of originals.includes(p) ? codecs : variable) {
                check(name, p, (x) => c.decode(x.view, 0, n, true));
                check(`${name}(available > view)`, p, (x) => c.decode(x.view, 0, n + 64, true));
                check(`${name}(view > available)`, p, (x) => c.decode(x.wide, 0, n, true));
            }
        }
        expect(payloads.length).toBeGreaterThan(200);
        expect(failures.length, report()).toBe(0);
    });
});
describe('no encoder writes outside the view it is given', () => {
    // A codec writes `length(value)` bytes; given less room (a caller's mistake), the byte
    // arrays it copies (keys, strings, addresses, raw payloads) must not spill into whatever
    // shares the buffer after the view: Node's pooled Buffers, a receive buffer.
    const key = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
    const cases = [
        ['bytes', netlink.bytes, Uint8Array.of(1, 2, 3, 4, 5)],
        ['nulString', netlink.nulString, 'abcdef'],
        ['xfrm_algo', structs.xfrmAlgoCodec, { algName: 'cbc(aes)', algKeyLen: 160, algKey: key }],
        ['xfrm_algo_auth', structs.xfrmAlgoAuthCodec, { algName: 'hmac(sha1)', algKeyLen: 160, algTruncLen: 96, algKey: key }],
        ['xfrm_algo_aead', structs.xfrmAlgoAeadCodec, { algName: 'rfc4106(gcm(aes))', algKeyLen: 160, algIcvLen: 128, algKey: key }],
        ['xfrm_user_sec_ctx', structs.xfrmUserSecCtxCodec, { exttype: 8, ctxAlg: 1, ctxDoi: 1, ctx: 'system_u:object_r:x:s0' }],
        ['xfrm_sec_ctx', structs.xfrmSecCtxCodec, { ctxDoi: 1, ctxAlg: 1, ctxSid: 7, ctx: 'system_u:object_r:x:s0' }],
        ['xfrm_address_t (IPv6)', xfrmAttrSpace.byName.get('XFRMA_SRCADDR').codec, '2001:db8::1'],
        ['nested, unknown attribute', netlink.nestedCodec(xfrmAttrSpace), [{ type: 200, value: Uint8Array.of(9, 9, 9, 9, 9) }]],
        ['nested, attribute tail', netlink.nestedCodec(xfrmAttrSpace), [{ type: 'XFRMA_IF_ID', value: 5, tail: Uint8Array.of(7, 7, 7) }]],
    ];
    test.each(cases)('%s', (_, codec, value) => {
        const n = codec.length(value);
        const m = MARKS[0];
        for (let room = n - 1; room >= Math.max(0, n - 5); room--) {
            const p = place(new Uint8Array(room), m);
            try {
                codec.encode(p.view, 0, value, true);
            }
            catch (e) {
                // Refusing is right (a NetlinkEncodeError from the byte copies; a DataView setter
                // past the view's end throws RangeError by itself); writing past the view is not.
                if (!(e instanceof netlink.NetlinkEncodeError || e instanceof RangeError))
                    throw e;
            }
            const after = new Uint8Array(p.outer, LEAD + room);
            for (let i = 0; i < after.length; i++) {
                if (after[i] !== m.bytes[(LEAD + room + i) % 8])
                    expect.fail(`room ${room} of ${n}: byte ${i} after the view was overwritten`);
            }
        }
    });
});
