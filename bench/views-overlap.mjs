// Can a second thread overlap the kernel's dump work with ours (issue 14, third pass)? Bare
// consumers (headers walked, index, dir, prefix lengths and saddr read as numbers) on the raw
// shim, against the kernel, variants interleaved per round; paired ratios to the C dump.
//
//   NETLINK_XFRM_SHIM=… node bench/views-overlap.mjs NETNS CBIN [ROUNDS] [MODES]
//
// MODES (comma-separated; default C,sync,sync16k,sync128k,async,worker):
//   C          `CBIN dump NETNS`
//   sync       recv() on the main thread into 64 KiB (sync16k, sync32k, sync128k: other sizes;
//              the kernel caps a dump datagram at 32 KiB whatever the size)
//   async      libuv's pool: recvAsync of 4 datagrams per job, two jobs double-buffered
//   worker     a worker_threads reader into a ring of 8 × 64 KiB in a SharedArrayBuffer,
//              Atomics.notify per datagram, the main thread Atomics.wait-ing when it is empty
//   spin       the same, the main thread spinning instead of waiting
//   solo       the worker reads the whole dump alone, the main thread asleep until it is done
// Run `solo` in a process of its own (not with worker/spin): they share the ring's counters.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
const require = createRequire(import.meta.url);
const SHIM = process.env.NETLINK_XFRM_SHIM;
const shim = require(SHIM);
const NS = process.argv[2], CBIN = process.argv[3], ROUNDS = Number(process.argv[4] ?? 9);
const modes = (process.argv[5] ?? 'C,sync,sync16k,sync128k,async,worker').split(',');
if (!NS?.startsWith('nlx-bench-') || !CBIN) { console.error('usage: views-overlap.mjs NETNS CBIN [ROUNDS] [MODES]'); process.exit(2); }
if (modes.includes('solo') && (modes.includes('worker') || modes.includes('spin'))) { console.error('views-overlap: run solo in a process of its own'); process.exit(2); }
const le = true;
function open() {
  const fd = shim.open(6, `/run/netns/${NS}`);
  shim.bind(fd, 0);
  return fd;
}
let seqNo = 1;
function req(fd) {
  const b = new Uint8Array(16); const v = new DataView(b.buffer);
  v.setUint32(0, 16, le); v.setUint16(4, 0x15, le); v.setUint16(6, 0x305, le); v.setUint32(8, seqNo++, le);
  shim.send(fd, b);
}
// per-datagram walk, touching what dump-view touches; returns true at DONE
let sum = 0, count = 0;
function walk(v, len) {
  let off = 0;
  while (off < len) {
    const l = v.getUint32(off, le), t = v.getUint16(off + 4, le);
    if (t === 3 || t === 2) return true;
    if (t === 0x13) { const o = off + 16; count++; sum += v.getUint32(o + 156, le) + v.getUint8(o + 160) + v.getUint8(o + 42) + v.getUint8(o + 43) + v.getUint32(o + 16, false); }
    off += (l + 3) & ~3;
  }
  return false;
}
function syncDump(size) {
  const fd = open(); const buf = new Uint8Array(size); const v = new DataView(buf.buffer);
  const t0 = performance.now(); let grams = 0, eagain = 0;
  req(fd);
  for (;;) {
    const r = shim.recv(fd, buf);
    if (r === null) { eagain++; continue; }
    grams++;
    if (walk(v, Math.min(r.length, size))) break;
  }
  const ms = performance.now() - t0; shim.close(fd); return { ms, grams, eagain };
}
async function asyncDump() {
  const SLOT = 65536, N = 4; const fd = open();
  const bufs = [new Uint8Array(SLOT * N), new Uint8Array(SLOT * N)]; const views = bufs.map((b) => new DataView(b.buffer));
  const t0 = performance.now(); let grams = 0, calls = 0, waitMs = 0;
  req(fd);
  let which = 0; let p = shim.recvAsync(fd, bufs[0], SLOT); calls++;
  for (;;) {
    const w0 = performance.now(); const res = await p; waitMs += performance.now() - w0;
    const cur = which; which ^= 1; p = shim.recvAsync(fd, bufs[which], SLOT); calls++;
    let done = false;
    for (let i = 0; i < res.length; i++) { const r = res[i]; if (r instanceof Error) throw r; grams++; const sub = new DataView(bufs[cur].buffer, i * SLOT, SLOT); if (walk(sub, r.length)) { done = true; break; } }
    if (done) break;
  }
  const ms = performance.now() - t0; await p.catch(() => {}); shim.close(fd); return { ms, grams, calls, waitMs };
}
// worker ring
const SLOTS = 8, SLOT = 65536;
const sab = new SharedArrayBuffer(SLOT * SLOTS); const ctl = new Int32Array(new SharedArrayBuffer(4 * (8 + SLOTS)));
// ctl[0]=head(consumed count) ctl[1]=tail(produced count) ctl[2]=fd ctl[3]=go generation ctl[4]=stop ; ctl[8+i]=len of slot
let worker;
async function startWorker() {
  worker = new Worker(`
    const { workerData } = require('node:worker_threads');
    const shim = require(workerData.shim);
    const { sab, ctl, SLOTS, SLOT } = workerData;
    const slots = []; for (let i = 0; i < SLOTS; i++) slots.push(new Uint8Array(sab, i * SLOT, SLOT));
    let gen = 0;
    for (;;) {
      Atomics.wait(ctl, 3, gen); gen = Atomics.load(ctl, 3);
      const fd = ctl[2]; let tail = Atomics.load(ctl, 1);
      for (;;) {
        while (!Atomics.load(ctl, 5) && tail - Atomics.load(ctl, 0) >= SLOTS) Atomics.wait(ctl, 0, Atomics.load(ctl, 0), 5);
        const r = shim.recv(fd, slots[tail % SLOTS]);
        if (r === null) { if (Atomics.load(ctl, 4)) break; continue; }
        ctl[8 + tail % SLOTS] = r.length; tail++; Atomics.store(ctl, 1, tail); if (!ctl[5]) Atomics.notify(ctl, 1);
        // stop at DONE: check last message type
        const v = new DataView(sab, (tail - 1) % SLOTS * SLOT, SLOT); let off = 0, done = false;
        while (off < r.length) { const l = v.getUint32(off, true), t = v.getUint16(off + 4, true); if (t === 3 || t === 2) { done = true; break; } off += (l + 3) & ~3; }
        if (done) break;
      }
      Atomics.add(ctl, 6, 1); Atomics.notify(ctl, 6);
    }`, { eval: true, workerData: { shim: SHIM, sab, ctl, SLOTS, SLOT } });
  worker.unref();
}
const views = []; for (let i = 0; i < SLOTS; i++) views.push(new DataView(sab, i * SLOT, SLOT));
function workerDump() {
  const fd = open(); ctl[2] = fd; Atomics.store(ctl, 4, 0);
  const t0 = performance.now(); let grams = 0, waits = 0;
  req(fd);
  Atomics.add(ctl, 3, 1); Atomics.notify(ctl, 3);
  let head = Atomics.load(ctl, 0);
  for (;;) {
    let tail;
    while ((tail = Atomics.load(ctl, 1)) === head) { waits++; Atomics.wait(ctl, 1, head); }
    const i = head % SLOTS; grams++;
    const done = walk(views[i], ctl[8 + i]);
    head++; Atomics.store(ctl, 0, head); Atomics.notify(ctl, 0);
    if (done) break;
  }
  const ms = performance.now() - t0; shim.close(fd); return { ms, grams, waits };
}
function spinDump(touch) {
  const fd = open(); ctl[2] = fd; Atomics.store(ctl, 4, 0);
  const t0 = performance.now(); let grams = 0, spins = 0;
  req(fd);
  Atomics.add(ctl, 3, 1); Atomics.notify(ctl, 3);
  let head = Atomics.load(ctl, 0);
  for (;;) {
    while (Atomics.load(ctl, 1) === head) spins++;
    const i = head % SLOTS; grams++;
    let done;
    if (touch) done = walk(views[i], ctl[8 + i]);
    else { const v = views[i]; const len = ctl[8 + i]; let off = 0; done = false; while (off < len) { const l = v.getUint32(off, true), t = v.getUint16(off + 4, true); if (t === 3 || t === 2) { done = true; break; } off += (l + 3) & ~3; } }
    head++; Atomics.store(ctl, 0, head);
    if (done) break;
  }
  const ms = performance.now() - t0; shim.close(fd); return { ms, grams, spins };
}
function soloDump() {
  const fd = open(); ctl[2] = fd; Atomics.store(ctl, 4, 0); Atomics.store(ctl, 5, 1);
  const g6 = Atomics.load(ctl, 6); const start = Atomics.load(ctl, 1);
  const t0 = performance.now();
  req(fd);
  Atomics.add(ctl, 3, 1); Atomics.notify(ctl, 3);
  while (Atomics.load(ctl, 6) === g6) Atomics.wait(ctl, 6, g6);
  const ms = performance.now() - t0; const tail = Atomics.load(ctl, 1); Atomics.store(ctl, 0, tail); Atomics.store(ctl, 5, 0); shim.close(fd); return { ms, grams: tail - start };
}
function cDump() { const j = JSON.parse(execFileSync(CBIN, ['dump', NS]).toString()); return { ms: j.ms, grams: j.datagrams }; }
await startWorker();
const run = { C: cDump, sync: () => syncDump(65536), sync16k: () => syncDump(16384), sync32k: () => syncDump(32768), sync128k: () => syncDump(131072), async: asyncDump, worker: workerDump, spin: () => spinDump(true), solo: soloDump };
const res = Object.fromEntries(modes.map((m) => [m, []]));
for (const m of modes) await run[m]();
for (let r = 0; r < ROUNDS; r++) {
  const order = [...modes].sort(() => Math.random() - 0.5);
  for (const m of order) res[m].push(await run[m]());
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const pairedC = (m) => med(res[m].map((x, i) => x.ms / res.C[i].ms));
for (const m of modes) {
  const last = res[m][res[m].length - 1];
  console.log(m.padEnd(9), 'median', med(res[m].map((x) => x.ms)).toFixed(2), 'ms', res.C ? 'paired/C ' + pairedC(m).toFixed(3) : '', JSON.stringify({ ...last, ms: undefined }));
}
process.exit(0);
