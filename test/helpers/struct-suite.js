/**
 * Shared property suite for struct codecs. Given a descriptor it runs, for a little-endian and
 * a big-endian host:
 *  1. round trip of the samples (length, exact-size buffer, decode(encode(v)) = v);
 *  2. encoding at offset 10 of a larger zeroed buffer (and through a view with a byteOffset);
 *  3. padding: encoding over 0xAA-filled memory leaves exactly the padding bytes untouched;
 *  4. random bytes → decode → encode gives the input back, padding masked (300 seeded iterations);
 *  5. every truncation (0..size-1 bytes) throws NetlinkDecodeError with `what` = the struct.
 */
import { describe, expect, it } from 'vitest';
import { NetlinkDecodeError, NetlinkEncodeError } from '../../src/netlink/errors.js';
import { fromHex, prng, randomBytes, toHex } from './hex.js';
/** Seed shared by every suite so failures reproduce. */
export const SEED = 0x5eed_1234;
export function viewOfBytes(b) {
    return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
export function maskRanges(bytes, ranges, base = 0) {
    for (const [a, b] of ranges)
        bytes.fill(0, base + a, base + b);
    return bytes;
}
/** Encode `value` with `codec` into a fresh zeroed buffer of exactly `codec.length(value)` bytes. */
export function encodeToBytes(codec, value, le) {
    const out = new Uint8Array(codec.length(value));
    codec.encode(viewOfBytes(out), 0, value, le);
    return out;
}
/** Decode all of `bytes` with `codec`. */
export function decodeBytes(codec, bytes, le) {
    return codec.decode(viewOfBytes(bytes), 0, bytes.length, le);
}
/** Assert that `fn` throws a {@link NetlinkDecodeError} (not a RangeError/TypeError) with this `what`. */
export function expectDecodeError(fn, what) {
    let thrown;
    try {
        fn();
    }
    catch (e) {
        thrown = e;
    }
    expect(thrown, `expected NetlinkDecodeError(${what})`).toBeInstanceOf(NetlinkDecodeError);
    expect(thrown.what).toBe(what);
    return thrown;
}
export function structSuite(d) {
    describe(`${d.name} (generic suite)`, () => {
        it('size, name and padding table match XFRM-ABI.md', () => {
            expect(d.sizeConst).toBe(d.size);
            expect(d.codec.name).toBe(d.name);
            expect(d.padding).toEqual(d.expectedPadding);
            for (const [a, b] of d.padding)
                expect(0 <= a && a < b && b <= d.size).toBe(true);
        });
        describe.each([
            ['little-endian host', true],
            ['big-endian host', false],
        ])('%s', (_label, le) => {
            it('round trips the samples', () => {
                expect(d.samples.length).toBeGreaterThan(0);
                for (const v of d.samples) {
                    const n = d.codec.length(v);
                    if (!d.variable)
                        expect(n).toBe(d.size);
                    else
                        expect(n).toBeGreaterThanOrEqual(d.size);
                    // An exact-size buffer: writing past the end would throw a RangeError.
                    const exact = encodeToBytes(d.codec, v, le);
                    // A larger buffer: nothing may be written after the first n bytes.
                    const roomy = new Uint8Array(n + 8);
                    d.codec.encode(viewOfBytes(roomy), 0, v, le);
                    expect(toHex(roomy.subarray(n))).toBe('00'.repeat(8));
                    expect(toHex(roomy.subarray(0, n))).toBe(toHex(exact));
                    // The plain function writes the same bytes.
                    const plain = new Uint8Array(n);
                    d.encode(viewOfBytes(plain), 0, v, le);
                    expect(toHex(plain)).toBe(toHex(exact));
                    const back = decodeBytes(d.codec, exact, le);
                    expect(back).toEqual(v);
                    expect(d.codec.length(back)).toBe(n);
                    if (d.decode)
                        expect(d.decode(viewOfBytes(exact), 0, le)).toEqual(v);
                }
            });
            it('encodes and decodes at offset 10 of a larger buffer', () => {
                for (const v of d.samples) {
                    const n = d.codec.length(v);
                    const alone = encodeToBytes(d.codec, v, le);
                    const big = new Uint8Array(10 + n + 10);
                    d.codec.encode(viewOfBytes(big), 10, v, le);
                    expect(toHex(big.subarray(10, 10 + n))).toBe(toHex(alone));
                    expect(toHex(big.subarray(0, 10))).toBe('00'.repeat(10));
                    expect(toHex(big.subarray(10 + n))).toBe('00'.repeat(10));
                    expect(d.codec.decode(viewOfBytes(big), 10, n, le)).toEqual(v);
                    // Through a DataView that starts 3 bytes into the buffer.
                    const shifted = new Uint8Array(10 + n + 10);
                    const view = new DataView(shifted.buffer, 3);
                    d.codec.encode(view, 7, v, le);
                    expect(toHex(shifted.subarray(10, 10 + n))).toBe(toHex(alone));
                    expect(d.codec.decode(view, 7, n, le)).toEqual(v);
                }
            });
            it('writes every byte except the padding', () => {
                for (const v of d.samples) {
                    const n = d.codec.length(v);
                    const zeroed = encodeToBytes(d.codec, v, le);
                    const dirty = new Uint8Array(n).fill(0xaa);
                    d.codec.encode(viewOfBytes(dirty), 0, v, le);
                    const pad = [...d.padding, ...(d.maskExtra?.(zeroed) ?? [])];
                    for (const [a, b] of pad)
                        expect(toHex(dirty.subarray(a, b))).toBe('aa'.repeat(b - a));
                    // Outside the padding, the dirty encoding matches the zeroed one: no unlisted hole.
                    expect(toHex(maskRanges(dirty.slice(), pad))).toBe(toHex(maskRanges(zeroed.slice(), pad)));
                }
            });
            it('random bytes → decode → encode gives the bytes back (padding masked)', () => {
                const rand = prng(SEED ^ (le ? 1 : 2));
                for (let i = 0; i < (d.iterations ?? 300); i++) {
                    const input = d.randomInput ? d.randomInput(rand, le) : randomBytes(rand, d.size);
                    const v = decodeBytes(d.codec, input, le);
                    const n = d.codec.length(v);
                    expect(n).toBeLessThanOrEqual(input.length);
                    const out = encodeToBytes(d.codec, v, le);
                    const expected = maskRanges(input.slice(0, n), [...d.padding, ...(d.maskExtra?.(input) ?? [])]);
                    expect(toHex(out)).toBe(toHex(expected));
                    expect(decodeBytes(d.codec, out, le)).toEqual(v);
                }
            });
            it('throws NetlinkDecodeError for every truncation', () => {
                const rand = prng(SEED ^ 7);
                const full = d.randomInput ? d.randomInput(rand, le) : randomBytes(rand, d.size);
                for (let k = 0; k < d.size; k++) {
                    // A view that really ends after k bytes.
                    const short = new DataView(full.buffer, full.byteOffset, k);
                    expectDecodeError(() => d.codec.decode(short, 0, k, le), d.name);
                    // The bytes are there but only k of them are available.
                    expectDecodeError(() => d.codec.decode(viewOfBytes(full), 0, k, le), d.name);
                    // Same at a non-zero offset.
                    const shifted = new Uint8Array(5 + k);
                    shifted.set(full.subarray(0, k), 5);
                    expectDecodeError(() => d.codec.decode(viewOfBytes(shifted), 5, k, le), d.name);
                    if (d.decode) {
                        expectDecodeError(() => d.decode(short, 0, le), d.name);
                        expectDecodeError(() => d.decode(viewOfBytes(shifted), 5, le), d.name);
                    }
                }
                // Negative availability and offsets past the end are truncations too.
                expectDecodeError(() => d.codec.decode(viewOfBytes(full), 0, -1, le), d.name);
                // fixedCodec (codec.ts) lets NaN through; the variable-length decoders treat it as 0.
                if (d.variable)
                    expectDecodeError(() => d.codec.decode(viewOfBytes(full), 0, NaN, le), d.name);
                expectDecodeError(() => d.codec.decode(viewOfBytes(full), full.length + 4, d.size, le), d.name);
            });
        });
    });
}
/**
 * Assert that `value` encodes to exactly the annotated `hex` on a host of byte order `le`, and
 * that those bytes decode back to `value`.
 */
export function expectBytes(codec, value, hex, le) {
    const want = fromHex(hex);
    expect(toHex(encodeToBytes(codec, value, le))).toBe(toHex(want));
    expect(decodeBytes(codec, want, le)).toEqual(value);
}
/** Assert that `fn` throws a {@link NetlinkEncodeError} naming `what`. */
export function expectEncodeError(fn, what) {
    let thrown;
    try {
        fn();
    }
    catch (e) {
        thrown = e;
    }
    expect(thrown, `expected NetlinkEncodeError(${what})`).toBeInstanceOf(NetlinkEncodeError);
    expect(thrown.what).toBe(what);
    return thrown;
}
/** For each `[patch, what]`, encoding `{ ...base, ...patch }` throws a NetlinkEncodeError naming `what`. */
export function expectEncodeErrors(codec, base, cases) {
    for (const [patch, what] of cases) {
        for (const le of [true, false]) {
            expectEncodeError(() => {
                const v = { ...base, ...patch };
                const out = new Uint8Array(Math.max(codec.length(v) || 0, 0) + 64);
                codec.encode(viewOfBytes(out), 0, v, le);
            }, what);
        }
    }
}
