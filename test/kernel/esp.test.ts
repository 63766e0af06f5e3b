/**
 * The real-kernel ESP suite, seen from the host.
 *
 * The host kernel cannot install real SAs, so this file boots a user-mode-linux guest ONCE PER
 * AVAILABLE KERNEL (scripts/uml/run.sh through test/helpers/uml.ts `umlKernels()`: Debian's
 * packaged 6.1 when installed, the monolithic 6.12 from scripts/uml/build-uml-6.12.sh when
 * cached), runs the guest test files `test/uml/*.guest.ts` there with vitest (config
 * `test/uml/vitest.guest.config.ts`), and turns each guest's JSON report into one host test per
 * guest test, named `UML <release>: ...`, each failing with the guest's own failure message.
 * The UML runs happen one after the other while this file is collected (top-level await).
 *
 * - UML 6.1 not installed: a loud banner (the 6.12 suite still runs if that kernel is cached).
 * - 6.12 not cached: one line saying so and how to build it; not a failure.
 * - A guest that does not boot, crashes, times out, or reports nothing: the first test of that
 *   kernel FAILS with the launcher's output and the guest console.
 * - `NLX_UML_KERNELS=6.12` (comma-separated series) runs only those kernels.
 *
 * Run alone: `npx vitest run test/kernel/esp.test.ts` (as root). See test/uml/README.md.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  cachedUml612,
  REPO_ROOT,
  runInUml,
  UML_612_BUILD_COMMAND,
  UML_CACHE_DIR,
  umlAvailable,
  umlKernels,
  umlUnavailableReason,
  type RunInUmlResult,
  type UmlKernel,
} from '../helpers/uml.js';

/** Guest wall-clock limit, boot included. */
const GUEST_TIMEOUT_MS = 300_000;
const GUEST_DIR = join(REPO_ROOT, 'test', 'uml');
const GUEST_CONFIG = 'test/uml/vitest.guest.config.ts';

/** The parts of vitest's JSON report used here (jest-compatible format). */
interface GuestAssertion {
  ancestorTitles: string[];
  title: string;
  fullName: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled';
  duration?: number | null;
  failureMessages: string[];
}
interface GuestFile {
  name: string;
  status: string;
  message: string;
  assertionResults: GuestAssertion[];
}
interface GuestReport {
  numTotalTests: number;
  numFailedTests: number;
  numPassedTests: number;
  success: boolean;
  testResults: GuestFile[];
}

interface GuestOutcome {
  run?: RunInUmlResult;
  report?: GuestReport;
  /** Why there is no usable report. */
  problem?: string;
  wallMs: number;
}

const kernels = umlKernels();
if (!umlAvailable()) {
  const line = '!'.repeat(78);
  console.warn(
    [
      '',
      line,
      kernels.length === 0
        ? '!!  REAL-KERNEL ESP SUITE SKIPPED: user-mode-linux is not available on this machine'
        : `!!  REAL-KERNEL ESP SUITE ON UML 6.1 SKIPPED (running it on ${kernels.map((k) => k.release).join(', ')} only)`,
      `!!  reason: ${umlUnavailableReason() ?? 'unknown'}`,
      kernels.length === 0 ? '!!  nothing about ESP traffic, replay restore or kernel events was verified' : '!!',
      '!!  fix:    sudo scripts/uml/ensure-uml.sh   (apt-get install user-mode-linux kmod iproute2 iputils-ping)',
      line,
      '',
    ].join('\n'),
  );
}
if (process.platform === 'linux' && process.arch === 'x64' && !cachedUml612()) {
  console.log(`UML 6.12 guest suite not run: no cached 6.12 kernel in ${UML_CACHE_DIR} (build it once, ~4 min: ${UML_612_BUILD_COMMAND})`);
}

/** Guest test files expected to run (what the guest config includes). */
const guestFiles = readdirSync(GUEST_DIR)
  .filter((f) => f.endsWith('.guest.ts'))
  .sort();

