import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import * as root from '../src/index.js';
import * as netlink from '../src/netlink/index.js';
import * as xfrm from '../src/xfrm/index.js';
import * as socket from '../src/socket/index.js';
import * as client from '../src/client/index.js';
// The benchmark compiles src/ and calls the library by name (`lib.X`); these scripts run only
// with `npm run bench`, so a name dropped from an export list would break them unnoticed.
// A script loads either every subpath (its text names them) or the root.
const SUBPATHS = { ...netlink, ...xfrm, ...socket, ...client };
const LOADS_SUBPATHS = "for (const sub of ['netlink', 'xfrm', 'socket', 'client'])";
test.each(['bench/nlx-worker.mjs', 'bench/nlx-dump-rss.mjs'])('every lib.X that %s calls is exported where it loads the library', (file) => {
    const text = readFileSync(resolve(__dirname, '..', file), 'utf8');
    const lib = text.includes(LOADS_SUBPATHS) ? SUBPATHS : root;
    const names = [...new Set([...text.matchAll(/\blib\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]))];
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !(n in lib))).toEqual([]);
});
test('the policy inputs (bench/policies.mjs) use names the worker has', () => {
    const text = readFileSync(resolve(__dirname, '../bench/policies.mjs'), 'utf8');
    const names = [...new Set([...text.matchAll(/\blib\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]))];
    expect(names.filter((n) => !(n in SUBPATHS))).toEqual([]);
});
