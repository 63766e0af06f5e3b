/**
 * A tolerant walk of a netlink datagram: where the messages, attributes, length fields and
 * type fields are, which attribute space each attribute belongs to, and where key material
 * sits. The mutator uses it to aim at length and type fields and to insert, delete, duplicate
 * and nest attributes while fixing the enclosing lengths; the oracle uses it to know which
 * bytes of an input are keys (independently of the decoders under test, which may be wrong).
 * It never throws: it stops where the bytes stop making sense.
 */
import { nlmsgerrAttrSpace } from '../src/netlink/nlmsgerr.js';
import { xfrmMessageSpec } from '../src/xfrm/family.js';
const NLM_F_CAPPED = 0x100;
const NLM_F_ACK_TLVS = 0x200;
const NLM_F_DUMP = 0x300;
const NLA_F_NESTED = 0x8000;
const NLA_TYPE_MASK = 0x3fff;
/** `XFRMA_ALG_*` type → offset of `alg_key` inside the payload. */
const KEY_OFFSET = {
    1: 68, // XFRMA_ALG_AUTH: xfrm_algo (name[64], key_len)
    2: 68, // XFRMA_ALG_CRYPT
    3: 68, // XFRMA_ALG_COMP
    18: 72, // XFRMA_ALG_AEAD: xfrm_algo_aead (name[64], key_len, icv_len)
    20: 72, // XFRMA_ALG_AUTH_TRUNC: xfrm_algo_auth (name[64], key_len, trunc_len)
};
function u16(b, o, le) {
    return le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
}
function u32(b, o, le) {
    return le
        ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
        : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
/** True when `[start, end)` parses as a clean attribute list (the dump-request heuristic). */
function cleanAttrs(b, start, end, le) {
    let off = start;
    while (off < end) {
        if (end - off < 4)
            return false;
        const len = u16(b, off, le);
        if (len < 4 || len > end - off)
            return false;
        off += Math.min((len + 3) & ~3, end - off);
    }
    return true;
}
function walkAttrs(b, start, end, space, parents, le, out, xfrm, depth) {
    let off = start;
    while (off + 4 <= end) {
        const len = u16(b, off, le);
        if (len < 4 || len > end - off)
            return;
        const raw = u16(b, off + 2, le);
        const type = raw & NLA_TYPE_MASK;
        const node = { off, len, type, flags: raw & ~NLA_TYPE_MASK & 0xffff, space, parents };
        out.attrs.push(node);
        if (xfrm && KEY_OFFSET[type] !== undefined && space.byType[type]?.name.startsWith('XFRMA_ALG_')) {
            const ks = off + 4 + KEY_OFFSET[type];
            if (ks < off + len)
                out.keys.push({ start: ks, end: off + len });
        }
        const nested = space.byType[type]?.codec?.space;
        if (depth < 4 && (nested || (raw & NLA_F_NESTED) !== 0)) {
            const c = { lenOff: off, width: 2, start: off, end: off + len };
            walkAttrs(b, off + 4, off + len, nested ?? space, [...parents, c], le, out, xfrm && nested === undefined ? false : xfrm, depth + 1);
        }
        off += Math.min((len + 3) & ~3, end - off);
    }
}
function walkMsgs(b, start, end, parents, depth, le, out) {
    let off = start;
    while (off + 16 <= end) {
        const len = u32(b, off, le);
        if (len < 16 || len > end - off)
            return;
        const type = u16(b, off + 4, le);
        const flags = u16(b, off + 6, le);
        const c = { lenOff: off, width: 4, start: off, end: off + len };
        const ps = [...parents, c];
        const msg = { off, len, type, flags, attrStart: -1, space: null, parents, depth };
        out.msgs.push(msg);
        const mEnd = off + len;
        if (type === 2 && len >= 36) {
            // NLMSG_ERROR: error, echoed header (+ payload unless capped), then TLVs if ACK_TLVS.
            const echoLen = u32(b, off + 20, le);
            const capped = (flags & NLM_F_CAPPED) !== 0;
            const tlvs = (flags & NLM_F_ACK_TLVS) !== 0;
            if (depth < 2) {
                if (capped && tlvs) {
                    // Only the header is echoed: record it for its length/type fields, no payload.
                    out.msgs.push({ off: off + 20, len: 16, type: u16(b, off + 24, le), flags: u16(b, off + 26, le), attrStart: -1, space: null, parents: ps, depth: depth + 1 });
                }
                else {
                    walkMsgs(b, off + 20, tlvs ? Math.min(mEnd, off + 20 + Math.max(16, echoLen)) : mEnd, ps, depth + 1, le, out);
                }
            }
            if (tlvs) {
                const t = off + 20 + (capped ? 16 : (Math.max(16, echoLen) + 3) & ~3);
                if (t < mEnd) {
                    msg.attrStart = t;
                    msg.space = nlmsgerrAttrSpace;
                    walkAttrs(b, t, mEnd, nlmsgerrAttrSpace, ps, le, out, false, 0);
                }
            }
        }
        else if (type === 3 && len >= 20) {
            msg.attrStart = off + 20;
            msg.space = nlmsgerrAttrSpace;
            walkAttrs(b, off + 20, mEnd, nlmsgerrAttrSpace, ps, le, out, false, 0);
        }
        else if (type >= 0x10) {
            const spec = xfrmMessageSpec(type);
            if (spec) {
                let a = off + 16 + ((spec.body ? spec.body.length(undefined) : 0) + 3 & ~3);
                if (spec.dumpable && (flags & NLM_F_DUMP) !== 0 && cleanAttrs(b, off + 16, mEnd, le))
                    a = off + 16;
                msg.attrStart = a;
                msg.space = spec.attrs;
                if (a < mEnd)
                    walkAttrs(b, a, mEnd, spec.attrs, ps, le, out, true, 0);
            }
        }
        off += Math.min((len + 3) & ~3, end - off);
    }
}
/** Walk a datagram (host byte order unless `le` is false). */
export function walk(b, le = true) {
    const out = { msgs: [], attrs: [], keys: [] };
    walkMsgs(b, 0, b.length, [], 0, le, out);
    return out;
}
/** The key byte strings of an input worth looking for in outputs (long enough, not trivially repetitive, not present elsewhere in the input). */
export function keysOf(b, layout) {
    const out = [];
    const buf = Buffer.from(b.buffer, b.byteOffset, b.length);
    const inKey = (o, n) => layout.keys.some((k) => o >= k.start && o + n <= k.end);
    for (const k of layout.keys) {
        const key = b.subarray(k.start, k.end);
        if (key.length < 6)
            continue;
        if (new Set(key).size < 4)
            continue;
        // Bytes that also occur outside any key region are not only key material (a duplicated
        // or type-confused copy of the attribute): printing them there is legitimate.
        let elsewhere = false;
        for (let o = buf.indexOf(key); o !== -1; o = buf.indexOf(key, o + 1)) {
            if (!inKey(o, key.length)) {
                elsewhere = true;
                break;
            }
        }
        if (!elsewhere)
            out.push(key.slice());
    }
    return out;
}
