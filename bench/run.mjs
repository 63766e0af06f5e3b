#!/usr/bin/env node
// XFRM policy benchmark: install, dump+decode and delete N policies in a fresh network
// namespace, side by side with netlink-xfrm, a batched C program and `ip -batch`. The
// reference is `c-one-ack`: the C program asking one ACK per batch, as netlink-xfrm does
// (`c-batched`, an ACK per request, is kept for comparison). See BENCHMARKS.md for the method
// and the latest numbers; the event benchmark is bench/events.mjs (`npm run bench:events`).
//
//   npm run bench                     N = 1k, 10k, 100k (5 repetitions) + in-memory decode of the
//                                     largest N + peak RSS of a 100k dump
//   npm run bench -- --quick          N = 10k only; the last line is one JSON object:
//                                     {"n":…,"install_ms":{"netlink-xfrm":…,"c-one-ack":…,"c-batched":…,"ip-batch":…},"dump_ms":{…},"delete_ms":{…}}
//   npm run bench -- --profile        CPU profiles (node --cpu-prof) of netlink-xfrm at N = 100k
//
// Options: --reps K (default 5), --sizes 1000,10000 (overrides), --no-rss, --out FILE (raw
// results as JSON), --keep (keep the temporary directory), --profile-n N.
//
// Needs root (it creates network namespaces named nlx-bench-*, and always deletes them). All
// netlink traffic goes to those namespaces: `ip -n NS`, setns() in the C program, and
// XfrmClient.open({ netns }) in the netlink-xfrm worker; the host's tables are never touched.
//
// The library is compiled from src/ with the repository's own tsc (no type check) into a
// temporary directory, so the benchmark needs no `npm run build` and never touches dist/;
// the native shim (native/build/Release/netlink_shim.node, from `node scripts/build-native.mjs`)
// is copied next to it and found through NETLINK_XFRM_SHIM.
import { fork, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBench } from './build.mjs';
import { fatalFor, parseBenchArgs } from './options.mjs';
import { ipAddLine, ipDeleteLine, MAX_N } from './policies.mjs';
import { scratch } from './scratch.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(here);
// c-one-ack (the C program asking one ACK per batch, the protocol netlink-xfrm's batches use)
// is the reference; c-batched (an ACK per request) is kept for comparison with older runs.
const TOOLS = ['netlink-xfrm', 'c-one-ack', 'c-batched', 'ip-batch', 'netlink-xfrm-raw', 'netlink-xfrm-views'];
const MAIN_TOOLS = TOOLS.slice(0, 4); // the keys of the JSON summary line
const REF = 'c-one-ack';
/**
 * The operations the netlink-xfrm worker runs for each netlink-xfrm tool (see bench/nlx-worker.mjs).
 * Measuring another library path is one line here (plus its op in the worker, and its name in TOOLS).
 */
const NLX_TOOLS = {
  'netlink-xfrm': { install: 'install', dump: 'dump', delete: 'delete' },
  'netlink-xfrm-raw': { install: 'install-raw', dump: 'dump-raw', delete: 'delete-raw' },
  // The dump through views (client.forEachPolicy); install and delete are the client's again.
  'netlink-xfrm-views': { install: 'install', dump: 'dump-view', delete: 'delete' },
};
const OPS = ['install', 'dump', 'delete'];

const opt = parseBenchArgs(import.meta.url, {
  quick: { type: 'boolean', default: false },
  reps: { type: 'string', default: '5' },
  sizes: { type: 'string' },
  'no-rss': { type: 'boolean', default: false },
  profile: { type: 'boolean', default: false },
  'profile-n': { type: 'string', default: '100000' },
  out: { type: 'string' },
  keep: { type: 'boolean', default: false },
});
const fatal = fatalFor('bench');

// ---------------------------------------------------------------- preconditions

if (process.platform !== 'linux') fatal('Linux only (AF_NETLINK, network namespaces)');
if (process.getuid() !== 0) {
  fatal(
    'must run as root: it creates a private network namespace (ip netns add) and needs CAP_NET_ADMIN ' +
      'in it for every XFRM request. Run: sudo npm run bench',
  );
}
for (const [cmd, args] of [['ip', ['-V']], ['cc', ['--version']]]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) fatal(`\`${cmd}\` is required (${r.error?.message ?? r.stderr.trim()})`);
}
const shimSrc = process.env.NETLINK_XFRM_SHIM ?? join(repo, 'native', 'build', 'Release', 'netlink_shim.node');
if (!existsSync(shimSrc)) fatal(`native shim not found at ${shimSrc}: build it with \`node scripts/build-native.mjs\``);

