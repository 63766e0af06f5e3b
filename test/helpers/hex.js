/** Test helpers: hex text ⇄ bytes. Whitespace and `#` comments are ignored. */
export function fromHex(text) {
    const clean = text
        .split('\n')
        .map((l) => l.replace(/#.*$/, ''))
        .join('')
        .replace(/\s+/g, '');
    if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean))
        throw new Error(`bad hex: ${clean.slice(0, 40)}`);
    const out = new Uint8Array(clean.length / 2);
    for (let i = 0; i < out.length; i++)
        out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
    return out;
}
export function toHex(b) {
    let s = '';
    for (const x of b)
        s += x.toString(16).padStart(2, '0');
    return s;
}
/** A deterministic PRNG (mulberry32) for property tests. */
export function prng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
export function randomBytes(rand, n) {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++)
        b[i] = Math.floor(rand() * 256);
    return b;
}
