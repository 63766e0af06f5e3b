import { walk } from './structure.js';
import { XFRM_MESSAGE_SPECS } from '../src/xfrm/messages/index.js';
/** The boundary values of the brief (and their neighbours through ±1 mutations). */
export const BOUNDARY32 = [0, 1, 2, 3, 4, 15, 16, 17, 19, 20, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0x80000013, 0x80000010, 0xfffffff0, 0xfffffffc, 0xffffffff];
const BOUNDARY16 = [0, 1, 3, 4, 5, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000, 0x7fff, 0x8000, 0xfffc, 0xffff];
const BOUNDARY8 = [0, 1, 0x7f, 0x80, 0xfe, 0xff];
const XFRM_TYPES = XFRM_MESSAGE_SPECS.map((s) => s.type);
const CONTROL_TYPES = [1, 2, 3, 4];
/** Flag bits that change how a message is read. */
const MSG_FLAGS = [0x2, 0x10, 0x20, 0x100, 0x200, 0x300, 0x400, 0x800];
/** Names of the mutation operators (for statistics). */
export const OPS = [
    'bitflip',
    'byte',
    'boundary',
    'msglen',
    'nlalen',
    'nlatype',
    'msgtype',
    'msgflags',
    'truncate',
    'splice',
    'dup-attr',
    'del-attr',
    'nest-attr',
    'import-attr',
    'insert-bytes',
    'delete-bytes',
];
class Buf {
    b;
    constructor(b) {
        this.b = b;
    }
    w(off, width, v, le) {
        if (off < 0 || off + width > this.b.length)
            return;
        for (let i = 0; i < width; i++) {
            const sh = le ? i : width - 1 - i;
            this.b[off + i] = sh >= 4 ? 0 : (v >>> (8 * sh)) & 0xff;
        }
    }
    r(off, width, le) {
        let v = 0;
        for (let i = 0; i < width; i++)
            v += this.b[off + i] * 2 ** (8 * (le ? i : width - 1 - i));
        return v;
    }
    /** Replace [off, off+del) with ins, adding (ins.length - del) to every container enclosing off. */
    splice(off, del, ins, fix, le) {
        const n = new Uint8Array(this.b.length - del + ins.length);
        n.set(this.b.subarray(0, off), 0);
        n.set(ins, off);
        n.set(this.b.subarray(off + del), off + ins.length);
        this.b = n;
        if (fix) {
            const delta = ins.length - del;
            for (const c of fix) {
                const v = this.r(c.lenOff, c.width, le) + delta;
                this.w(c.lenOff, c.width, v < 0 ? 0 : v, le);
            }
        }
    }
}
function boundary(rng, width) {
    if (width === 1)
        return rng.pick(BOUNDARY8);
    if (width === 2)
        return rng.pick(BOUNDARY16);
    return rng.pick(BOUNDARY32);
}
/** A new value for a length field that was `cur`, with `room` bytes actually available. */
function lengthValue(rng, cur, room, width) {
    const max = width === 2 ? 0xffff : 0xffffffff;
    switch (rng.int(7)) {
        case 6:
            // Small negative numbers as unsigned: where 32-bit alignment arithmetic wraps.
            return width === 4 ? (0x100000000 - 1 - rng.int(64)) >>> 0 : 0x10000 - 1 - rng.int(16);
        case 0:
            return boundary(rng, width);
        case 1:
            return Math.max(0, Math.min(max, cur + rng.int(17) - 8));
        case 2:
            return Math.max(0, Math.min(max, room + rng.int(9) - 4));
        case 3:
            return rng.int(Math.min(max, Math.max(room * 2, 64)) + 1);
        case 4:
            return (cur + rng.pick([0x80000000, 0x80000013, 0xfffffffc, 0x10000, 0x8000])) % (max + 1);
        default:
            return rng.pick([0, 1, 3, 4, 15, 16, 17, 20, 36]);
    }
}
/** Apply 1–4 stacked mutations to a copy of `seed`; `other` is a second seed for splices. */
export function mutate(rng, seed, other, le, ops) {
    const buf = new Buf(seed.slice());
    const rounds = 1 + (rng.chance(0.5) ? 0 : rng.int(4));
    for (let r = 0; r < rounds; r++) {
        const op = rng.pick(OPS);
        ops.push(op);
        apply(rng, buf, other, le, op);
        if (buf.b.length > 1 << 16)
            buf.b = buf.b.subarray(0, 1 << 16).slice();
    }
    return buf.b;
}
function apply(rng, buf, other, le, op) {
    const b = buf.b;
    const layout = ['bitflip', 'byte', 'boundary', 'truncate', 'insert-bytes', 'delete-bytes'].includes(op) ? null : walk(b, le);
    const fix = rng.chance(0.85);
    switch (op) {
        case 'bitflip': {
            if (b.length === 0)
                return;
            const n = 1 + rng.int(3);
            for (let i = 0; i < n; i++)
                b[rng.int(b.length)] ^= 1 << rng.int(8);
            return;
        }
        case 'byte':
            if (b.length)
                b[rng.int(b.length)] = rng.chance(0.5) ? rng.pick(BOUNDARY8) : rng.int(256);
            return;
        case 'boundary': {
            const width = rng.pick([1, 2, 4, 4, 8]);
            if (b.length < width)
                return;
            let off = rng.int(b.length - width + 1);
            if (rng.chance(0.6))
                off &= ~3;
            const v = boundary(rng, width === 8 ? 4 : width);
            const wle = rng.chance(0.8) ? le : !le;
            if (width === 8) {
                buf.w(off, 4, rng.chance(0.5) ? v : 0xffffffff, wle);
                buf.w(off + 4, 4, v, wle);
            }
            else
                buf.w(off, width, v, wle);
            return;
        }
        case 'msglen': {
            const msgs = layout.msgs;
            if (!msgs.length)
                return buf.w(0, 4, boundary(rng, 4), le);
            const m = rng.pick(msgs);
            buf.w(m.off, 4, lengthValue(rng, m.len, b.length - m.off, 4), le);
            return;
        }
        case 'nlalen': {
            const attrs = layout.attrs;
            if (!attrs.length)
                return apply(rng, buf, other, le, 'msglen');
            const a = rng.pick(attrs);
            const room = (a.parents.length ? a.parents[a.parents.length - 1].end : b.length) - a.off;
            buf.w(a.off, 2, lengthValue(rng, a.len, room, 2), le);
            return;
        }
        case 'nlatype': {
            const attrs = layout.attrs;
            if (!attrs.length)
                return apply(rng, buf, other, le, 'msgtype');
            const a = rng.pick(attrs);
            let t;
            const valid = a.space.byType.flatMap((s, i) => (s ? [i] : []));
            const k = rng.int(10);
            if (k < 6 && valid.length)
                t = rng.pick(valid) | a.flags; // type confusion within the space
            else if (k < 7)
                t = a.type ^ 0x8000; // NLA_F_NESTED
            else if (k < 8)
                t = a.type ^ 0x4000; // NLA_F_NET_BYTEORDER
            else if (k < 9)
                t = (Math.max(...valid, 0) + 1 + rng.int(3)) & 0x3fff; // just past the space
            else
                t = rng.int(0x10000);
            buf.w(a.off + 2, 2, t, le);
            return;
        }
        case 'msgtype': {
            const msgs = layout.msgs;
            if (!msgs.length)
                return;
            const m = rng.pick(msgs);
            const k = rng.int(10);
            const t = k < 7 ? rng.pick(XFRM_TYPES) : k < 9 ? rng.pick(CONTROL_TYPES) : rng.int(0x10000);
            buf.w(m.off + 4, 2, t, le);
            return;
        }
        case 'msgflags': {
            const msgs = layout.msgs;
            if (!msgs.length)
                return;
            const m = rng.pick(msgs);
            buf.w(m.off + 6, 2, rng.chance(0.8) ? m.flags ^ rng.pick(MSG_FLAGS) : rng.int(0x10000), le);
            return;
        }
        case 'truncate': {
            if (b.length === 0)
                return;
            buf.b = b.subarray(0, rng.int(b.length)).slice();
            return;
        }
        case 'splice': {
            // A prefix of this seed and a suffix of the other, at message or random boundaries.
            const a = rng.chance(0.5) ? rng.int(b.length + 1) : b.length;
            const s = rng.chance(0.5) ? rng.int(other.length + 1) : 0;
            const n = new Uint8Array(a + other.length - s);
            n.set(b.subarray(0, a), 0);
            n.set(other.subarray(s), a);
            buf.b = n;
            return;
        }
        case 'dup-attr':
        case 'del-attr':
        case 'nest-attr':
        case 'import-attr': {
            const attrs = layout.attrs;
            if (!attrs.length)
                return apply(rng, buf, other, le, 'import-attr' === op ? 'splice' : 'msglen');
            const a = rng.pick(attrs);
            const padded = Math.min((a.len + 3) & ~3, (a.parents.length ? a.parents[a.parents.length - 1].end : b.length) - a.off);
            const fixes = fix ? a.parents : null;
            if (op === 'dup-attr') {
                const copy = b.slice(a.off, a.off + padded);
                const times = rng.chance(0.9) ? 1 : 1 + rng.int(64);
                const ins = new Uint8Array(copy.length * times);
                for (let i = 0; i < times; i++)
                    ins.set(copy, i * copy.length);
                buf.splice(a.off + padded, 0, ins, fixes, le);
            }
            else if (op === 'del-attr') {
                buf.splice(a.off, padded, new Uint8Array(0), fixes, le);
            }
            else if (op === 'nest-attr') {
                // Wrap the attribute in a new header (usually flagged NLA_F_NESTED) of a valid type.
                const valid = a.space.byType.flatMap((s, i) => (s ? [i] : []));
                const hdr = new Buf(new Uint8Array(4));
                hdr.w(0, 2, a.len + 4, le);
                hdr.w(2, 2, (valid.length ? rng.pick(valid) : a.type) | (rng.chance(0.7) ? 0x8000 : 0), le);
                buf.splice(a.off, 0, hdr.b, fixes, le);
                // The new header's own length is already right; the enclosing ones grew by 4.
            }
            else {
                const ol = walk(other, le);
                if (!ol.attrs.length)
                    return;
                const src = rng.pick(ol.attrs);
                const copy = other.slice(src.off, src.off + Math.min((src.len + 3) & ~3, other.length - src.off));
                buf.splice(rng.chance(0.5) ? a.off : a.off + padded, 0, copy, fixes, le);
            }
            return;
        }
        case 'insert-bytes': {
            const off = rng.int(b.length + 1);
            const n = rng.pick([1, 2, 3, 4, 8, 16, 64]);
            const ins = new Uint8Array(n);
            const v = rng.chance(0.5) ? 0 : rng.int(256);
            ins.fill(v);
            const l = walk(b, le);
            const fixes = fix ? enclosing(l, off) : null;
            buf.splice(off, 0, ins, fixes, le);
            return;
        }
        case 'delete-bytes': {
            if (!b.length)
                return;
            const off = rng.int(b.length);
            const n = Math.min(b.length - off, rng.pick([1, 2, 3, 4, 8, 16, 64]));
            const l = walk(b, le);
            const fixes = fix ? enclosing(l, off).filter((c) => off + n <= c.end && off >= c.start + (c.width === 4 ? 16 : 4)) : null;
            buf.splice(off, n, new Uint8Array(0), fixes, le);
            return;
        }
    }
}
/** Length fields whose range contains `off` (after their headers). */
function enclosing(l, off) {
    const out = [];
    const seen = new Set();
    for (const m of l.msgs) {
        for (const c of [...m.parents, { lenOff: m.off, width: 4, start: m.off, end: m.off + m.len }]) {
            if (!seen.has(c.lenOff) && off >= c.start + 16 && off <= c.end) {
                seen.add(c.lenOff);
                out.push(c);
            }
        }
    }
    for (const a of l.attrs) {
        if (!seen.has(a.off) && off >= a.off + 4 && off <= a.off + a.len) {
            seen.add(a.off);
            out.push({ lenOff: a.off, width: 2, start: a.off, end: a.off + a.len });
        }
    }
    return out;
}
