/** Reading fixtures/**.hex: provenance header lines, then `send`/`recv` datagrams in hex. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from './hex.js';
export const FIXTURES_ROOT = join(__dirname, '..', '..', 'fixtures');
export function fixtureFiles(dir = FIXTURES_ROOT) {
    if (!existsSync(dir))
        return [];
    return readdirSync(dir)
        .flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? fixtureFiles(p) : p.endsWith('.hex') ? [p] : [];
    })
        .sort();
}
export function loadFixture(path) {
    const header = new Map();
    const datagrams = [];
    readFileSync(path, 'utf8')
        .split('\n')
        .forEach((raw, i) => {
        const h = /^#\s*([\w-]+):\s*(.*)$/.exec(raw);
        if (h) {
            header.set(h[1], header.has(h[1]) ? `${header.get(h[1])}\n${h[2]}` : h[2]);
            return;
        }
        const line = raw.replace(/#.*$/, '').trim();
        if (line === '')
            return;
        const m = /^(send|recv)\s+([0-9a-fA-F]+)$/.exec(line);
        if (!m)
            throw new Error(`${path}:${i + 1}: not a send/recv line`);
        datagrams.push({ dir: m[1], line: i + 1, bytes: fromHex(m[2]) });
    });
    return { path, header, malformed: header.has('malformed'), datagrams };
}
