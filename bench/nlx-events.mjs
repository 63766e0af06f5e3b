// netlink-xfrm listener of the event benchmark (bench/events.mjs starts one per storm):
// `client.events(['policy'], { rcvbuf })` in the network namespace, touching the selector and
// index of every policy event and counting `overrun` events — the same work as the C listener
// (`c-baseline listen`). Prints {"ready":…} once subscribed, then one JSON line with the result.
//
//   node bench/nlx-events.mjs LIBDIR NS RCVBUF EXPECTED QUIET_MS [WARMUP] [MODE]
//
// MODE `fast` (default): the fast path, `while (await events.ready()) events.drain(fn)` over
// lazy event views (the selector and index read from the bytes in place); `typed`:
// `for await (const ev of events)` over typed events (each decoded whole).
//
// With WARMUP > 0 (any positive number), a warm-up storm comes first (a listening daemon runs
// JIT-compiled code): its events are handled the same way until bench/events.mjs writes a line
// on stdin; then the counters restart and {"warm":true} is printed.
// Stops after EXPECTED policy events, or QUIET_MS without one (30 s before the first). The CPU
// time is the whole process's (every thread) from "ready" to the end, like the C listener's
// getrusage; the wall time is from the first event to the last.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [libDir, ns, rcvbufArg, expectedArg, quietArg, warmupArg] = process.argv.slice(2);
if (!libDir || !ns?.startsWith('nlx-bench-')) throw new Error('usage: nlx-events.mjs LIBDIR NS(nlx-bench-*) RCVBUF EXPECTED QUIET_MS');
const rcvbuf = Number(rcvbufArg);
const expected = Number(expectedArg);
const quietMs = Number(quietArg);
const warmup = Number(warmupArg ?? 0);
const mode = process.argv[8] ?? 'fast';
if (mode !== 'fast' && mode !== 'typed') throw new Error('MODE: fast or typed');

const { XfrmClient } = await import(pathToFileURL(join(libDir, 'client', 'index.js')).href);
const client = XfrmClient.open({ netns: ns });
const events = client.events(['policy'], { rcvbuf });
console.log(JSON.stringify({ ready: true, portid: events.subscription.portId }));

let newp = 0;
let delp = 0;
let other = 0;
let overruns = 0;
let sum = 0;
let first = 0;
let last = 0;
let c0 = process.cpuUsage();
/** CPU ms per thread name (schedstat: ns), to see the reader thread's share apart from JavaScript's. */
function threadCpu() {
  const out = {};
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const name = readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim() + (t === String(process.pid) ? '(main)' : '');
      out[name] = (out[name] ?? 0) + Number(readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    } catch {
      /* the thread ended */
    }
  }
  return out;
}
let threads0 = threadCpu();
let cLast;
let datagrams0 = 0;
let enobufs0 = 0;
let measuring = !(warmup > 0);
let phaseStart = performance.now();
// The quiet period is checked by an interval, not a timer re-armed per event (that would cost
// more than the decoding measured); the subscription gives the event loop a turn every 256 events.
const watch = setInterval(() => {
  const idle = performance.now() - (last || phaseStart);
  // CPU when the storm's last event is 50 ms old, to compare with the end of the quiet period.
  if (measuring && last && idle > 50 && cLast === undefined) cLast = process.cpuUsage(c0);
  if (measuring && idle > (last ? quietMs : 30_000)) events.close();
}, Math.max(10, quietMs / 4));

// The warm-up ends when bench/events.mjs writes a line on stdin (its warm-up storm is over)
// and no event came for 200 ms: the counters restart there.
if (!measuring) {
  process.stdin.once('data', function endWarmup() {
    if (performance.now() - last < 200) return void setTimeout(endWarmup, 50);
    newp = delp = other = overruns = sum = first = last = 0;
    c0 = process.cpuUsage();
    threads0 = threadCpu();
    datagrams0 = events.subscription.stats.datagrams;
    enobufs0 = events.subscription.stats.overruns;
    phaseStart = performance.now();
    measuring = true;
    process.stdin.pause();
    console.log(JSON.stringify({ warm: true }));
  });
}

/** The fast path's handler: the same work on the views. */
let stop = false;
function onView(ev) {
  const kind = ev.kind;
  if (kind === 'newpolicy' || kind === 'delpolicy') {
    const p = ev.policy;
    if (p !== undefined) {
      const s = p.selector;
      sum += s.saddr.length + s.daddr.length + s.prefixlenD + p.index;
    } else {
      const id = ev.toEvent().id;
      sum += id.sel.saddr.length + id.sel.daddr.length + id.sel.prefixlenD + id.index;
    }
    if (kind === 'newpolicy') newp++;
    else delp++;
  } else if (kind === 'overrun') {
    overruns++;
    return;
  } else {
    other++;
  }
  last = performance.now();
  if (first === 0) first = last;
  cLast = undefined;
  if (measuring && newp + delp >= expected) stop = true;
}

if (mode === 'fast') {
  while (!stop && (await events.ready())) events.drain(onView);
} else for await (const ev of events) {
  const kind = ev.kind;
  if (kind === 'newpolicy') {
    const p = ev.policy;
    sum += p.selector.saddr.length + p.selector.daddr.length + p.selector.prefixlenD + p.index;
    newp++;
  } else if (kind === 'delpolicy') {
    const p = ev.policy;
    if (p) sum += p.selector.saddr.length + p.selector.daddr.length + p.selector.prefixlenD + p.index;
    else sum += ev.id.sel.saddr.length + ev.id.sel.daddr.length + ev.id.sel.prefixlenD + ev.id.index;
    delp++;
  } else if (kind === 'overrun') {
    overruns++;
    continue;
  } else {
    other++;
  }
  last = performance.now();
  if (first === 0) first = last;
  cLast = undefined;
  if (measuring && newp + delp >= expected) break;
}
clearInterval(watch);
const cpu = process.cpuUsage(c0);
const threadsEnd = threadCpu();
const stats = events.subscription.stats;
client.close();
console.log(
  JSON.stringify({
    op: 'listen',
    newpolicy: newp,
    delpolicy: delp,
    other,
    overruns,
    datagrams: stats.datagrams - datagrams0,
    enobufs: stats.overruns - enobufs0,
    ms: last - first,
    cpu_ms: (cpu.user + cpu.system) / 1000,
    userMs: cpu.user / 1000,
    cpuAtStormEndMs: cLast ? (cLast.user + cLast.system) / 1000 : undefined,
    checksum: sum,
    threaded: events.subscription.threaded,
    threadCpuMs: Object.fromEntries(Object.entries(threadsEnd).map(([k, v]) => [k, +(v - (threads0[k] ?? 0)).toFixed(1)])),
  }),
);
process.exit(0); // stdin may still be open
