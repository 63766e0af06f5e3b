/**
 * Test helpers: run a vitest suite INSIDE a user-mode-linux guest and turn its JSON report into
 * host tests. Used by test/kernel/esp.test.ts (the real-kernel ESP suite, `*.guest.ts`) and
 * test/kernel/ha-live.test.ts (the live-HA crash suite, `*.halive.ts`): each boots its own guest
 * per kernel, with its own time limit.
 *
 * A guest that does not boot, crashes, times out or reports nothing makes the first test of
 * that kernel FAIL with the launcher output and the guest console; each guest test becomes one
 * host test, failing with the guest's own message.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cachedUml612, REPO_ROOT, runInUml, UML_612_BUILD_COMMAND, UML_CACHE_DIR, umlAvailable, umlKernels, umlUnavailableReason, } from './uml.js';
/**
 * Say loudly which kernels the suite will NOT run on: a banner when Debian's UML 6.1 is
 * missing (`notVerified` says what then went untested), one line when no 6.12 is cached.
 */
export function announceKernels(suite, kernels, notVerified) {
    if (!umlAvailable()) {
        const line = '!'.repeat(78);
        const title = suite.title.toUpperCase();
        console.warn([
            '',
            line,
            kernels.length === 0
                ? `!!  ${title} SKIPPED: user-mode-linux is not available on this machine`
                : `!!  ${title} ON UML 6.1 SKIPPED (running it on ${kernels.map((k) => k.release).join(', ')} only)`,
            `!!  reason: ${umlUnavailableReason() ?? 'unknown'}`,
            kernels.length === 0 ? `!!  ${notVerified}` : '!!',
            '!!  fix:    sudo scripts/uml/ensure-uml.sh   (apt-get install user-mode-linux kmod iproute2 iputils-ping)',
            line,
            '',
        ].join('\n'));
    }
    if (process.platform === 'linux' && process.arch === 'x64' && !cachedUml612()) {
        console.log(`UML 6.12 ${suite.title} not run: no cached 6.12 kernel in ${UML_CACHE_DIR} (build it once, ~4 min: ${UML_612_BUILD_COMMAND})`);
    }
}
/** Boot `kernel`, run the suite's guest vitest with the JSON reporter, read the report back. */
export async function runGuestSuite(suite, kernel) {
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
                suite.config,
                '--reporter=default',
                '--reporter=json',
                `--outputFile.json=${reportPath}`,
            ],
            cwd: REPO_ROOT,
            timeoutMs: suite.timeoutMs,
            kernel: kernel.bin,
            env: { NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', ...suite.env },
        });
        const wallMs = performance.now() - t0;
        let report;
        let problem;
        try {
            report = JSON.parse(readFileSync(reportPath, 'utf8'));
        }
        catch (e) {
            problem = `no JSON report from the guest (${e.message})`;
        }
        if (run.timedOut)
            problem = `the guest was killed after ${suite.timeoutMs} ms`;
        // vitest exits 1 when tests fail; anything else means it did not run to the end
        else if (run.status !== 0 && run.status !== 1)
            problem = `guest command exited with status ${run.status}${problem ? `; ${problem}` : ''}`;
        return { run, ...(report ? { report } : {}), ...(problem ? { problem } : {}), wallMs };
    }
    catch (e) {
        return { problem: `runInUml failed: ${e.stack ?? String(e)}`, wallMs: performance.now() - t0 };
    }
    finally {
        rmSync(out, { recursive: true, force: true });
    }
}
/**
 * The guest reporter's "Failed Tests" blocks (assertion diff and code frame, which the JSON
 * report's failureMessages lack), keyed by `file > describe > test`.
 */
