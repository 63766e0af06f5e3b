/**
 * A small seeded PRNG (mulberry32). Every fuzz input is a pure function of (run seed, input
 * index): `--seed S --replay I` rebuilds input I without running the ones before it, and
 * workers can split the index space without sharing state.
 */
/** 32-bit mix of two numbers (splitmix-style), used to derive one input's seed. */
export function mix32(a, b) {
    let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d) >>> 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x846ca68b) >>> 0;
    h ^= h >>> 16;
    return h >>> 0;
}
/** Deterministic random source. */
export class Rng {
    s;
    constructor(seed) {
        this.s = seed >>> 0;
    }
    /** Uniform u32. */
    u32() {
        this.s = (this.s + 0x6d2b79f5) >>> 0;
        let t = this.s;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return (t ^ (t >>> 14)) >>> 0;
    }
    /** Integer in [0, n). */
    int(n) {
        return n <= 0 ? 0 : this.u32() % n;
    }
    /** True with probability p. */
    chance(p) {
        return this.u32() / 0x100000000 < p;
    }
    /** One element of a non-empty array. */
    pick(a) {
        return a[this.int(a.length)];
    }
}
