/**
 * A tiny netlink family for the socket tests: three message types with a u32 fixed header
 * and a few attributes (one nested), so framing behaviour is tested independently of XFRM.
 */
import { NLA_F_NESTED, NLMSG_HDRLEN } from '../../src/netlink/index.js';
import { attrsLength, decodeAttrs, defineAttrSpace, encodeAttrs, nestedCodec, nulString, u32, } from '../../src/netlink/index.js';
export const TOY_PROTOCOL = 31;
export const TOY_NEW = 0x10;
export const TOY_GET = 0x11;
export const TOY_DEL = 0x12;
export const toyInnerSpace = defineAttrSpace('toy_inner', [
    [1, 'TOYA_INNER_A', u32],
    [2, 'TOYA_INNER_B', u32],
]);
export const toyAttrSpace = defineAttrSpace('toy_attr', [
    [1, 'TOYA_NAME', nulString],
    [2, 'TOYA_VALUE', u32],
    [3, 'TOYA_NEST', nestedCodec(toyInnerSpace), NLA_F_NESTED],
]);
const names = { [TOY_NEW]: 'TOY_NEW', [TOY_GET]: 'TOY_GET', [TOY_DEL]: 'TOY_DEL' };
const numbers = { TOY_NEW, TOY_GET, TOY_DEL };
export const toyFamily = {
    name: 'toy',
    protocol: TOY_PROTOCOL,
    typeName: (t) => names[t],
    typeNumber: (n) => numbers[n],
    decode(view, loc, le) {
        const type = names[loc.type];
        if (!type)
            return undefined;
        const start = loc.offset + NLMSG_HDRLEN;
        const end = loc.offset + loc.len;
        const body = u32.decode(view, start, end - start, le);
        const attrs = decodeAttrs(view, start + 4, end, toyAttrSpace, le);
        return { type, flags: loc.flags, seq: loc.seq, pid: loc.pid, body, attrs };
    },
    headerSize: (t) => (names[t] ? 4 : undefined), // a u32 body
    encodePayload(w, msg) {
        w.put(u32, msg.body);
        if (msg.attrs.length > 0) {
            w.align();
            const off = w.alloc(attrsLength(msg.attrs, toyAttrSpace));
            encodeAttrs(w.view, off, msg.attrs, toyAttrSpace, w.le);
        }
    },
};
/** A TOY_NEW with a name, a value and a nest: offsets 20 (NAME), 28 (VALUE), 36 (NEST), 40 (INNER_A), 48 (INNER_B). */
export function toyNew(body, value = 7) {
    return {
        type: 'TOY_NEW',
        body,
        attrs: [
            { type: 'TOYA_NAME', value: 'abc' },
            { type: 'TOYA_VALUE', value },
            {
                type: 'TOYA_NEST',
                value: [
                    { type: 'TOYA_INNER_A', value: 1 },
                    { type: 'TOYA_INNER_B', value: 2 },
                ],
            },
        ],
    };
}