async function runGuestSuite(kernel: UmlKernel): Promise<GuestOutcome> {
  const t0 = performance.now();
  // The guest writes the JSON report into this host directory through hostfs.
  const base = /\s/.test(tmpdir()) ? '/tmp' : tmpdir();
  const out = mkdtempSync(join(base, 'nlx-esp-'));
  const reportPath = join(out, 'results.json');
  try {
    const run = await runInUml({
      command: [
        process.execPath,
        join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        GUEST_CONFIG,
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${reportPath}`,
      ],
      cwd: REPO_ROOT,
      timeoutMs: GUEST_TIMEOUT_MS,
      kernel: kernel.bin,
      env: { NO_COLOR: '1', FORCE_COLOR: '0', CI: '1' },
    });
    const wallMs = performance.now() - t0;
    let report: GuestReport | undefined;
    let problem: string | undefined;
    try {
      report = JSON.parse(readFileSync(reportPath, 'utf8')) as GuestReport;
    } catch (e) {
      problem = `no JSON report from the guest (${(e as Error).message})`;
    }
    if (run.timedOut) problem = `the guest was killed after ${GUEST_TIMEOUT_MS} ms`;
    // vitest exits 1 when tests fail; anything else means it did not run to the end
    else if (run.status !== 0 && run.status !== 1) problem = `guest command exited with status ${run.status}${problem ? `; ${problem}` : ''}`;
    return { run, ...(report ? { report } : {}), ...(problem ? { problem } : {}), wallMs };
  } catch (e) {
    return { problem: `runInUml failed: ${(e as Error).stack ?? String(e)}`, wallMs: performance.now() - t0 };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * The guest reporter's "Failed Tests" blocks (assertion diff and code frame, which the JSON
 * report's failureMessages lack), keyed by `file > describe > test`.
 */
function failureBlocks(stdout: string): Map<string, string> {
  const blocks = new Map<string, string>();
  let names: string[] = [];
  let body: string[] = [];
  let inBlock = false;
  const flush = () => {
    for (const n of names) blocks.set(n, body.join('\n').trim());
    names = [];
    body = [];
  };
  for (const line of stdout.split('\n')) {
    const m = /^ FAIL {2}(.+)$/.exec(line);
    if (m) {
      if (body.length > 0) flush();
      names.push(m[1]!.trim());
      inBlock = true;
    } else if (/^⎯+\[\d+\/\d+\]⎯$/.test(line.trim())) {
      flush();
      inBlock = false;
    } else if (inBlock) {
      body.push(line);
    }
  }
  return blocks;
}

function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}

// One guest at a time: each suite is CPU-bound in UML and has timing-sensitive tests.
const outcomes: GuestOutcome[] = [];
for (const k of kernels) outcomes.push(await runGuestSuite(k));

kernels.forEach((k, i) => {
  const outcome = outcomes[i]!;
  if (!outcome.report) return;
  const r = outcome.report;
  const inGuest =
    outcome.run?.commandStartUptime !== undefined && outcome.run.commandEndUptime !== undefined
      ? `, guest command ${(outcome.run.commandEndUptime - outcome.run.commandStartUptime).toFixed(1)} s`
      : '';
  const skipped = r.numTotalTests - r.numPassedTests - r.numFailedTests;
  console.log(
    `UML ${k.release} ESP suite: ${r.numPassedTests}/${r.numTotalTests} guest tests passed, ${r.numFailedTests} failed` +
      `${skipped > 0 ? `, ${skipped} skipped` : ''}; boot-to-result ${(outcome.wallMs / 1000).toFixed(1)} s wall${inGuest}`,
  );
});

kernels.forEach((kernel, i) => {
  const outcome = outcomes[i]!;
  describe(`UML ${kernel.release}: real-kernel ESP suite (${kernel.origin})`, () => {
    test('the guest booted, ran every guest test file and reported results', () => {
      const o = outcome;
      if (o.problem || !o.report) {
        const run = o.run;
        throw new Error(
          [
            `UML ${kernel.release} GUEST RUN FAILED (${kernel.bin}): ${o.problem ?? 'no report'}`,
            run ? `status ${run.status}, timedOut ${run.timedOut}, ${run.elapsedMs} ms` : '',
            run ? `--- guest stdout (tail) ---\n${tail(run.stdout, 60)}` : '',
            run ? `--- guest stderr (tail) ---\n${tail(run.stderr, 60)}` : '',
            run ? `--- guest console (tail) ---\n${tail(run.console, 60)}` : '',
          ].join('\n'),
        );
      }
      const ran = o.report.testResults.map((f) => relative(GUEST_DIR, f.name)).sort();
      expect(ran, 'guest test files that ran').toEqual(guestFiles);
      expect(o.report.numTotalTests).toBeGreaterThan(0);
      for (const f of o.report.testResults) {
        if (f.assertionResults.length === 0) throw new Error(`guest file ${relative(REPO_ROOT, f.name)} ran no tests: ${f.message}`);
      }
    });

    // (vitest prints the "Failed Tests" section to stderr)
    const blocks = failureBlocks(`${outcome.run?.stdout ?? ''}\n${outcome.run?.stderr ?? ''}`);
    for (const file of outcome.report?.testResults ?? []) {
      describe(relative(REPO_ROOT, file.name), () => {
        if (file.status === 'failed' && file.message) {
          // a suite-level failure (import error, failing beforeAll/afterAll hook)
          test('(guest file setup/teardown)', () => {
            throw new Error(`guest file failed outside its tests (UML ${kernel.release}):\n${file.message}`);
          });
        }
        for (const a of file.assertionResults) {
          const name = [...a.ancestorTitles, a.title].join(' > ');
          if (a.status === 'skipped' || a.status === 'pending' || a.status === 'todo' || a.status === 'disabled') {
            test.skip(name, () => undefined);
            continue;
          }
          test(name, () => {
            if (a.status !== 'passed') {
              const detail = blocks.get(`${relative(REPO_ROOT, file.name)} > ${name}`) ?? a.failureMessages.join('\n\n');
              const err = new Error(`guest test ${a.status} (in the UML ${kernel.release} guest, ${Math.round(a.duration ?? 0)} ms):\n${detail}`);
              err.stack = err.message; // the host stack says nothing useful
              throw err;
            }
          });
        }
      });
    }
  });
});

// Without any UML kernel the file reports one skipped test, as before.
if (kernels.length === 0) {
  describe.skip('real-kernel ESP suite (UML 6.1 guest)', () => {
    test('the guest booted, ran every guest test file and reported results', () => undefined);
  });
}