function failureBlocks(stdout) {
    const blocks = new Map();
    let names = [];
    let body = [];
    let inBlock = false;
    const flush = () => {
        for (const n of names)
            blocks.set(n, body.join('\n').trim());
        names = [];
        body = [];
    };
    for (const line of stdout.split('\n')) {
        const m = /^ FAIL {2}(.+)$/.exec(line);
        if (m) {
            if (body.length > 0)
                flush();
            names.push(m[1].trim());
            inBlock = true;
        }
        else if (/^⎯+\[\d+\/\d+\]⎯$/.test(line.trim())) {
            flush();
            inBlock = false;
        }
        else if (inBlock) {
            body.push(line);
        }
    }
    return blocks;
}
function tail(text, lines) {
    return text.split('\n').slice(-lines).join('\n');
}
/** Run the suite once per kernel, one guest at a time (each is CPU-bound and has timing-sensitive tests). */
export async function runGuestSuites(suite, kernels) {
    const outcomes = [];
    for (const k of kernels)
        outcomes.push(await runGuestSuite(suite, k));
    kernels.forEach((k, i) => {
        const o = outcomes[i];
        if (!o.report)
            return;
        const r = o.report;
        const inGuest = o.run?.commandStartUptime !== undefined && o.run.commandEndUptime !== undefined
            ? `, guest command ${(o.run.commandEndUptime - o.run.commandStartUptime).toFixed(1)} s`
            : '';
        const skipped = r.numTotalTests - r.numPassedTests - r.numFailedTests;
        console.log(`UML ${k.release} ${suite.title}: ${r.numPassedTests}/${r.numTotalTests} guest tests passed, ${r.numFailedTests} failed` +
            `${skipped > 0 ? `, ${skipped} skipped` : ''}; boot-to-result ${(o.wallMs / 1000).toFixed(1)} s wall${inGuest}`);
    });
    return outcomes;
}
/** Register the host tests of `outcomes` (one `describe` per kernel, one test per guest test). */
export function registerGuestSuites(suite, kernels, outcomes) {
    const guestFiles = readdirSync(suite.dir)
        .filter((f) => f.endsWith(suite.suffix))
        .sort();
    kernels.forEach((kernel, i) => {
        const outcome = outcomes[i];
        describe(`UML ${kernel.release}: ${suite.title} (${kernel.origin})`, () => {
            test('the guest booted, ran every guest test file and reported results', () => {
                const o = outcome;
                if (o.problem || !o.report) {
                    const run = o.run;
                    throw new Error([
                        `UML ${kernel.release} GUEST RUN FAILED (${kernel.bin}): ${o.problem ?? 'no report'}`,
                        run ? `status ${run.status}, timedOut ${run.timedOut}, ${run.elapsedMs} ms` : '',
                        run ? `--- guest stdout (tail) ---\n${tail(run.stdout, 60)}` : '',
                        run ? `--- guest stderr (tail) ---\n${tail(run.stderr, 60)}` : '',
                        run ? `--- guest console (tail) ---\n${tail(run.console, 60)}` : '',
                    ].join('\n'));
                }
                const ran = o.report.testResults.map((f) => relative(suite.dir, f.name)).sort();
                expect(ran, 'guest test files that ran').toEqual(guestFiles);
                expect(o.report.numTotalTests).toBeGreaterThan(0);
                for (const f of o.report.testResults) {
                    if (f.assertionResults.length === 0)
                        throw new Error(`guest file ${relative(REPO_ROOT, f.name)} ran no tests: ${f.message}`);
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
    // Without any UML kernel the file reports one skipped test.
    if (kernels.length === 0) {
        describe.skip(`${suite.title} (UML 6.1 guest)`, () => {
            test('the guest booted, ran every guest test file and reported results', () => undefined);
        });
    }
}
/**
 * The body of a test/kernel suite file: boot `suite` on every available kernel, one after the
 * other while the file is collected (top-level await), say loudly which kernels it will not run
 * on (`notVerified`: what then went untested), and register one host test per guest test.
 */
export async function hostGuestSuite(suite, notVerified) {
    const kernels = umlKernels();
    announceKernels(suite, kernels, notVerified);
    registerGuestSuites(suite, kernels, await runGuestSuites(suite, kernels));
}