const reps = Number(opt.reps);
if (!Number.isInteger(reps) || reps < 1) fatal('--reps must be a positive integer');
const sizes = opt.sizes ? opt.sizes.split(',').map(Number) : opt.quick ? [10_000] : [1_000, 10_000, 100_000];
for (const n of sizes) if (!Number.isInteger(n) || n < 1 || n > MAX_N) fatal(`sizes must be 1..${MAX_N}`);

// ---------------------------------------------------------------- namespaces and cleanup

const { tmp, children, newNetns, deleteNetns, cleanup } = scratch('bench', 'nlx-bench-', opt.keep);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (s) => console.error(s);

// ---------------------------------------------------------------- build

log(`bench: compiling src/ with tsc into ${tmp}/lib and bench/c-baseline.c with cc -O2`);
const { libDir, cbin, childEnv } = buildBench(tmp, shimSrc, fatal);

// ---------------------------------------------------------------- tools

function cjson(args) {
  const r = spawnSync(cbin, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.error) throw r.error;
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 && !line.startsWith('{')) throw new Error(`c-baseline ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
  const out = JSON.parse(line);
  if (r.stderr.trim()) out.stderr = r.stderr.trim();
  return out;
}

function count(ns) {
  const r = cjson(['count', ns]);
  if (r.errno) throw new Error(`GETSPDINFO failed with errno ${r.errno}`);
  return r.count;
}

function timedExec(argv) {
  const r = cjson(['exec', '--', ...argv]);
  if (r.status !== 0) throw new Error(`\`${argv.join(' ')}\` exited with ${r.status}${r.stderr ? ': ' + r.stderr.slice(0, 500) : ''}`);
  return r;
}

