// The guest side of bench/ha.mjs: runs as PID 1's command inside user-mode-linux (root, its
// own network stack) and writes its results as JSON to --out. Not meant to run on a host.
//
// Topology (TEST-NET addresses, namespaces created here and always deleted):
//   P (peer): bridge br0 192.0.2.2/24, ports pa (to A) and ps (to S)
//   A (active): eth0 192.0.2.1/24 (the VIP) with the VRRP virtual MAC 00:00:5e:00:01:01
//   S (standby): eth0 with the same virtual MAC, down and without the VIP until the takeover
// The crash: SIGKILL of A's publisher and service, A's links down (A is deleted at the end).
//   A–S sync link: 203.0.113.1/24 – 203.0.113.2/24
// SA pairs (transport ESP, AES-GCM-128, reqid i+1), identical on P and A:
//   pair i: UDP P -> VIP:20000+i and back (sport 20000+i); even i ESN window 128, odd i legacy
//   window 32. SPI P->VIP 0x100000+i, VIP->P 0x200000+i. Pair 0 carries the failover's
//   numbered echoes (its echo server runs on A and, bound to 0.0.0.0, already on S), pairs
//   1.. the CPU window's traffic, the last ones the lag probes.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { HA_RUN_OPTIONS, parseBenchArgs } from './options.mjs';

const opt = parseBenchArgs(import.meta.url, {
  cli: { type: 'string' },
  'ha-lib': { type: 'string' },
  work: { type: 'string' },
  out: { type: 'string' },
  ...HA_RUN_OPTIONS,
});

const here = new URL('.', import.meta.url).pathname;
const CLI = opt.cli;
const TRAFFIC = join(here, 'ha-traffic.mjs');
const PAIRS = Number(opt.pairs);
const LAG_N = Math.min(Number(opt['lag-samples']), Math.floor((PAIRS - 1) / 4));
const CPU_TO = PAIRS - 1 - LAG_N; // pairs 1..CPU_TO carry the CPU-window traffic; the rest are the lag probes'
const REPLAY_THRESH = opt['replay-thresh'] ? Number(opt['replay-thresh']) : 256;
const TIMER_MS = opt['timer-thresh'] ? Number(opt['timer-thresh']) : 1000;
const PORT_BASE = 20000;
const SPI_PA = 0x100000;
const SPI_AP = 0x200000;
const P_ADDR = '192.0.2.2';
const VIP = '192.0.2.1';
const VMAC = '00:00:5e:00:01:01';
const SYNC_A = '203.0.113.1';
const SYNC_S = '203.0.113.2';
const tag = randomBytes(2).toString('hex');
const NS = { p: `nlxha-p-${tag}`, a: `nlxha-a-${tag}`, s: `nlxha-s-${tag}` };
const priv = `/run/nlxha-${tag}`; // guest tmpfs: keys and batch files never reach the host's disk
const jdir = join(opt.work, 'journal'); // the journal on hostfs: its fdatasync reaches a real disk
const J = join(jdir, 'standby.journal');
const PSK = join(priv, 'psk');

const result = { pairs: PAIRS, thresholds: { replay: REPLAY_THRESH, timerMs: TIMER_MS }, errors: [] };
const namespaces = new Set();
const children = new Set();
const t00 = performance.now();
const log = (s) => process.stderr.write(`[guest ${((performance.now() - t00) / 1000).toFixed(1)}s] ${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? undefined : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? undefined : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

function sh(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...opts });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')}: ${(e.stderr || e.message).toString().trim().slice(0, 800)}`);
  }
}
const ip = (ns, ...args) => sh('ip', ['-n', ns, ...args]);

function start(name, argv, { netns, env } = {}) {
  const full = netns ? ['ip', 'netns', 'exec', netns, ...argv] : argv;
  const errPath = join(opt.work, `${name}.stderr`);
  const errFd = openSync(errPath, 'w');
  const c = spawn(full[0], full.slice(1), { stdio: ['ignore', 'pipe', errFd], env: { ...process.env, ...env } });
  closeSync(errFd);
  let out = '';
  c.stdout.on('data', (d) => (out += d));
  const exited = new Promise((r) => c.on('exit', (code, sig) => r({ code, sig })));
  children.add(c);
  exited.then(() => children.delete(c));
  return { c, pid: c.pid, errPath, out: () => out, exited, stderr: () => (existsSync(errPath) ? readFileSync(errPath, 'utf8') : '') };
}

