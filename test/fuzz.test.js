/**
 * A short, fixed-seed run of the fuzzer (`npm run fuzz` runs it for longer, with a fresh
 * seed): every input must give a value or a typed error, read nothing outside its bytes,
 * leak no key without showKeys, survive decode → encode → decode and the JSON round trip,
 * and take under 100 ms. Any finding fails the test, with its reproducer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecks, runFuzzAll } from '../fuzz/engine.js';
import { Rng } from '../fuzz/rng.js';
import { socketChecks } from '../fuzz/socket-target.js';
const FIXTURES = join(__dirname, '..', 'fixtures');
/** Every reproducer recorded in fuzz/FINDINGS.md: a fenced block holding only hex, under a `## F<n> — title` heading. */
function recordedReproducers() {
    const text = readFileSync(join(__dirname, '..', 'fuzz', 'FINDINGS.md'), 'utf8');
    const out = [];
    let title = '';
    for (const block of text.split(/^```/m).map((b, i) => [b, i])) {
        const [b, i] = block;
        if (i % 2 === 0) {
            const h = [...b.matchAll(/^## (F\d+ — .*)$/gm)].pop();
            if (h)
                title = h[1];
        }
        else if (/^\s*[0-9a-f]+\s*$/.test(b))
            out.push([title, b.trim()]);
    }
    return out;
}
describe('fuzz (short fixed-seed run)', () => {
    it('3000 mutated fixture datagrams: no untyped error, out-of-bounds read, key leak, round-trip mismatch or hang', async () => {
        // hangMs is generous here: vitest runs files in parallel on a shared machine. Every 32nd
        // input also goes through the socket, dump and subscription code on the fake kernel.
        const r = await runFuzzAll({ seed: 20261204, inputs: 3000, fixturesDir: FIXTURES, hangMs: 500, socketEvery: 32 });
        expect(r.inputs).toBe(3000);
        // Sanity: the corpus reaches the decoders (most inputs are not rejected at the framing).
        expect(r.accepted).toBeGreaterThan(600);
        expect(r.socketInputs).toBeGreaterThan(50);
        const found = r.findings.map((f) => `${f.signature} — first input #${f.index} (${f.origin}): ${f.hex.length > 160 ? f.hex.slice(0, 160) + "…" : f.hex}`);
        expect(found).toEqual([]);
    });
    // Each finding of the fuzzer stays a regression test: its reproducer must pass every check.
    it.each(recordedReproducers())('%s', async (_title, hex) => {
        const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
        const found = new Set();
        for (let s = 1; s <= 8; s++)
            for (const f of runChecks(bytes, true, new Rng(s)))
                found.add(f.signature);
        for (const f of await socketChecks(bytes))
            found.add(f.signature);
        expect([...found]).toEqual([]);
    });
});