function startWorker(execArgv = []) {
  const child = fork(join(here, 'nlx-worker.mjs'), [libDir], { env: childEnv, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  const waiting = new Map();
  let nextId = 1;
  let ready;
  const readyP = new Promise((res, rej) => {
    ready = res;
    child.once('exit', (code) => rej(new Error(`netlink-xfrm worker exited with ${code} before it was ready`)));
  });
  child.on('message', (m) => {
    if (m.ready) return ready(m);
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (!w) return;
    if (m.ok) w.res(m);
    else w.rej(new Error(`netlink-xfrm worker: ${m.error}`));
  });
  child.on('exit', (code, sig) => {
    children.delete(child);
    for (const w of waiting.values()) w.rej(new Error(`netlink-xfrm worker exited (${code ?? sig})`));
    waiting.clear();
  });
  return {
    child,
    ready: readyP,
    call(req) {
      const id = nextId++;
      return new Promise((res, rej) => {
        waiting.set(id, { res, rej });
        child.send({ id, ...req });
      });
    },
    stop() {
      return new Promise((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.disconnect(); // lets the worker's event loop drain so --cpu-prof can write its file
      });
    },
  };
}

function checkBatch(tool, op, r) {
  if (r.errors) throw new Error(`${tool} ${op}: ${r.errors} requests failed (${r.firstError ?? 'errno ' + r.first_errno})`);
}

function expectCount(tool, phase, ns, want) {
  const got = count(ns);
  if (got !== want) throw new Error(`${tool}: after ${phase} the namespace holds ${got} policies, expected ${want}`);
}

/** One trial: install, dump and delete N policies with one tool, in its own fresh namespace. */
async function trial(tool, n, files, worker) {
  const ns = newNetns();
  try {
    const t = { cpu: {} };
    const rec = (op, r) => {
      t[op] = r.ms;
      t.cpu[op] = r.cpuMs ?? r.cpu_ms;
      if (r.sendmsg !== undefined) t[op + 'Sendmsg'] = r.sendmsg;
    };
    const nlx = NLX_TOOLS[tool];
    if (nlx) {
      let r = await worker.call({ op: nlx.install, ns, n });
      checkBatch(tool, 'install', r);
      rec('install', r);
      expectCount(tool, 'install', ns, n);
      r = await worker.call({ op: nlx.dump, ns, n });
      if (r.count !== n) throw new Error(`${tool} dump: ${r.count} policies, expected ${n}`);
      rec('dump', r);
      r = await worker.call({ op: nlx.delete, ns, n });
      checkBatch(tool, 'delete', r);
      rec('delete', r);
    } else if (tool === 'c-batched' || tool === 'c-one-ack') {
      const one = tool === 'c-one-ack' ? '1' : '';
      let r = cjson(['install' + one, ns, String(n)]);
      checkBatch(tool, 'install', r);
      rec('install', r);
      expectCount(tool, 'install', ns, n);
      r = cjson(['dump', ns]);
      if (r.count !== n || r.errno) throw new Error(`${tool} dump: ${r.count} policies (errno ${r.errno}), expected ${n}`);
      rec('dump', r);
      r = cjson(['delete' + one, ns, String(n)]);
      checkBatch(tool, 'delete', r);
      rec('delete', r);
    } else {
      rec('install', timedExec(['ip', '-n', ns, '-batch', files.add]));
      expectCount(tool, 'install', ns, n);
      rec('dump', timedExec(['ip', '-n', ns, 'xfrm', 'policy', 'list']));
      rec('delete', timedExec(['ip', '-n', ns, '-batch', files.del]));
    }
    expectCount(tool, 'delete', ns, 0);
    return t;
  } finally {
    try {
      cjson(['flush', ns]);
    } catch {
      /* the namespace goes away anyway */
    }
    deleteNetns(ns);
    await sleep(100); // let the kernel's namespace cleanup work run before the next timing
  }
}

function ipFiles(n) {
  const add = join(tmp, `ip-add-${n}.batch`);
  const del = join(tmp, `ip-del-${n}.batch`);
  const a = new Array(n);
  const d = new Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = ipAddLine(i);
    d[i] = ipDeleteLine(i);
  }
  writeFileSync(add, a.join('\n') + '\n');
  writeFileSync(del, d.join('\n') + '\n');
  return { add, del };
}

// ---------------------------------------------------------------- statistics and output

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const r2 = (x) => Math.round(x * 100) / 100;

function stats(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), all: xs.map(r2) };
}

/** The ratios reported for one op, against the reference (c-one-ack) first; the printed columns, in order. */
const RATIOS = [
  ['nlx/C1', 'netlink-xfrm', REF],
  ['raw/C1', 'netlink-xfrm-raw', REF],
  ['view/C1', 'netlink-xfrm-views', REF],
  ['nlx/C', 'netlink-xfrm', 'c-batched'],
  ['raw/C', 'netlink-xfrm-raw', 'c-batched'],
  ['ip/nlx', 'ip-batch', 'netlink-xfrm'],
];
const ratioKey = ([, a, b]) => `${a}/${b}`;

function ratios(get) {
  return Object.fromEntries(RATIOS.map((r) => [ratioKey(r), get(r[1]) / get(r[2])]));
}

function summarize(n, runs) {
  const out = { n, reps: runs.length, cpu: {} };
  for (const op of OPS) {
    out[op] = {};
    out.cpu[op] = {};
    for (const tool of TOOLS) {
      out[op][tool] = stats(runs.map((r) => r.times[tool][op]));
      out.cpu[op][tool] = stats(runs.map((r) => r.times[tool].cpu[op]));
    }
    out[op].ratio = ratios((t) => out[op][t].median);
    out.cpu[op].ratio = ratios((t) => out.cpu[op][t].median);
    // Ratios within each repetition (the tools ran back to back), then their median.
    out[op].pairedRatio = Object.fromEntries(
      RATIOS.map((x) => [ratioKey(x), median(runs.map((r) => r.times[x[1]][op] / r.times[x[2]][op]))]),
    );
  }
  return out;
}

