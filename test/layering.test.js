import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { expect, test } from 'vitest';
// Each layer may import only from the ones listed (and itself): the picture of ARCHITECTURE.md.
const ALLOWED = {
    netlink: [],
    xfrm: ['netlink'],
    socket: ['netlink'],
    client: ['netlink', 'xfrm', 'socket'],
    ha: ['netlink', 'xfrm', 'client'],
    testing: ['netlink', 'xfrm', 'socket', 'client'],
    cli: ['netlink', 'xfrm', 'socket', 'client', 'ha'],
};
const SRC = resolve(__dirname, '../src');
function filesOf(dir) {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? filesOf(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}
function importsOf(file) {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1]);
}
test('no import runs up a layer or sideways outside the allowed set', () => {
    const wrong = [];
    for (const [layer, allowed] of Object.entries(ALLOWED)) {
        for (const file of filesOf(join(SRC, layer))) {
            for (const spec of importsOf(file)) {
                const target = relative(SRC, resolve(dirname(file), spec)).split(sep)[0];
                if (target !== layer && !allowed.includes(target))
                    wrong.push(`${relative(SRC, file)} → ${spec}`);
            }
        }
    }
    expect(wrong).toEqual([]);
});
test('every layer directory is in the table', () => {
    const dirs = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(dirs).toEqual(Object.keys(ALLOWED).sort());
});
