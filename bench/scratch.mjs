// Shared by bench/run.mjs and bench/events.mjs: the run's scratch resources — a temporary
// directory, the network namespaces it creates (nlx-bench-<run>-<k>) and the child processes
// it starts — and their cleanup on exit or on SIGINT/SIGTERM/SIGHUP, so that an interrupted
// run leaves no namespace behind.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Make the scratch resources of one run. `name` prefixes messages ("bench", "bench:events");
 * `tmpPrefix` names the temporary directory; with `keep` it survives the run.
 * Returns `{ tmp, children, newNetns, deleteNetns, cleanup }`: add started processes to
 * `children` (and delete them when they end); `cleanup` runs once, at exit at the latest.
 */
export function scratch(name, tmpPrefix, keep) {
  const tmp = mkdtempSync(join(tmpdir(), tmpPrefix));
  const namespaces = new Set();
  const children = new Set();
  const runId = randomBytes(3).toString('hex');
  let nsCounter = 0;

  function newNetns() {
    const ns = `nlx-bench-${runId}-${nsCounter++}`;
    execFileSync('ip', ['netns', 'add', ns], { stdio: ['ignore', 'ignore', 'pipe'] });
    namespaces.add(ns);
    return ns;
  }

  function deleteNetns(ns) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      console.error(`${name}: could not delete netns ${ns}: ${e.stderr ?? e.message}`);
    }
    namespaces.delete(ns);
  }

  let cleanedUp = false;
  function cleanup() {
    if (cleanedUp) return;
    cleanedUp = true;
    for (const c of children) {
      try {
        c.kill('SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const ns of [...namespaces]) deleteNetns(ns);
    if (!keep) rmSync(tmp, { recursive: true, force: true });
  }
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      console.error(`${name}: ${sig}, cleaning up`);
      cleanup();
      process.exit(130);
    });
  }
  return { tmp, children, newNetns, deleteNetns, cleanup };
}