function printSummary(s) {
  const w = [8, ...TOOLS.map(() => 24), ...RATIOS.map(() => 7)];
  const row = (cells) => cells.map((c, i) => String(c).padEnd(w[i])).join(' ');
  const table = (title, get) => {
    console.log(title);
    console.log(row(['op', ...TOOLS, ...RATIOS.map(([label]) => label)]));
    for (const op of OPS) {
      const g = get(op);
      const cells = TOOLS.map((t) => `${fmt(g[t].median)} (${fmt(g[t].min)}–${fmt(g[t].max)})`);
      console.log(row([op, ...cells, ...RATIOS.map((x) => g.ratio[ratioKey(x)].toFixed(2))]));
    }
  };
  table(`\nN = ${s.n}: wall ms, median (min–max) of ${s.reps} repetitions; ratios of medians (C1 = ${REF}, the reference; C = c-batched)`, (op) => s[op]);
  table(`N = ${s.n}: CPU ms (user + system of the process doing the work), median (min–max)`, (op) => s.cpu[op]);
}

function parseTimeV(stderr) {
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return m ? Number(m[1]) : undefined;
}

/** Peak RSS of a fresh netlink-xfrm process dumping 100k policies (stream, then collect). */
function measureRss(n) {
  const ns = newNetns();
  try {
    const r = cjson(['install', ns, String(n)]);
    checkBatch('c-batched', 'install', r);
    const out = {};
    const haveTime = existsSync('/usr/bin/time');
    for (const mode of ['stream', 'collect']) {
      const argv = [join(here, 'nlx-dump-rss.mjs'), libDir, ns, mode];
      const res = haveTime
        ? spawnSync('/usr/bin/time', ['-v', process.execPath, ...argv], { env: childEnv, encoding: 'utf8' })
        : spawnSync(process.execPath, argv, { env: childEnv, encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`nlx-dump-rss ${mode} failed: ${res.stderr}`);
      const j = JSON.parse(res.stdout.trim().split('\n').pop());
      if (j.count !== n) throw new Error(`nlx-dump-rss ${mode}: ${j.count} policies, expected ${n}`);
      out[mode] = { ...j, timeVMaxRssKiB: haveTime ? parseTimeV(res.stderr) : undefined };
    }
    // Reference: an idle node process (same binary) on this machine.
    const idle = spawnSync(process.execPath, ['-e', 'console.log(process.resourceUsage().maxRSS)'], { encoding: 'utf8' });
    out.idleNodeMaxRssKiB = Number(idle.stdout.trim());
    cjson(['flush', ns]);
    return out;
  } finally {
    deleteNetns(ns);
  }
}

// ---------------------------------------------------------------- profiling

function summarizeProfile(file, top = 25) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((nd) => [nd.id, nd]));
  const parent = new Map();
  for (const nd of prof.nodes) for (const c of nd.children ?? []) parent.set(c, nd.id);
  const keyOf = (cf) => {
    const url = cf.url.replace(/^file:\/\//, '');
    const where = url.startsWith(libDir)
      ? 'src/' + relative(libDir, url).replace(/\.js$/, '.ts')
      : url.startsWith(here)
        ? 'bench/' + relative(here, url)
        : url || '(native)';
    return `${cf.functionName || '(anonymous)'}  ${where}`;
  };
  const self = new Map();
  const incl = new Map();
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = prof.timeDeltas[i] ?? 0;
    total += dt;
    const leaf = keyOf(byId.get(prof.samples[i]).callFrame);
    self.set(leaf, (self.get(leaf) ?? 0) + dt);
    const seen = new Set();
    for (let id = prof.samples[i]; id !== undefined; id = parent.get(id)) {
      const k = keyOf(byId.get(id).callFrame);
      if (seen.has(k) || !/ (src|bench)\//.test(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + dt);
    }
  }
  const rows = (m, n) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => ({ fn: k, ms: us / 1000, pct: (100 * us) / total }));
  return { totalMs: total / 1000, self: rows(self, top), inclusive: rows(incl, top) };
}

