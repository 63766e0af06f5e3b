#!/usr/bin/env node
// Live-HA benchmark (issue 11, "Scale"): 1,000 ESP SA pairs mirrored by `ha publish` /
// `ha follow`, measured inside one user-mode-linux guest (the host kernel has no ESP).
// See BENCHMARKS.md ("Live HA") for the method and the latest numbers.
//
//   npm run bench:ha                  1,000 pairs, default thresholds (256 packets, 1000 ms)
//   npm run bench:ha -- --pairs 200   fewer pairs (a quicker look)
//
// Options: --pairs N (default 1000), --lag-samples K (default 60), --takeover-runs K (cold
// takeovers into fresh namespaces besides the failover itself; default 3), --cpu-rates LIST
// (UDP echo requests/s round-robin over the pairs, one CPU window each; default 100,200: under
// UML 300/s already outruns the publisher, see BENCHMARKS.md),
// --ping-rate PPS (numbered UDP echoes/s over one pair across the failover; default 250),
// --replay-thresh N,
// --timer-thresh MS, --mem SIZE (guest RAM, default 1G), --timeout S (default 600),
// --out FILE (the guest's raw results as JSON), --keep (keep the temporary directory).
//
// Measured inside the guest (one clock, one CPU; bench/ha-guest.mjs does the work):
//   1. takeover of N pairs after a crash of the active node: wall time of `ha takeover`
//      (command start to exit: every SA and policy installed), echoes lost by a 250/s UDP echo
//      stream across the failover, the reply gap, and the peer's /proc/net/xfrm_stat (must stay 0);
//   2. sync lag: a burst crossing the replay threshold on the active node until the new
//      counters are in the standby's journal (median, p95);
//   3. the publisher's CPU (utime+stime) over one of its own 10 s status intervals while UDP
//      echo traffic runs across the pairs, with the aevents it handled meanwhile.
//
// Needs root and user-mode-linux (scripts/uml/ensure-uml.sh). The guest's namespaces are its
// own; nothing on the host's network stack is touched. The CLI is bundled from src/ with the
// repository's esbuild into a temporary directory (no `npm run build` needed, dist/ is never
// touched); the native shim is copied next to it and found through NETLINK_XFRM_SHIM. The
// last line of output is one JSON object.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fatalFor, HA_RUN_OPTIONS, haRunArgs, parseBenchArgs } from './options.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(here);

const opt = parseBenchArgs(import.meta.url, {
  ...HA_RUN_OPTIONS,
  mem: { type: 'string', default: '1G' },
  timeout: { type: 'string', default: '600' },
  out: { type: 'string' },
  keep: { type: 'boolean', default: false },
});
const fatal = fatalFor('bench:ha');

if (process.platform !== 'linux') fatal('Linux only');
if (process.getuid() !== 0) fatal('must run as root (user-mode-linux guest with its own namespaces): sudo npm run bench:ha');
const uml = process.env.UML_KERNEL ?? process.env.UML_BIN ?? '/usr/bin/linux.uml';
if (!existsSync(uml)) fatal(`${uml} not found: install user-mode-linux (scripts/uml/ensure-uml.sh)`);
const shimSrc = process.env.NETLINK_XFRM_SHIM ?? join(repo, 'native', 'build', 'Release', 'netlink_shim.node');
if (!existsSync(shimSrc)) fatal(`native shim not found at ${shimSrc}: build it with \`node scripts/build-native.mjs\``);
if (!/^\d+(,\d+)*$/.test(opt['cpu-rates'])) fatal('--cpu-rates must be a comma-separated list of integers');
for (const k of ['pairs', 'lag-samples', 'takeover-runs']) {
  if (!/^\d+$/.test(opt[k])) fatal(`--${k} must be a non-negative integer`);
}
if (Number(opt.pairs) < 2 || Number(opt.pairs) > 30000) fatal('--pairs must be 2..30000');

const tmp = mkdtempSync(join(tmpdir(), 'nlx-bench-ha-'));
let child;
let cleanedUp = false;
function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  if (child && child.exitCode === null) child.kill('SIGTERM'); // run.sh forwards it to the guest
  if (!opt.keep) rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`bench:ha: ${sig}, stopping the guest`);
    cleanup();
    process.exit(130);
  });
}

// ---------------------------------------------------------------- build

