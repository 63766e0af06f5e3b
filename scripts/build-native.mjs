#!/usr/bin/env node
/**
 * Build the native netlink shim (native/netlink_shim.c) with the node-gyp bundled in npm,
 * offline.
 *
 *   node scripts/build-native.mjs             install mode (npm "install" script): build;
 *                                              on failure print ONE warning and exit 0, so
 *                                              the pure codecs still install.
 *   node scripts/build-native.mjs --prebuild  prepack mode: build, then copy the binary to
 *                                              prebuilds/<platform>-<arch>/; failure exits 1.
 *   node scripts/build-native.mjs --clean-prebuilds
 *                                              postpack: remove prebuilds/ again, so a stale
 *                                              copy never shadows native/build in a checkout
 *                                              (the loader tries prebuilds/ first).
 *
 * Install mode skips the build when a prebuild for this platform exists and loads (unless
 * NETLINK_XFRM_BUILD_FROM_SOURCE=1). NETLINK_XFRM_STRICT_NATIVE=1 makes a failed build fatal.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const output = join(nativeDir, 'build', 'Release', 'netlink_shim.node');
const platformTag = `${process.platform}-${process.arch}`;
const prebuild = join(root, 'prebuilds', platformTag, 'netlink_shim.node');
const prebuildMode = process.argv.includes('--prebuild');
const strict = prebuildMode || process.env.NETLINK_XFRM_STRICT_NATIVE === '1';
const require = createRequire(import.meta.url);

if (process.argv.includes('--clean-prebuilds')) {
  rmSync(join(root, 'prebuilds'), { recursive: true, force: true });
  process.exit(0);
}

function finish(problem, details) {
  if (strict) {
    console.error(`netlink-xfrm: building the native shim failed: ${problem}`);
    if (details) console.error(details);
    process.exit(1);
  }
  console.warn(
    `netlink-xfrm: WARNING: the native netlink shim was not built (${problem}); ` +
      `sockets will not open, the codecs work without it. Retry with \`node scripts/build-native.mjs\`.`,
  );
  process.exit(0);
}

function loads(path) {
  try {
    const m = require(path);
    return typeof m.open === 'function';
  } catch {
    return false;
  }
}

/** The node-gyp that ships inside npm: never `npx node-gyp`, which reaches for the registry. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  if (process.env.npm_execpath) {
    // .../npm/bin/npm-cli.js → .../npm/node_modules/node-gyp/bin/node-gyp.js
    candidates.push(join(dirname(dirname(process.env.npm_execpath)), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  const prefix = dirname(dirname(process.execPath));
  candidates.push(join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(join(prefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  for (const c of candidates) if (c && existsSync(c)) return c;
  const npmRoot = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' });
  if (npmRoot.status === 0) {
    const c = join(npmRoot.stdout.trim(), 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (existsSync(c)) return c;
  }
  return undefined;
}

/** The build tools node-gyp needs that are not on PATH: the failure message names them. */
function missingTools() {
  const onPath = (name) => (process.env.PATH ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, name)));
  const missing = [];
  if (!process.env.npm_config_python && !process.env.PYTHON && !onPath('python3') && !onPath('python')) missing.push('python3');
  if (!onPath('make')) missing.push('make');
  const cc = (process.env.CC ?? '').trim().split(/\s+/)[0];
  if (!(cc ? (cc.includes('/') ? existsSync(cc) : onPath(cc)) : onPath('cc') || onPath('gcc') || onPath('clang'))) missing.push('a C compiler (cc)');
  return missing;
}

/** A directory holding include/node/node_api.h, so node-gyp does not try to download headers. */
function findNodedir() {
  const has = (d) => d && existsSync(join(d, 'include', 'node', 'node_api.h'));
  if (has(process.env.npm_config_nodedir)) return process.env.npm_config_nodedir;
  const prefix = dirname(dirname(process.execPath));
  if (has(prefix)) return prefix;
  if (has('/usr')) return '/usr';
  return undefined;
}

if (process.platform !== 'linux') finish(`AF_NETLINK exists only on Linux, this is ${process.platform}`);
if (process.arch === 'ia32') finish('32-bit x86 is not supported: six XFRM structs differ in size there');

if (!prebuildMode && process.env.NETLINK_XFRM_BUILD_FROM_SOURCE !== '1' && existsSync(prebuild) && loads(prebuild)) {
  process.exit(0);
}

const gyp = findNodeGyp();
if (!gyp) finish('the node-gyp bundled with npm was not found');
const nodedir = findNodedir();
const env = { ...process.env };
if (nodedir) env.npm_config_nodedir = nodedir;
else delete env.npm_config_nodedir; // a nodedir without headers only makes node-gyp fail

// A failed `node-gyp rebuild` deletes the previous build: keep a copy to put back.
let saved;
if (existsSync(output)) {
  saved = join(mkdtempSync(join(tmpdir(), 'netlink-shim-')), 'netlink_shim.node');
  copyFileSync(output, saved);
}
const args = [gyp, 'rebuild', '--loglevel=warn'];
if (nodedir) args.push(`--nodedir=${nodedir}`);
const run = spawnSync(process.execPath, args, { cwd: nativeDir, env, encoding: 'utf8' });
const log = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
const built = run.status === 0 && existsSync(output) && loads(output);
if (!built) {
  if (saved) {
    mkdirSync(dirname(output), { recursive: true });
    copyFileSync(saved, output);
    rmSync(dirname(saved), { recursive: true, force: true });
  }
  const tail = log.split('\n').slice(-15).join('\n');
  const missing = missingTools();
  const why = missing.length > 0 ? `; not found on PATH: ${missing.join(', ')} (Debian/Ubuntu: apt-get install python3 make gcc)` : '';
  const noPrebuild = existsSync(prebuild) ? '' : `no prebuilt shim for ${platformTag}, and `;
  finish(`${noPrebuild}${run.error ? run.error.message : `node-gyp exited with ${run.status}`}${why}`, tail);
}
if (saved) rmSync(dirname(saved), { recursive: true, force: true });

if (prebuildMode) {
  mkdirSync(dirname(prebuild), { recursive: true });
  copyFileSync(output, prebuild);
  console.log(`netlink-xfrm: native shim copied to ${prebuild.slice(root.length + 1)}`);
}
