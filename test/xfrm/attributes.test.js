/**
 * The XFRMA_* space built from codecs keyed by name: numbers from the constants of the same
 * names, row order kept, and the old name XFRMA_OUTPUT_MARK as an encoder-only alias.
 */
import { describe, expect, test } from 'vitest';
import { decodeAttrs, encodeAttrs, attrsLength } from '../../src/netlink/nlattr.js';
import { HOST_LE } from '../../src/netlink/endian.js';
import * as C from '../../src/xfrm/constants.js';
import { xfrmAttrSpace, xfrmSadAttrSpace, xfrmSpdAttrSpace } from '../../src/xfrm/attributes.js';
describe('XFRMA_* spaces', () => {
    test.each([
        ['xfrm_attr_type_t', xfrmAttrSpace],
        ['xfrm_sadattr_type_t', xfrmSadAttrSpace],
        ['xfrm_spdattr_type_t', xfrmSpdAttrSpace],
    ])('%s: each name has the number of its constant, and each number its first name', (name, space) => {
        expect(space.name).toBe(name);
        for (const [n, spec] of space.byName) {
            expect(spec.type, n).toBe(C[n]);
            if (n !== 'XFRMA_OUTPUT_MARK')
                expect(space.byType[spec.type].name).toBe(n);
        }
    });
    test('xfrm_attr_type_t knows every type from XFRMA_ALG_AUTH to XFRMA_IPTFS_PKT_SIZE', () => {
        for (let t = C.XFRMA_ALG_AUTH; t <= C.XFRMA_IPTFS_PKT_SIZE; t++)
            expect(xfrmAttrSpace.byType[t], String(t)).toBeDefined();
    });
    test('XFRMA_OUTPUT_MARK encodes as type 29 and decodes as XFRMA_SET_MARK', () => {
        const attrs = [{ type: 'XFRMA_OUTPUT_MARK', value: 7 }];
        const view = new DataView(new ArrayBuffer(attrsLength(attrs, xfrmAttrSpace)));
        encodeAttrs(view, 0, attrs, xfrmAttrSpace, HOST_LE);
        expect(view.getUint16(2, HOST_LE)).toBe(C.XFRMA_SET_MARK);
        expect(decodeAttrs(view, 0, view.byteLength, xfrmAttrSpace, HOST_LE)).toEqual([{ type: 'XFRMA_SET_MARK', value: 7 }]);
    });
});
