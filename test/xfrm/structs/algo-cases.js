/**
 * Tests shared by the three `xfrm_algo*` structs: same name and key rules, a different header
 * size and (for auth/aead) one extra u32 at offset 68.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../helpers/hex.js';
import { decodeBytes, encodeToBytes, expectDecodeError, expectEncodeErrors, structSuite, viewOfBytes, } from '../../helpers/struct-suite.js';
/** `alg_name` from its NUL to byte 64: padding whose position depends on the name. */
export function maskAlgName(b) {
    const nul = b.subarray(0, 64).indexOf(0);
    return nul >= 0 ? [[nul, 64]] : [];
}
/** A valid random encoding: ASCII name with a NUL somewhere, key of 0..39 bytes, 0..3 extra bytes. */
export function randomAlgoInput(header) {
    return (rand, le) => {
        const keyBytes = Math.floor(rand() * 40);
        const b = randomBytes(rand, header + keyBytes + Math.floor(rand() * 4));
        const nul = Math.floor(rand() * 64);
        for (let i = 0; i < nul; i++)
            b[i] = 1 + Math.floor(rand() * 0x7e);
        b[nul] = 0;
        // Any bit count whose byte count is keyBytes, including ones that are not a multiple of 8.
        const bits = keyBytes === 0 ? 0 : keyBytes * 8 - Math.floor(rand() * 8);
        new DataView(b.buffer).setUint32(64, bits, le);
        return b;
    };
}
export function algoFamilyTests(c) {
    const key16 = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const base = c.make({ algName: 'cbc(aes)', algKeyLen: 128, algKey: key16 });
    structSuite({
        name: c.name,
        size: c.header,
        sizeConst: c.sizeConst,
        codec: c.codec,
        encode: c.encode,
        variable: true,
        samples: [
            base,
            c.make({ algName: 'deflate', algKeyLen: 0, algKey: new Uint8Array(0) }),
            c.make({ algName: '', algKeyLen: 12, algKey: Uint8Array.of(0xab, 0xc0) }),
            c.make({ algName: 'x'.repeat(63), algKeyLen: 8, algKey: Uint8Array.of(0xff) }),
            c.make({ algName: 'chacha20-poly1305-ü', algKeyLen: 288, algKey: new Uint8Array(36).fill(0x5a) }),
        ],
        padding: c.padding,
        expectedPadding: [],
        maskExtra: maskAlgName,
        randomInput: randomAlgoInput(c.header),
    });
    describe(`${c.name} specifics`, () => {
        it('alg_key_len defaults to the key length in bits', () => {
            const v = { ...base, algKeyLen: undefined };
            const out = encodeToBytes(c.codec, v, true);
            expect(new DataView(out.buffer).getUint32(64, true)).toBe(128);
            expect(decodeBytes(c.codec, out, true).algKeyLen).toBe(128);
        });
        it('decodes exactly header + ⌈bits/8⌉ bytes and leaves extra bytes to the caller', () => {
            const out = encodeToBytes(c.codec, base, true);
            const longer = new Uint8Array(out.length + 5);
            longer.set(out);
            longer.fill(0xee, out.length);
            const v = decodeBytes(c.codec, longer, true);
            expect(v).toEqual(base);
            expect(c.codec.length(v)).toBe(c.header + 16);
        });
        it('the decoded key is a copy', () => {
            const out = encodeToBytes(c.codec, base, true);
            const v = decodeBytes(c.codec, out, true);
            out[c.header] = 0x99;
            expect(v.algKey[0]).toBe(1);
        });
        it('ignores bytes after the NUL of alg_name', () => {
            const out = encodeToBytes(c.codec, base, false);
            out.fill(0x41, 9, 64); // "cbc(aes)\0AAAA…"
            expect(decodeBytes(c.codec, out, false)).toEqual(base);
        });
        it('rejects an alg_name without NUL', () => {
            const out = encodeToBytes(c.codec, base, true);
            out.fill(0x41, 0, 64);
            const e = expectDecodeError(() => decodeBytes(c.codec, out, true), c.name);
            expect(e.reason).toBe('alg_name has no NUL terminator');
            expect(e.offset).toBe(0);
        });
        it('rejects an alg_name that is not UTF-8', () => {
            const out = encodeToBytes(c.codec, base, true);
            out[0] = 0xff;
            expect(expectDecodeError(() => decodeBytes(c.codec, out, true), c.name).reason).toBe('alg_name is not valid UTF-8');
        });
        it('rejects a key shorter than alg_key_len says', () => {
            const out = encodeToBytes(c.codec, base, true);
            for (const le of [true, false]) {
                const b = out.slice();
                new DataView(b.buffer).setUint32(64, 129, le); // 129 bits = 17 bytes, only 16 present
                const e = expectDecodeError(() => c.codec.decode(viewOfBytes(b), 0, b.length, le), c.name);
                expect(e.reason).toBe('alg_key_len 129 bits needs 17 key bytes, payload has 16');
                expect(e.offset).toBe(64);
            }
            // available cuts the key even though the view holds it all.
            const e = expectDecodeError(() => c.codec.decode(viewOfBytes(out), 0, out.length - 1, true), c.name);
            expect(e.reason).toBe('alg_key_len 128 bits needs 16 key bytes, payload has 15');
            // A huge alg_key_len never allocates or reads past the end.
            const huge = out.slice();
            new DataView(huge.buffer).setUint32(64, 0xffffffff, true);
            expect(expectDecodeError(() => decodeBytes(c.codec, huge, true), c.name).reason).toBe('alg_key_len 4294967295 bits needs 536870912 key bytes, payload has 16');
        });
        it('rejects bad names, keys and lengths when encoding', () => {
            expectEncodeErrors(c.codec, base, [
                [{ algName: 'x'.repeat(64) }, `${c.name}.alg_name`],
                [{ algName: 'é'.repeat(32) }, `${c.name}.alg_name`], // 64 UTF-8 bytes
                [{ algName: 'cbc\0aes' }, `${c.name}.alg_name`],
                [{ algName: 5 }, `${c.name}.alg_name`],
                [{ algKeyLen: 64 }, `${c.name}.alg_key_len`], // 8 bytes, key has 16
                [{ algKeyLen: 136 }, `${c.name}.alg_key_len`],
                [{ algKeyLen: -8 }, `${c.name}.alg_key_len`],
                [{ algKeyLen: 127.5 }, `${c.name}.alg_key_len`],
                [{ algKey: [1, 2] }, `${c.name}.alg_key`],
            ]);
        });
    });
}
