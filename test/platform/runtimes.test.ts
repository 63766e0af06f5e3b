/**
 * The runtimes the README claims, each against the host kernel's XFRM in a fresh network
 * namespace (requests: policies, ALLOCSPI, a dump; events: one policy add seen as an event):
 * Bun and Deno run test/platform/runtime-probe.ts as a child, from the pinned packages
 * `node test/platform/runtimes.mjs fetch` caches (.ci/run does it); Node runs it in-process,
 * once more with the worker readiness path Bun uses. Needs root; skips loudly otherwise.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hostKernelTests } from '../helpers/netns.js';
import { AF_INET, XFRM_POLICY_OUT, XfrmClient, anySelector } from '../../src/index.js';
import { NETLINK_XFRM } from '../../src/netlink/constants.js';
import { XFRMNLGRP_POLICY } from '../../src/xfrm/constants.js';
import { NativeTransport, loadNativeShim, netnsPath, type NativeShim } from '../../src/socket/native.js';
import { probe } from './runtime-probe.js';
import { RUNTIMES, runtimePath } from './runtimes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const script = join(here, 'runtime-probe.ts');
const canRun = hostKernelTests('test/platform/runtimes.test.ts');

function notice(what: string): void {
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!!! SKIPPING ${what}: not cached; run \`node test/platform/runtimes.mjs fetch\` (CI does).\n${line}\n`);
}

let ns = '';
beforeEach(() => {
  if (!canRun) return;
  ns = `nlx-plat-${randomBytes(4).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', ns]);
});
afterEach(() => {
  if (ns) execFileSync('ip', ['netns', 'del', ns]);
  ns = '';
});

/** Run the probe under `argv` (a runtime and its arguments before the script). */
function runProbe(argv: string[]): { status: number | null; stdout: string; stderr: string; ms: number } {
  const t = performance.now();
  const r = spawnSync(argv[0]!, [...argv.slice(1), script, ns], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Math.round(performance.now() - t) };
}

describe.skipIf(!canRun).sequential('runtimes against the host kernel (fresh netns)', () => {
  test('Node: requests and events (uv_poll readiness)', async () => {
    const r = await probe(ns);
    expect(r).toMatchObject({ policies: 1, event: 'newpolicy', openError: 'NetlinkSocketError ENOENT' });
    expect(r.spi).toBeGreaterThan(0);
  });

  test('Node: requests and events with the worker readiness path Bun uses', async () => {
    const saved = process.env.NETLINK_XFRM_READINESS;
    process.env.NETLINK_XFRM_READINESS = 'worker';
    try {
      const r = await probe(ns);
      expect(r).toMatchObject({ policies: 1, event: 'newpolicy', openError: 'NetlinkSocketError ENOENT' });
    } finally {
      if (saved === undefined) delete process.env.NETLINK_XFRM_READINESS;
      else process.env.NETLINK_XFRM_READINESS = saved;
    }
  });

  test('the worker readiness path never touches uv_poll, sees a datagram, and stops', async () => {
    const saved = process.env.NETLINK_XFRM_READINESS;
    process.env.NETLINK_XFRM_READINESS = 'worker';
    const real = loadNativeShim();
    // As on Bun, where uv_poll_init aborts the process: any use of uv_poll fails the test.
    const noPoll = (): never => {
      throw new Error('uv_poll used');
    };
    const shim: NativeShim = { ...real, poll: noPoll, startPoll: noPoll, stopPoll: noPoll, closePoll: noPoll };
    const fd = real.open(NETLINK_XFRM, netnsPath(ns));
    real.bind(fd, 1 << (XFRMNLGRP_POLICY - 1));
    const t = new NativeTransport(shim, fd, real.getsockname(fd));
    const xfrm = XfrmClient.open({ netns: ns });
    try {
      let fired = 0;
      const readable = new Promise<void>((resolve) =>
        t.poll(() => {
          fired++;
          // Read it, as a reader must (readiness is level-triggered), then stop.
          while (t.recv(new Uint8Array(65536)) !== null);
          t.stopPoll();
          resolve();
        }),
      );
      await xfrm.addPolicy({ selector: { ...anySelector(AF_INET), daddr: '10.9.0.3', prefixlenD: 32 }, dir: XFRM_POLICY_OUT });
      await readable;
      expect(fired).toBe(1);
      // Stopped: a second event is not reported (the running wait ends within its slice).
      await xfrm.addPolicy({ selector: { ...anySelector(AF_INET), daddr: '10.9.0.4', prefixlenD: 32 }, dir: XFRM_POLICY_OUT });
      await new Promise((r) => setTimeout(r, 400));
      expect(fired).toBe(1);
    } finally {
      xfrm.close();
      t.close();
      if (saved === undefined) delete process.env.NETLINK_XFRM_READINESS;
      else process.env.NETLINK_XFRM_READINESS = saved;
    }
  });

  test(`Bun ${RUNTIMES.bun.version}: requests and events (no uv_poll: the process used to abort)`, (ctx) => {
    const bun = runtimePath('bun');
    if (!bun) {
      notice(`Bun ${RUNTIMES.bun.version}`);
      return ctx.skip();
    }
    const r = runProbe([bun]);
    expect(r.stderr).not.toContain('unsupported uv function');
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(got).toMatchObject({ runtime: `bun ${RUNTIMES.bun.version}`, policies: 1, event: 'newpolicy', openError: 'NetlinkSocketError ENOENT' });
    expect(got.spi).toBeGreaterThan(0);
    console.log(`[runtimes] bun probe ${r.ms} ms`);
  });

  test(`Deno ${RUNTIMES.deno.version}: requests and events`, (ctx) => {
    const deno = runtimePath('deno');
    if (!deno) {
      notice(`Deno ${RUNTIMES.deno.version}`);
      return ctx.skip();
    }
    // --sloppy-imports: the sources import './x.js' for './x.ts' (the published dist does not need it).
    const r = runProbe([deno, 'run', '-A', '--sloppy-imports', '--no-check']);
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(got).toMatchObject({ runtime: `deno ${RUNTIMES.deno.version}`, policies: 1, event: 'newpolicy', openError: 'NetlinkSocketError ENOENT' });
    expect(got.spi).toBeGreaterThan(0);
    console.log(`[runtimes] deno probe ${r.ms} ms`);
  });
});
