// Shared by bench/run.mjs and bench/events.mjs: the library compiled from src/ with the
// repository's own tsc (no type check) into a temporary directory, the native shim copied next
// to it, and bench/c-baseline.c compiled with `cc -O2`. So a benchmark needs no `npm run build`,
// never touches dist/, and neither can change under a running benchmark.
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(here);

/**
 * Build into `tmp`: returns { libDir, shim, cbin, childEnv } (childEnv points NETLINK_XFRM_SHIM
 * at the private copy of the shim). Calls `fatal(msg)` if tsc or cc fails.
 */
export function buildBench(tmp, shimSrc, fatal) {
  const libDir = join(tmp, 'lib');
  try {
    execFileSync(
      process.execPath,
      [
        join(repo, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--outDir', libDir, '--rootDir', 'src', '--module', 'NodeNext', '--moduleResolution', 'NodeNext',
        '--target', 'ES2022', '--sourceMap', '--noCheck', '--skipLibCheck', '--types', 'node', '--declaration', 'false',
        'src/index.ts',
      ],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (e) {
    fatal(`tsc failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
  }
  writeFileSync(join(libDir, 'package.json'), '{"type":"module"}\n');
  const shim = join(tmp, 'netlink_shim.node');
  copyFileSync(shimSrc, shim); // a private copy: others may rebuild native/ while we run
  const childEnv = { ...process.env, NETLINK_XFRM_SHIM: shim };
  const cbin = join(tmp, 'c-baseline');
  try {
    execFileSync('cc', ['-O2', '-Wall', '-o', cbin, join(here, 'c-baseline.c')], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    fatal(`cc failed:\n${e.stderr ?? e.message}`);
  }
  return { libDir, shim, cbin, childEnv };
}