async function until(what, fn, timeoutMs, everyMs = 50) {
  const t = performance.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (performance.now() - t > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

function cleanup() {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
  for (const ns of namespaces) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
  namespaces.clear();
}

function addNs(name) {
  sh('ip', ['netns', 'add', name]);
  namespaces.add(name);
  ip(name, 'link', 'set', 'lo', 'up');
}

function xfrmStat(ns) {
  const o = {};
  for (const line of sh('ip', ['netns', 'exec', ns, 'cat', '/proc/net/xfrm_stat']).split('\n')) {
    const m = /^(\w+)\s+(\d+)/.exec(line);
    if (m && Number(m[2]) !== 0) o[m[1]] = Number(m[2]);
  }
  return o;
}

/** utime+stime of a process, in clock ticks. */
function cpuTicks(pid) {
  const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // fields 14 and 15 of proc(5), counted from field 3 here
}
function guestCpu() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  return { total: f.reduce((a, b) => a + b, 0), idle };
}

// ---------------------------------------------------------------- setup

function sel(i, fromPeer) {
  // fromPeer: P -> VIP (requests); else VIP -> P (echoes).
  return fromPeer ? ['proto', 'udp', 'dport', String(PORT_BASE + i)] : ['proto', 'udp', 'sport', String(PORT_BASE + i)];
}

function batchFiles() {
  const states = [];
  const polP = [];
  const polA = [];
  for (let i = 0; i < PAIRS; i++) {
    const esn = i % 2 === 0 ? 'replay-window 128 flag esn' : 'replay-window 32';
    const reqid = i + 1;
    for (const [src, dst, spi] of [[P_ADDR, VIP, SPI_PA + i], [VIP, P_ADDR, SPI_AP + i]]) {
      const key = '0x' + randomBytes(20).toString('hex');
      states.push(`xfrm state add src ${src} dst ${dst} proto esp spi 0x${spi.toString(16)} reqid ${reqid} mode transport aead rfc4106(gcm(aes)) ${key} 128 ${esn}`);
    }
    const tmplPA = `tmpl src ${P_ADDR} dst ${VIP} proto esp reqid ${reqid} mode transport`;
    const tmplAP = `tmpl src ${VIP} dst ${P_ADDR} proto esp reqid ${reqid} mode transport`;
    const selPA = `src ${P_ADDR}/32 dst ${VIP}/32 ${sel(i, true).join(' ')}`;
    const selAP = `src ${VIP}/32 dst ${P_ADDR}/32 ${sel(i, false).join(' ')}`;
    polP.push(`xfrm policy add ${selPA} dir out ${tmplPA}`, `xfrm policy add ${selAP} dir in ${tmplAP}`);
    polA.push(`xfrm policy add ${selAP} dir out ${tmplAP}`, `xfrm policy add ${selPA} dir in ${tmplPA}`);
  }
  writeFileSync(join(priv, 'states.batch'), states.join('\n') + '\n', { mode: 0o600 });
  writeFileSync(join(priv, 'p.batch'), polP.join('\n') + '\n', { mode: 0o600 });
  writeFileSync(join(priv, 'a.batch'), polA.join('\n') + '\n', { mode: 0o600 });
}

function counts(ns) {
  const s = /(\d+)/.exec(ip(ns, 'xfrm', 'state', 'count'))?.[1];
  // "SPD IN n OUT n FWD n": the policies of every direction.
  const p = [...ip(ns, 'xfrm', 'policy', 'count').matchAll(/\b(?:IN|OUT|FWD)\s+(\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
  return { sas: Number(s), policies: p };
}

async function setup() {
  mkdirSync(priv, { mode: 0o700 });
  mkdirSync(jdir, { recursive: true, mode: 0o700 });
  writeFileSync(PSK, randomBytes(64), { mode: 0o600 });
  result.guest = { kernel: sh('uname', ['-r']).trim(), hz: Number(sh('getconf', ['CLK_TCK']).trim()), node: process.version };
  for (const ns of Object.values(NS)) addNs(ns);
  // The bridge module is not in init.sh's list: the kernel asks modprobe for it (init.sh set
  // kernel.modprobe to the guest's module tree); load it explicitly when that is not enough.
  try {
    ip(NS.p, 'link', 'add', 'br0', 'type', 'bridge');
  } catch {
    if (existsSync('/run/nlx/modprobe')) sh('/run/nlx/modprobe', ['bridge']);
    ip(NS.p, 'link', 'add', 'br0', 'type', 'bridge');
  }
  ip(NS.p, 'addr', 'add', `${P_ADDR}/24`, 'dev', 'br0');
  ip(NS.p, 'link', 'set', 'br0', 'up');
  ip(NS.p, 'link', 'add', 'pa', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', NS.a);
  ip(NS.p, 'link', 'add', 'ps', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', NS.s);
  for (const port of ['pa', 'ps']) ip(NS.p, 'link', 'set', port, 'master', 'br0', 'up');
  for (const ns of [NS.a, NS.s]) ip(ns, 'link', 'set', 'eth0', 'address', VMAC);
  ip(NS.a, 'addr', 'add', `${VIP}/24`, 'dev', 'eth0');
  ip(NS.a, 'link', 'set', 'eth0', 'up');
  ip(NS.a, 'link', 'add', 'sync', 'type', 'veth', 'peer', 'name', 'sync', 'netns', NS.s);
  ip(NS.a, 'addr', 'add', `${SYNC_A}/24`, 'dev', 'sync');
  ip(NS.s, 'addr', 'add', `${SYNC_S}/24`, 'dev', 'sync');
  ip(NS.a, 'link', 'set', 'sync', 'up');
  ip(NS.s, 'link', 'set', 'sync', 'up');

  log(`installing ${PAIRS} SA pairs and ${2 * PAIRS} policies on P and A (ip -batch)`);
  batchFiles();
  const ms = [];
  const msS = [];
  const msP = [];
  for (const [ns, f] of [[NS.p, 'p.batch'], [NS.a, 'a.batch']]) {
    const t = performance.now();
    sh('ip', ['-n', ns, '-batch', join(priv, 'states.batch')]);
    const t1 = performance.now();
    sh('ip', ['-n', ns, '-batch', join(priv, f)]);
    ms.push(performance.now() - t);
    msS.push(t1 - t);
    msP.push(performance.now() - t1);
    const c = counts(ns);
    if (c.sas !== 2 * PAIRS || c.policies !== 2 * PAIRS) throw new Error(`${ns}: ${c.sas} SAs / ${c.policies} policies, expected ${2 * PAIRS} each`);
  }
  result.setup = { ipBatchMs: median(ms), ipBatchStatesMs: median(msS), ipBatchPoliciesMs: median(msP) };
  // ARP resolved before anything is measured.
  sh('ip', ['netns', 'exec', NS.p, 'ping', '-c', '1', '-W', '2', VIP]);
}

// ---------------------------------------------------------------- publish / follow

let publisher;
let follower;
let echo;
let echoS;

async function startHa() {
  const thresh = [...(opt['replay-thresh'] ? ['--replay-thresh', opt['replay-thresh']] : []), ...(opt['timer-thresh'] ? ['--timer-thresh', opt['timer-thresh']] : [])];
  let t = performance.now();
  publisher = start('publisher', ['node', CLI, 'ha', 'publish', '--listen', `${SYNC_A}:7400`, '--psk-file', PSK, ...thresh], { netns: NS.a });
  await until('the publisher to listen', () => /listening on/.test(publisher.stderr()) || publisher.c.exitCode !== null, 120_000);
  if (publisher.c.exitCode !== null) throw new Error(`ha publish exited: ${publisher.stderr()}`);
  result.setup.publisherReadyMs = performance.now() - t;
  // `ip netns exec` execs the command in place: the PID is node's, whose CPU we read later.
  const comm = readFileSync(`/proc/${publisher.pid}/comm`, 'utf8').trim();
  if (comm !== 'node') throw new Error(`the publisher's PID ${publisher.pid} is ${comm}, not node`);
  log(`publisher: ${publisher.stderr().trim().split('\n').pop()}`);
  t = performance.now();
  follower = start('follower', ['node', CLI, 'ha', 'follow', '--connect', `${SYNC_A}:7400`, '--psk-file', PSK, '--journal', J], { netns: NS.s });
  const re = new RegExp(`full state: ${2 * PAIRS} SAs, ${2 * PAIRS} policies`);
  await until('the standby\'s full state', () => re.test(follower.stderr()) || follower.c.exitCode !== null, 180_000);
  if (follower.c.exitCode !== null) throw new Error(`ha follow exited: ${follower.stderr()}`);
  result.setup.fullStateMs = performance.now() - t;
  log(`follower: ${follower.stderr().trim().split('\n').pop()}`);
  echo = start('echo', ['node', TRAFFIC, 'echo', '--addr', VIP, '--port-base', String(PORT_BASE), '--from', '0', '--to', String(PAIRS - 1)], { netns: NS.a });
  // The standby's service is up before the failover, as it would be: it answers once the VIP is there.
  echoS = start('echo-s', ['node', TRAFFIC, 'echo', '--addr', '0.0.0.0', '--port-base', String(PORT_BASE), '--from', '0', '--to', '0'], { netns: NS.s });
  for (const [e, what] of [[echo, 'A'], [echoS, 'S']]) {
    await until(`the echo server on ${what}`, () => /ready/.test(e.out()) || e.c.exitCode !== null, 60_000);
    if (e.c.exitCode !== null) throw new Error(`echo server on ${what} exited: ${e.stderr()}`);
  }
}

// ---------------------------------------------------------------- 2. sync lag

async function lag() {
  if (LAG_N < 1) return;
  // The lag pairs have carried no traffic: the probe knows their counters start at 0.
  const from = CPU_TO + 1;
  log(`sync lag: ${LAG_N} samples on pairs ${from}..${from + LAG_N - 1}, bursts of ${REPLAY_THRESH + 1} packets`);
  const probe = start('lag', ['node', TRAFFIC, 'lag', '--dst', VIP, '--port-base', String(PORT_BASE), '--spi-base', String(SPI_PA), '--from', String(from), '--count', String(LAG_N), '--burst', String(REPLAY_THRESH + 1), '--journal', J], { netns: NS.p });
  const ex = await probe.exited;
  if (ex.code !== 0) throw new Error(`lag probe exited ${ex.code ?? ex.sig}: ${probe.stderr()}`);
  const r = JSON.parse(probe.out().trim().split('\n').pop());
  const ms = r.samples.map((s) => s.ms);
  result.lag = {
    samples: ms.length,
    timeouts: r.timeouts,
    compactions: r.compactions,
    medianMs: median(ms),
    p95Ms: pct(ms, 95),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    // syncedAt (the publisher's clock when it read the aevent) minus the send time: how much of the lag is before the publisher.
    publisherReadMedianMs: median(r.samples.map((s) => s.publisherReadMs)),
    seqs: [...new Set(r.samples.map((s) => s.seq))],
    raw: r.samples.map((s) => Number(s.ms.toFixed(2))),
  };
  log(`sync lag: median ${result.lag.medianMs?.toFixed(1)} ms, p95 ${result.lag.p95Ms?.toFixed(1)} ms (${r.timeouts} timeouts)`);
}

// ---------------------------------------------------------------- 3. publisher CPU

function statusLines() {
  return publisher.stderr().split('\n').filter((l) => /SAs, \d+ policies, \d+ events/.test(l));
}

function countCounters(from, to) {
  const fd = openSync(`${J}.log`, 'r');
  try {
    const buf = Buffer.alloc(Math.max(0, to - from));
    readSync(fd, buf, 0, buf.length, from);
    let n = 0;
    for (const line of buf.toString('utf8').split('\n')) if (line.includes('"type":"counters"')) n++;
    return n;
  } finally {
    closeSync(fd);
  }
}

function sample() {
  return { ticks: cpuTicks(publisher.pid), fticks: cpuTicks(follower.pid), t: performance.now(), g: guestCpu(), log: statSync(`${J}.log`).size, ino: statSync(`${J}.log`).ino, lines: statusLines() };
}

/** One traffic rate: publisher CPU and events over one of its 10 s status intervals (or a fixed 10 s window if it prints none: starved). */
async function cpuAt(rate) {
  const sender = start(`sender-${rate}`, ['node', TRAFFIC, 'send', '--dst', VIP, '--port-base', String(PORT_BASE), '--from', '1', '--to', String(CPU_TO), '--rate', String(rate)], { netns: NS.p });
  // Warm up: every SA of the round touched at least once (up to 10 s), then align the window to
  // two consecutive status lines of the publisher: its own event count over its own interval.
  await sleep(Math.min(10_000, Math.max(3000, (CPU_TO / rate) * 1000 + 1500)));
  const n0 = statusLines().length;
  let s0;
  let s1;
  let starved = false;
  try {
    await until('a publisher status line', () => statusLines().length > n0, 25_000, 20);
    s0 = sample();
    await until('the next status line', () => statusLines().length > n0 + 1, 25_000, 20);
    s1 = sample();
  } catch {
    // No status line for 25 s: the publisher's event loop is not getting to its timers.
    starved = true;
    s0 = sample();
    await sleep(10_000);
    s1 = sample();
  }
  sender.c.kill('SIGTERM');
  await sender.exited;
  const tr = JSON.parse(sender.out().trim().split('\n').pop());
  const hz = result.guest.hz;
  const windowMs = s1.t - s0.t;
  const cpuMs = ((s1.ticks - s0.ticks) / hz) * 1000;
  const ev = (l) => Number(/(\d+) events/.exec(l)[1]);
  const events = starved ? undefined : ev(s1.lines[n0 + 1]) - ev(s0.lines[n0]);
  const r = {
    rate,
    starved,
    windowMs,
    cpuMs,
    cpuPct: (cpuMs / windowMs) * 100,
    events,
    eventsPerSec: events !== undefined ? events / (windowMs / 1000) : undefined,
    usPerEvent: events ? (cpuMs * 1000) / events : undefined,
    countersRecords: s0.ino === s1.ino ? countCounters(s0.log, s1.log) : undefined,
    followerCpuPct: ((((s1.fticks - s0.fticks) / hz) * 1000) / windowMs) * 100,
    guestBusyPct: (1 - (s1.g.idle - s0.g.idle) / (s1.g.total - s0.g.total)) * 100,
    trafficPairs: CPU_TO,
    trafficPps: tr.sent / (tr.ms / 1000),
    trafficEchoed: tr.received / Math.max(1, tr.sent),
    statusLines: s1.lines.slice(n0).map((l) => l.replace(/^ha publish: /, '')),
  };
  r.countersPerSec = r.countersRecords !== undefined ? r.countersRecords / (windowMs / 1000) : undefined;
  log(`publisher CPU at ${rate}/s: ${r.cpuPct.toFixed(1)} %, ${events ?? '?'} events, ${r.countersRecords} counters records in ${(windowMs / 1000).toFixed(1)} s${starved ? ' (STARVED: no status line)' : ''}`);
  // Let the backlog drain before the next step.
  await sleep(3000);
  return r;
}

async function cpu() {
  const rates = opt['cpu-rates'].split(',').map(Number).filter((x) => x > 0);
  if (!rates.length) return;
  // Idle baseline first: what the publisher costs with nothing to report (timers, GC, status).
  const i0 = { ticks: cpuTicks(publisher.pid), t: performance.now() };
  await sleep(5000);
  const idlePct = ((((cpuTicks(publisher.pid) - i0.ticks) / result.guest.hz) * 1000) / (performance.now() - i0.t)) * 100;
  log(`publisher CPU: idle ${idlePct.toFixed(1)} %; UDP echo at ${rates.join(', ')}/s round-robin over pairs 1..${CPU_TO}`);
  result.cpu = { idleCpuPct: idlePct, runs: [] };
  for (const rate of rates) result.cpu.runs.push(await cpuAt(rate));
}

// ---------------------------------------------------------------- 1. takeover after a crash

function parseTakeover(out) {
  const j = JSON.parse(out);
  return {
    ok: j.ok,
    sasInstalled: j.sas.filter((s) => s.status === 'installed').length,
    sasPresent: j.sas.filter((s) => s.status === 'present').length,
    sasFailed: j.sas.filter((s) => s.status === 'failed').length,
    policiesInstalled: j.policies.filter((p) => p.status === 'installed').length,
    policiesFailed: j.policies.filter((p) => p.status === 'failed').length,
    j,
  };
}

async function runTakeover(ns) {
  const t = performance.now();
  const c = start(`takeover-${ns}`, ['node', CLI, '--netns', ns, 'ha', 'takeover', '--journal', J, '--json']);
  const ex = await c.exited;
  const wallMs = performance.now() - t;
  if (ex.code !== 0) throw new Error(`ha takeover in ${ns} exited ${ex.code ?? ex.sig}: ${c.stderr().slice(0, 2000)} ${c.out().slice(0, 2000)}`);
  const r = parseTakeover(c.out());
  return { wallMs, ...r };
}

function peerSa(ns, src, dst, spi) {
  const out = ip(ns, '-s', 'xfrm', 'state', 'list', 'src', src, 'dst', dst, 'proto', 'esp', 'spi', `0x${spi.toString(16)}`);
  const m = /replay-window (\d+) replay (\d+) failed (\d+)/.exec(out);
  return m ? { replay: Number(m[2]), failed: Number(m[3]) } : { unparsed: out.slice(0, 300) };
}

async function failover() {
  const rate = Number(opt['ping-rate']);
  // A publisher still digesting a backlog (an overloaded CPU window) would blur the crash: wait
  // until it prints a status line again, i.e. its event loop is free.
  const n0 = statusLines().length;
  await until('the publisher to be idle again (a new status line)', () => statusLines().length > n0, 180_000, 100);
  log(`failover: ${rate} numbered UDP echoes/s over pair 0, crash A 2 s after the first echo`);
  const statBefore = xfrmStat(NS.p);
  const ping = start('ping', ['node', TRAFFIC, 'ping', '--dst', VIP, '--port-base', String(PORT_BASE), '--from', '0', '--rate', String(rate)], { netns: NS.p });
  await until('the first echo over pair 0', () => /first echo/.test(ping.out()) || ping.c.exitCode !== null, 30_000);
  if (ping.c.exitCode !== null) throw new Error(`the pinger exited: ${ping.stderr()}`);
  await sleep(2000);
  // The crash: no final snapshot, no goodbye on the sync link.
  const tCrashWall = Date.now();
  const tCrash = performance.now();
  publisher.c.kill('SIGKILL');
  echo.c.kill('SIGKILL');
  await Promise.all([publisher.exited, echo.exited]);
  // A's machine is gone from both networks. Its links go down rather than its namespace away:
  // tearing down 2,000 SAs would be the dead node's kernel work, here competing with the
  // takeover for the guest's one CPU. The bridge port loses carrier and forgets the virtual MAC.
  ip(NS.a, 'link', 'set', 'eth0', 'down');
  ip(NS.a, 'link', 'set', 'sync', 'down');
  // What keepalived does on the standby: take the VIP (with the virtual MAC), then notify_master -> ha takeover.
  ip(NS.s, 'addr', 'add', `${VIP}/24`, 'dev', 'eth0');
  ip(NS.s, 'link', 'set', 'eth0', 'up');
  const tVip = performance.now();
  const tk = await runTakeover(NS.s);
  const tDone = performance.now();
  log(`takeover: ${tk.wallMs.toFixed(0)} ms, ok=${tk.ok}, ${tk.sasInstalled} SAs, ${tk.policiesInstalled} policies installed`);
  await sleep(4000);
  ping.c.kill('SIGTERM');
  await ping.exited;
  const p = JSON.parse(ping.out().trim().split('\n').pop());
  const times = p.echoes.map((e) => e[1]);
  // Reply gap: the largest interval between consecutive echoes (each stamped on arrival).
  let gapMs = 0;
  let gapAt = 0;
  for (let k = 1; k < times.length; k++) {
    const d = times[k] - times[k - 1];
    if (d > gapMs) {
      gapMs = d;
      gapAt = k;
    }
  }
  // Requests are numbered and paced by the clock: those numbered from seqAtCrash on left P after the crash.
  const seqAtCrash = Math.ceil(((tCrashWall - p.t0Wall) / 1000) * p.rate);
  const echoedAfter = p.echoes.filter((e) => e[0] >= seqAtCrash).length;
  const echoedBefore = p.echoes.length - echoedAfter;
  const before = times.filter((t) => t < tCrashWall).length;
  const synced0 = tk.j.sas.find((s) => s.id.spi === SPI_AP && s.id.daddr === P_ADDR);
  const in0 = tk.j.sas.find((s) => s.id.spi === SPI_PA && s.id.daddr === VIP);
  result.takeover = {
    failover: { wallMs: tk.wallMs, ok: tk.ok, sasInstalled: tk.sasInstalled, sasFailed: tk.sasFailed, policiesInstalled: tk.policiesInstalled, policiesFailed: tk.policiesFailed, crashToVipMs: tVip - tCrash, crashToDoneMs: tDone - tCrash, pair0: { out: synced0 && { oseq: synced0.oseq, explanation: synced0.explanation }, in: in0 && { seq: in0.seq, explanation: in0.explanation } } },
  };
  result.failover = {
    rate: p.sent / (p.ms / 1000),
    transmitted: p.sent,
    received: p.received,
    sentAfterCrash: p.sent - seqAtCrash,
    lost: p.sent - seqAtCrash - echoedAfter,
    lostBeforeCrash: seqAtCrash - echoedBefore,
    repliesBeforeCrash: before,
    gapMs,
    gapStartAfterCrashMs: gapAt ? times[gapAt - 1] - tCrashWall : undefined,
    recoveryMs: gapAt ? times[gapAt] - tCrashWall : undefined,
    peerXfrmStatBefore: statBefore,
    peerXfrmStatNonZero: xfrmStat(NS.p),
    peerSaErrors: peerSa(NS.p, VIP, P_ADDR, SPI_AP),
    standbyXfrmStatNonZero: xfrmStat(NS.s),
    standbyInboundSa: peerSa(NS.s, P_ADDR, VIP, SPI_PA),
  };
  log(`failover: sent ${p.sent - seqAtCrash} after the crash, lost ${result.failover.lost}, gap ${gapMs.toFixed(0)} ms; P xfrm_stat ${JSON.stringify(result.failover.peerXfrmStatNonZero)}`);
  if (!tk.ok) result.errors.push('takeover reported ok=false');
  if (Object.keys(result.failover.peerXfrmStatNonZero).length) result.errors.push(`the peer counted errors: ${JSON.stringify(result.failover.peerXfrmStatNonZero)}`);
  if (result.failover.peerSaErrors.replay || result.failover.peerSaErrors.failed) result.errors.push(`the peer's inbound SA counted replay/failed: ${JSON.stringify(result.failover.peerSaErrors)}`);
  const after = times.filter((t) => t > tCrashWall + (tDone - tCrash)).length;
  if (before < 10) result.errors.push(`no traffic before the crash (${before} echoes)`);
  if (after < 10) result.errors.push(`traffic did not resume after the takeover (${after} replies)`);
}

async function moreTakeovers() {
  follower.c.kill('SIGTERM');
  await follower.exited;
  // The same journal into fresh namespaces: a cold install of everything, N times.
  const cold = [];
  for (let k = 0; k < Number(opt['takeover-runs']); k++) {
    const ns = `nlxha-t${k}-${tag}`;
    addNs(ns);
    const r = await runTakeover(ns);
    cold.push({ wallMs: r.wallMs, ok: r.ok, sasInstalled: r.sasInstalled, policiesInstalled: r.policiesInstalled });
    sh('ip', ['netns', 'del', ns]);
    namespaces.delete(ns);
    log(`cold takeover ${k + 1}: ${r.wallMs.toFixed(0)} ms`);
  }
  result.takeover.cold = cold;
  result.takeover.coldMedianMs = median(cold.map((c) => c.wallMs));
  // Re-run on S: everything is present, nothing is sent but the dumps.
  const re = await runTakeover(NS.s);
  result.takeover.rerun = { wallMs: re.wallMs, ok: re.ok, sasPresent: re.sasPresent, sasInstalled: re.sasInstalled };
  if (opt['ha-lib']) result.takeover.journalRead = JSON.parse(sh('node', [join(here, 'ha-journal-read.mjs'), opt['ha-lib'], J]).trim());
  let t = performance.now();
  sh('node', ['-e', '0']);
  result.takeover.nodeBareMs = performance.now() - t;
  t = performance.now();
  sh('node', [CLI, '--help']);
  result.takeover.nodeStartMs = performance.now() - t;
}

// ---------------------------------------------------------------- main

try {
  await setup();
  await startHa();
  await lag();
  await cpu();
  await failover();
  await moreTakeovers();
} catch (e) {
  result.errors.push(e instanceof Error ? e.message : String(e));
  log(`ERROR: ${e instanceof Error ? e.stack : e}`);
} finally {
  result.guestMs = performance.now() - t00;
  cleanup();
  writeFileSync(opt.out, JSON.stringify(result, null, 2) + '\n');
}
process.exit(0);
