#!/usr/bin/env node
/**
 * Build the native netlink shim (native/netlink_shim.c) with the node-gyp bundled in npm,
 * offline.
 *
 *   node scripts/build-native.mjs             install mode (npm "install" script): build;
 *                                              on failure print ONE warning and exit 0, so
 *                                              the pure codecs still install.
 *   node scripts/build-native.mjs --prebuild  prepack mode: build, then copy the binary to
 *                                              prebuilds/<platform>-<arch>/, and cross-compile
 *                                              the other Linux architecture (x64 <-> arm64) into
 *                                              prebuilds/linux-<arch>/; failure exits 1.
 *   node scripts/build-native.mjs --clean-prebuilds
 *                                              postpack: remove prebuilds/ again, so a stale
 *                                              copy never shadows native/build in a checkout
 *                                              (the loader tries prebuilds/ first).
 *
 * Install mode skips the build when a prebuild for this platform exists and loads (unless
 * NETLINK_XFRM_BUILD_FROM_SOURCE=1). NETLINK_XFRM_STRICT_NATIVE=1 makes a failed build fatal.
 *
 * The cross-compiled shim needs only the Node-API headers (node_api.h, uv.h) and Debian's
 * cross compiler (`gcc-aarch64-linux-gnu`, `gcc-x86-64-linux-gnu`): a Node-API module is a
 * shared object whose napi_* and uv_* symbols the loading runtime resolves, so nothing is
 * linked against node. NETLINK_XFRM_CROSS=0 skips the cross build (the tarball then lacks
 * that architecture: say so when publishing).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const output = join(nativeDir, 'build', 'Release', 'netlink_shim.node');
const platformTag = `${process.platform}-${process.arch}`;
const prebuild = join(root, 'prebuilds', platformTag, 'netlink_shim.node');
const prebuildMode = process.argv.includes('--prebuild');
const strict = prebuildMode || process.argv.some((a) => a.startsWith('--cross=')) || process.env.NETLINK_XFRM_STRICT_NATIVE === '1';
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

/** A directory holding include/node/node_api.h, so node-gyp does not try to download headers. */
function findNodedir() {
  const has = (d) => d && existsSync(join(d, 'include', 'node', 'node_api.h'));
  if (has(process.env.npm_config_nodedir)) return process.env.npm_config_nodedir;
  const prefix = dirname(dirname(process.execPath));
  if (has(prefix)) return prefix;
  if (has('/usr')) return '/usr';
  return undefined;
}

/** Cross compilers by Node's arch name (Debian's package names in `package`). */
const CROSS = {
  arm64: { cc: 'aarch64-linux-gnu-gcc', package: 'gcc-aarch64-linux-gnu' },
  x64: { cc: 'x86_64-linux-gnu-gcc', package: 'gcc-x86-64-linux-gnu' },
};

function onPath(cmd) {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** What node-gyp needs and is missing here: a C compiler, make, python3. */
function missingTools() {
  const missing = [];
  const cc = process.env.CC || 'cc';
  if (!onPath(cc) && !onPath('gcc') && !onPath('clang')) missing.push(`a C compiler (${cc}, gcc or clang)`);
  if (!onPath('make')) missing.push('make');
  if (!onPath(process.env.npm_config_python || process.env.PYTHON || 'python3')) missing.push('python3');
  return missing;
}

/**
 * Compile the shim for another Linux architecture with the Node-API headers only: a Node-API
 * module leaves napi_* and uv_* undefined, for the runtime that loads it to resolve.
 */
function crossBuild(arch, nodedir, out = join(root, 'prebuilds', `linux-${arch}`, 'netlink_shim.node')) {
  const { cc, package: pkg } = CROSS[arch];
  if (!onPath(cc)) finish(`cross-compiling for linux-${arch} needs ${cc} (Debian: apt-get install ${pkg}); NETLINK_XFRM_CROSS=0 skips it`);
  if (!nodedir) finish(`cross-compiling for linux-${arch} needs the Node-API headers (include/node/node_api.h)`);
  mkdirSync(dirname(out), { recursive: true });
  const args = [
    '-std=gnu11', '-O2', '-Wall', '-Wextra', '-Wno-unused-parameter', '-fPIC', '-shared', '-s', '-fvisibility=hidden',
    '-DNAPI_DISABLE_CPP_EXCEPTIONS', '-DBUILDING_NODE_EXTENSION', '-DNODE_GYP_MODULE_NAME=netlink_shim',
    `-I${join(nodedir, 'include', 'node')}`, '-o', out, join(nativeDir, 'netlink_shim.c'),
  ];
  const r = spawnSync(cc, args, { encoding: 'utf8' });
  if (r.status !== 0) finish(`${cc} exited with ${r.status}`, `${r.stdout ?? ''}${r.stderr ?? ''}`.trim());
  console.log(`netlink-xfrm: native shim cross-compiled to ${out.startsWith(root) ? out.slice(root.length + 1) : out}`);
}

// `--cross=<arch> --out=<file>`: only the cross build, into <file> (test/platform/arm64.test.ts
// checks the very command prepack runs, without touching prebuilds/).
const crossArg = process.argv.find((a) => a.startsWith('--cross='));
if (crossArg) {
  const arch = crossArg.slice('--cross='.length);
  const outArg = process.argv.find((a) => a.startsWith('--out='));
  if (!CROSS[arch]) finish(`no cross compiler known for ${arch} (known: ${Object.keys(CROSS).join(', ')})`);
  crossBuild(arch, findNodedir(), outArg ? resolve(outArg.slice('--out='.length)) : undefined);
  process.exit(0);
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
  const why =
    missing.length > 0
      ? `; missing: ${missing.join(', ')} (Debian/Ubuntu: apt-get install gcc make python3; prebuilt shims exist for linux-x64 and linux-arm64)`
      : '';
  const noPrebuild = existsSync(prebuild) ? '' : `no prebuilt shim for ${platformTag}, and `;
  finish(`${noPrebuild}${run.error ? run.error.message : `node-gyp exited with ${run.status}`}${why}`, tail);
}
if (saved) rmSync(dirname(saved), { recursive: true, force: true });

if (prebuildMode) {
  mkdirSync(dirname(prebuild), { recursive: true });
  copyFileSync(output, prebuild);
  console.log(`netlink-xfrm: native shim copied to ${prebuild.slice(root.length + 1)}`);
  if (process.env.NETLINK_XFRM_CROSS !== '0') {
    for (const arch of Object.keys(CROSS)) if (arch !== process.arch) crossBuild(arch, nodedir);
  }
}