async function profile(n) {
  const out = {};
  for (const op of OPS) {
    const ns = newNetns();
    const dir = join(tmp, `prof-${op}`);
    mkdirSync(dir, { recursive: true });
    try {
      if (op !== 'install') checkBatch('c-batched', 'install', cjson(['install', ns, String(n)]));
      const w = startWorker(['--cpu-prof', '--cpu-prof-dir', dir]);
      await w.ready;
      const r = await w.call({ op, ns, n });
      await w.stop();
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      const summary = summarizeProfile(join(dir, file));
      out[op] = { ms: r.ms, profile: summary };
      if (opt.keep) log(`bench: profile of ${op}: ${join(dir, file)}`);
      console.log(`\nnetlink-xfrm ${op} N=${n}: ${fmt(r.ms)} ms timed; whole-process profile ${fmt(summary.totalMs)} ms (module loading and input building included)`);
      console.log('  self time (inlined callees count for their caller):');
      for (const row of summary.self) console.log(`  ${row.pct.toFixed(1).padStart(5)}%  ${fmt(row.ms).padStart(7)} ms  ${row.fn}`);
      console.log('  inclusive time, library and bench frames:');
      for (const row of summary.inclusive) console.log(`  ${row.pct.toFixed(1).padStart(5)}%  ${fmt(row.ms).padStart(7)} ms  ${row.fn}`);
    } finally {
      try {
        cjson(['flush', ns]);
      } catch {
        /* ignore */
      }
      deleteNetns(ns);
    }
  }
  return out;
}

// ---------------------------------------------------------------- main

