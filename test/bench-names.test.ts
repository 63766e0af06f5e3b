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

// The worker builds a small `lib` object from the subpaths (`Name: nl.Name`, see its comment):
// every lib.X it calls must be a key there, and every value an export of the subpath named.
test('every lib.X that bench/nlx-worker.mjs calls is in its lib object, taken from a subpath that exports it', () => {
  const text = readFileSync(resolve(__dirname, '../bench/nlx-worker.mjs'), 'utf8');
  const modules: Record<string, object> = {};
  for (const m of text.matchAll(/\[(\w+), (\w+), (\w+)\] = \[await sub\('(\w+)'\), await sub\('(\w+)'\), await sub\('(\w+)'\)\]/g)) {
    const subpaths: Record<string, object> = { netlink, xfrm, socket, client };
    for (let i = 0; i < 3; i++) modules[m[1 + i]!] = subpaths[m[4 + i]!]!;
  }
  expect(Object.keys(modules).length).toBe(3);
  const literal = /const lib = \{([\s\S]*?)\n\};/.exec(text)?.[1] ?? '';
  const entries = [...literal.matchAll(/^\s*(\w+): (\w+)\.(\w+),/gm)].map((m) => ({ key: m[1]!, mod: m[2]!, name: m[3]! }));
  expect(entries.length).toBeGreaterThan(0);
  expect(entries.filter((e) => e.key !== e.name || !(e.mod in modules) || !(e.name in modules[e.mod]!))).toEqual([]);
  const keys = new Set(entries.map((e) => e.key));
  const used = [...new Set([...text.matchAll(/\blib\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!))];
  expect(used.filter((n) => !keys.has(n))).toEqual([]);
});

test.each(['bench/nlx-dump-rss.mjs'])('every lib.X that %s calls is exported where it loads the library', (file) => {
  const text = readFileSync(resolve(__dirname, '..', file), 'utf8');
  const lib: object = text.includes(LOADS_SUBPATHS) ? SUBPATHS : root;
  const names = [...new Set([...text.matchAll(/\blib\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!))];
  expect(names.length).toBeGreaterThan(0);
  expect(names.filter((n) => !(n in lib))).toEqual([]);
});

test('the policy inputs (bench/policies.mjs) use names the worker has', () => {
  const text = readFileSync(resolve(__dirname, '../bench/policies.mjs'), 'utf8');
  const worker = readFileSync(resolve(__dirname, '../bench/nlx-worker.mjs'), 'utf8');
  const keys = new Set([...(/const lib = \{([\s\S]*?)\n\};/.exec(worker)?.[1] ?? '').matchAll(/^\s*(\w+):/gm)].map((m) => m[1]!));
  const names = [...new Set([...text.matchAll(/\blib\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!))];
  expect(names.length).toBeGreaterThan(0);
  expect(names.filter((n) => !(n in SUBPATHS) || !keys.has(n))).toEqual([]);
});

test('every worker op that bench/run.mjs names for a netlink-xfrm tool exists in bench/nlx-worker.mjs', () => {
  const run = readFileSync(resolve(__dirname, '../bench/run.mjs'), 'utf8');
  const worker = readFileSync(resolve(__dirname, '../bench/nlx-worker.mjs'), 'utf8');
  const table = /const NLX_TOOLS = \{([\s\S]*?)\n\};/.exec(run)?.[1] ?? '';
  const wanted = [...table.matchAll(/\b(?:install|dump|delete): '([\w-]+)'/g)].map((m) => m[1]!);
  expect(wanted.length).toBeGreaterThanOrEqual(6);
  const opsText = /const ops = \{([\s\S]*?)\n\};/.exec(worker)?.[1] ?? '';
  const have = new Set([...opsText.matchAll(/^\s*(?:'([\w-]+)'|(\w+))\s*[:,]/gm)].map((m) => m[1] ?? m[2]!));
  expect(wanted.filter((op) => !have.has(op))).toEqual([]);
});

test('the --quick JSON line documented in BENCHMARKS.md names the tools bench/run.mjs writes there', () => {
  const run = readFileSync(resolve(__dirname, '../bench/run.mjs'), 'utf8');
  const doc = readFileSync(resolve(__dirname, '../BENCHMARKS.md'), 'utf8');
  const tools = JSON.parse((/const TOOLS = (\[[^\]]*\])/.exec(run)?.[1] ?? '[]').replace(/'/g, '"')) as string[];
  const count = Number(/const MAIN_TOOLS = TOOLS\.slice\(0, (\d+)\)/.exec(run)?.[1]);
  const documented = /`\{"n":10000,"install_ms":\{([^}]*)\}/.exec(doc)?.[1] ?? '';
  const keys = [...documented.matchAll(/"([\w-]+)":/g)].map((m) => m[1]!);
  expect(keys).toEqual(tools.slice(0, count));
  expect(keys).toContain('c-one-ack');
  expect(keys).toContain('c-batched');
});