// The CLI bundled into one file, as `npm run build` (tsup, which uses esbuild) ships it in
// dist/cli.js: loading a few hundred separate modules through UML's hostfs would add seconds
// to every `ha takeover` that a real installation does not pay.
console.error(`bench:ha: bundling src/cli.ts with esbuild into ${tmp}/cli.js`);
const cli = join(tmp, 'cli.js');
try {
  execFileSync(
    join(repo, 'node_modules', '.bin', 'esbuild'),
    ['src/cli.ts', '--bundle', '--platform=node', '--format=esm', '--target=node20', `--outfile=${cli}`, '--log-level=warning'],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
  );
} catch (e) {
  fatal(`esbuild failed:\n${e.stdout ?? ''}${e.stderr ?? e.message}`);
}
const haLib = join(tmp, 'ha.js'); // the HA library alone, to time the journal read in the guest
execFileSync(join(repo, 'node_modules', '.bin', 'esbuild'), ['src/ha/index.ts', '--bundle', '--platform=node', '--format=esm', '--target=node20', `--outfile=${haLib}`, '--log-level=warning'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
writeFileSync(join(tmp, 'package.json'), '{"type":"module"}\n');
const shim = join(tmp, 'netlink_shim.node');
copyFileSync(shimSrc, shim); // a private copy: others may rebuild native/ while we run

// ---------------------------------------------------------------- the guest

const work = join(tmp, 'uml');
const resultFile = join(work, 'ha-result.json');
const guestArgs = [
  'node', join(here, 'ha-guest.mjs'),
  '--cli', cli, '--ha-lib', haLib, '--work', work, '--out', resultFile,
  ...haRunArgs(opt),
];
const hostLoadBefore = loadavg();
console.error(`bench:ha: booting user-mode-linux (${uml}, mem=${opt.mem}); host load average ${hostLoadBefore.map((x) => x.toFixed(2)).join(' ')}`);
const t0 = Date.now();
const status = await new Promise((resolve) => {
  child = spawn(
    'bash',
    [join(repo, 'scripts', 'uml', 'run.sh'), '-t', opt.timeout, '-m', opt.mem, '-C', repo, '-e', `NETLINK_XFRM_SHIM=${shim}`, '-e', 'NO_COLOR=1', work, ...guestArgs],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  child.on('exit', (code, sig) => resolve(code ?? (sig ? 128 : 1)));
});
const hostLoadAfter = loadavg();
if (!existsSync(resultFile)) fatal(`the guest wrote no result (run.sh exit ${status}); keep the work dir with --keep and read ${work}/stderr, console.log`);
const r = JSON.parse(readFileSync(resultFile, 'utf8'));
r.host = { kernel: release(), cpus: cpus().length, cpuModel: cpus()[0]?.model, loadavgBefore: hostLoadBefore, loadavgAfter: hostLoadAfter, guestWallMs: Date.now() - t0, umlExit: status };
if (opt.out) writeFileSync(opt.out, JSON.stringify(r, null, 2) + '\n');

// ---------------------------------------------------------------- report

const f = (x, d = 1) => (x === undefined || x === null ? '-' : Number(x).toFixed(d));
const lines = [];
lines.push(`guest: ${r.guest?.kernel ?? '?'}, ${r.pairs} SA pairs (${r.pairs * 2} SAs, ${r.pairs * 2} policies per node), thresholds ${r.thresholds?.replay} packets / ${r.thresholds?.timerMs} ms`);
if (r.setup) lines.push(`setup: ip -batch ${f(r.setup.ipBatchMs, 0)} ms per node (${r.pairs * 2} SAs ${f(r.setup.ipBatchStatesMs, 0)} ms, ${r.pairs * 2} policies ${f(r.setup.ipBatchPoliciesMs, 0)} ms, median of P and A); publisher ready ${f(r.setup.publisherReadyMs, 0)} ms; standby full state ${f(r.setup.fullStateMs, 0)} ms`);
if (r.takeover) {
  const t = r.takeover;
  lines.push(`takeover (failover on S): ${f(t.failover?.wallMs, 0)} ms wall, ok=${t.failover?.ok}, ${t.failover?.sasInstalled} SAs + ${t.failover?.policiesInstalled} policies installed`);
  if (t.cold?.length) lines.push(`takeover (cold, fresh namespace) x${t.cold.length}: median ${f(t.coldMedianMs, 0)} ms [${t.cold.map((c) => f(c.wallMs, 0)).join(', ')}]`);
  if (t.rerun) lines.push(`takeover re-run on S (everything present): ${f(t.rerun.wallMs, 0)} ms`);
  if (t.journalRead) lines.push(`journal read + plan in the guest (fresh process): ${f(t.journalRead.runs[0].readMs, 0)} + ${f(t.journalRead.runs[0].planMs, 0)} ms (warm: ${f(t.journalRead.runs[2].readMs, 0)} + ${f(t.journalRead.runs[2].planMs, 0)} ms), library load ${f(t.journalRead.loadMs, 0)} ms`);
  if (t.nodeStartMs !== undefined) lines.push(`node start: bare ${f(t.nodeBareMs, 0)} ms, + CLI load (--help) ${f(t.nodeStartMs, 0)} ms`);
}
if (r.failover) {
  const p = r.failover;
  lines.push(`failover traffic: UDP echo ${f(p.rate, 0)}/s each way; after the crash ${p.sentAfterCrash} sent, ${p.lost} lost; reply gap ${f(p.gapMs, 0)} ms, crash to first echo after it ${f(p.recoveryMs, 0)} ms (lost before the crash: ${p.lostBeforeCrash})`);
  lines.push(`peer xfrm_stat non-zero after failover: ${JSON.stringify(p.peerXfrmStatNonZero)}; peer SA replay/failed: ${JSON.stringify(p.peerSaErrors)}`);
  lines.push(`standby xfrm_stat non-zero: ${JSON.stringify(p.standbyXfrmStatNonZero)}`);
}
if (r.lag) lines.push(`sync lag (burst crossing the threshold -> counters in S's journal): median ${f(r.lag.medianMs)} ms, p95 ${f(r.lag.p95Ms)} ms, max ${f(r.lag.maxMs)} ms over ${r.lag.samples} samples (${r.lag.timeouts} timeouts)`);
if (r.cpu) {
  lines.push(`publisher CPU idle: ${f(r.cpu.idleCpuPct)} % of one core`);
  for (const c of r.cpu.runs) {
    lines.push(
      `publisher CPU at ${c.rate} echo/s (achieved ${f(c.trafficPps, 0)}/s over ${c.trafficPairs} pairs): ${f(c.cpuPct)} % of one core over ${f(c.windowMs / 1000, 1)} s, ` +
        (c.starved ? 'STARVED (no status line for 25 s), ' : `${c.events} aevents (${f(c.eventsPerSec, 0)}/s), ${f(c.usPerEvent, 0)} us/aevent, `) +
        `${f(c.countersPerSec, 0)} counters records/s reached the journal; follower ${f(c.followerCpuPct)} %, guest busy ${f(c.guestBusyPct)} %`,
    );
  }
}
lines.push(`host load average before ${hostLoadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${hostLoadAfter.map((x) => x.toFixed(2)).join(' ')}; guest run ${f(r.host.guestWallMs / 1000, 1)} s`);
for (const l of lines) console.log(l);
if (r.errors?.length) for (const e of r.errors) console.log(`ERROR: ${e}`);
console.log(JSON.stringify({
  pairs: r.pairs,
  takeoverMs: r.takeover?.failover?.wallMs,
  takeoverColdMedianMs: r.takeover?.coldMedianMs,
  takeoverOk: r.takeover?.failover?.ok,
  failoverLost: r.failover?.lost,
  failoverGapMs: r.failover?.gapMs,
  peerErrors: r.failover ? Object.keys(r.failover.peerXfrmStatNonZero ?? {}).length + (r.failover.peerSaErrors?.replay ?? 0) + (r.failover.peerSaErrors?.failed ?? 0) : undefined,
  lagMedianMs: r.lag?.medianMs,
  lagP95Ms: r.lag?.p95Ms,
  publisherCpu: r.cpu?.runs.map((c) => ({ rate: c.rate, cpuPct: c.cpuPct, eventsPerSec: c.eventsPerSec, usPerEvent: c.usPerEvent, starved: c.starved })),
  loadavg: hostLoadBefore,
  errors: r.errors?.length ?? 0,
}));
process.exitCode = r.errors?.length ? 1 : 0;