const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  kernel: release(),
  node: process.version,
  iproute2: spawnSync('ip', ['-V'], { encoding: 'utf8' }).stdout.trim(),
  cc: spawnSync('cc', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0],
  // What was measured: the commit, plus uncommitted changes under src/ (others may be editing).
  commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).stdout?.trim(),
  srcDirty: (spawnSync('git', ['status', '--porcelain', '--', 'src'], { cwd: repo, encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean).length,
};

async function main() {
  log(`bench: ${machine.cpus} vCPU ${machine.cpuModel}, kernel ${machine.kernel}, node ${machine.node}, ${machine.iproute2}`);
  log(`bench: library from src/ at ${machine.commit}${machine.srcDirty ? ` with ${machine.srcDirty} uncommitted file(s) under src/` : ''}`);
  if (opt.profile) {
    const n = Number(opt['profile-n']);
    const prof = await profile(n);
    if (opt.out) writeFileSync(opt.out, JSON.stringify({ machine, profile: prof }, null, 2));
    return;
  }
  const worker = startWorker();
  const hello = await worker.ready;
  const startLoad = loadavg();
  const results = [];
  for (const n of sizes) {
    log(`bench: N=${n}: writing ip batch files`);
    const files = ipFiles(n);
    const runs = [];
    for (let rep = 0; rep < reps; rep++) {
      const order = TOOLS.map((_, i) => TOOLS[(i + rep) % TOOLS.length]);
      const times = {};
      for (const tool of order) times[tool] = await trial(tool, n, files, worker);
      runs.push({ order, times, loadavg: loadavg()[0] });
      log(
        `bench: N=${n} rep ${rep + 1}/${reps} [${order.join(', ')}] ` +
          order.map((t) => `${t}: ${OPS.map((op) => fmt(times[t][op])).join('/')}`).join('  ') +
          ` ms (install/dump/delete), load ${loadavg()[0].toFixed(2)}`,
      );
    }
    const s = summarize(n, runs);
    s.runs = runs;
    results.push(s);
    printSummary(s);
  }
  // How much of a dump is decoding alone: the same policies decoded from memory.
  const nMax = Math.max(...sizes);
  let floor;
  if (!opt.quick && nMax >= 10_000) {
    log(`bench: N=${nMax}: in-memory decode (no socket, no kernel), 7 repetitions`);
    floor = await worker.call({ op: 'decode-floor', n: nMax, reps: 7 });
    const cDump = results.find((r) => r.n === nMax).dump[REF].median;
    const us = (ms) => ((ms * 1000) / nMax).toFixed(2);
    console.log(
      `\nIn-memory decode of ${nMax} policies (${floor.datagrams} datagrams; median of 7): decodeXfrmMessages ${fmt(floor.messagesMs)} ms` +
        ` (${us(floor.messagesMs)} µs/policy), + policyFromMessage ${fmt(floor.policiesMs)} ms (${us(floor.policiesMs)} µs/policy)` +
        ` = ${(floor.policiesMs / cDump).toFixed(2)}x the C program's whole dump (${fmt(cDump)} ms, kernel included)`,
    );
  }
  await worker.stop();

  let rss;
  if (!opt.quick && !opt['no-rss']) {
    log('bench: peak RSS of a streamed 100k dump (fresh netlink-xfrm process)');
    rss = measureRss(Math.min(100_000, MAX_N));
    const mb = (k) => (k / 1024).toFixed(1);
    console.log(
      `\nPeak RSS, netlink-xfrm dumping 100k policies in a fresh process: streamed ${mb(rss.stream.maxRssKiB)} MiB` +
        (rss.stream.timeVMaxRssKiB ? ` (/usr/bin/time -v: ${mb(rss.stream.timeVMaxRssKiB)} MiB)` : '') +
        `, of which ${mb(rss.stream.maxRssBeforeKiB)} MiB before the dump; collected into an array: ${mb(rss.collect.maxRssKiB)} MiB;` +
        ` idle node: ${mb(rss.idleNodeMaxRssKiB)} MiB`,
    );
  }

  const endLoad = loadavg();
  const big = results.find((r) => r.n === 100_000);
  let targets;
  if (big) {
    const w = (op, k) => big[op].ratio[k];
    const c = (op, k) => big.cpu[op].ratio[k];
    const rssMB = rss ? (rss.stream.maxRssKiB * 1024) / 1e6 : undefined;
    // The targets of issue 14, against the one-ACK C program (the same protocol as ours).
    const withinFor = (tool, op, label) => {
      const k = `${tool}/${REF}`;
      return { [`${label} <= 1.5x ${REF}`]: { value: r2(w(op, k)), cpu: r2(c(op, k)), met: w(op, k) <= 1.5 } };
    };
    const within = (op, label) => withinFor('netlink-xfrm', op, label);
    targets = {
      ...within('install', 'install'),
      ...within('dump', 'dump+decode'),
      ...withinFor('netlink-xfrm-views', 'dump', 'dump through views (forEachPolicy)'),
      ...within('delete', 'delete'),
      ...(rss ? { 'streamed 100k dump < 100 MB peak RSS': { value: r2(rssMB), met: rssMB < 100 } } : {}),
    };
    console.log('\nTargets at N = 100k (ratios of wall-time medians; CPU-time ratio in brackets):');
    for (const [k, v] of Object.entries(targets)) console.log(`  ${v.met ? 'MET   ' : 'MISSED'} ${k}: ${v.value}${v.cpu !== undefined ? ` [CPU ${v.cpu}]` : ' MB'}`);
    console.log(
      `  (no target: netlink-xfrm / c-batched, the C program with an ACK per request: install ${r2(w('install', 'netlink-xfrm/c-batched'))}x,` +
        ` dump ${r2(w('dump', 'netlink-xfrm/c-batched'))}x, delete ${r2(w('delete', 'netlink-xfrm/c-batched'))}x;` +
        ` ip -batch / netlink-xfrm: install ${r2(w('install', 'ip-batch/netlink-xfrm'))}x)`,
    );
  }
  console.log(`\nload average: ${startLoad.map((x) => x.toFixed(2)).join(' ')} at start, ${endLoad.map((x) => x.toFixed(2)).join(' ')} at end (shared machine)`);
  if (opt.out) {
    writeFileSync(opt.out, JSON.stringify({ machine, worker: hello, reps, results, decodeFloor: floor, rss, targets, loadavg: { start: startLoad, end: endLoad } }, null, 2));
    log(`bench: raw results in ${opt.out}`);
  }

  const pick = (s, op) => Object.fromEntries(MAIN_TOOLS.map((t) => [t, r2(s[op][t].median)]));
  const line = (s) => ({ n: s.n, install_ms: pick(s, 'install'), dump_ms: pick(s, 'dump'), delete_ms: pick(s, 'delete') });
  if (opt.quick && results.length === 1) console.log(JSON.stringify(line(results[0])));
  else console.log(JSON.stringify({ sizes: results.map(line), ...(rss ? { rss_100k_stream_kib: rss.stream.maxRssKiB } : {}) }));
}

main().then(
  () => {
    cleanup();
    process.exit(0);
  },
  (e) => {
    console.error(`bench: ${e?.stack ?? e}`);
    cleanup();
    process.exit(1);
  },
);
