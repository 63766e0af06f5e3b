#!/usr/bin/env node
// `npm run fuzz`: bundle fuzz/main.ts together with the TypeScript sources it tests (esbuild,
// already installed as tsup's engine; ~0.2 s) into fuzz/.out/, then run it with the same
// arguments. No build of dist/ is needed and what is fuzzed is always the current src/.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '.out', 'fuzz.mjs');
await build({
  entryPoints: [join(here, 'main.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['--enable-source-maps', out, ...process.argv.slice(2)], { stdio: 'inherit', cwd: join(here, '..') });
process.exit(r.status ?? 1);
