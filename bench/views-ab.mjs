// A/B of the view dump (`forEachPolicy`, touching what bench/nlx-worker.mjs's `dump-view` op
// touches) between two builds of the library, interleaved in one process (issue 14).
//
//   node bench/views-ab.mjs kernel LIBDIR_A LIBDIR_B NETNS CBIN [ROUNDS]
//   node bench/views-ab.mjs replay LIBDIR_A LIBDIR_B NETNS [ROUNDS]
//
// LIBDIR_*: libraries compiled as bench/build.mjs does (buildBench(tmp, shim).libDir), e.g. one
// from main and one from a branch; NETLINK_XFRM_SHIM must point at a shim. NETNS (nlx-bench-*)
// holds the policy table (e.g. `CBIN install1 NETNS 100000`).
// kernel: each round runs `CBIN dump NETNS` (the C program's own figures), A and B, in a random
//   order; prints medians and the paired ratios (median of per-round ratios), wall and CPU.
// replay: no kernel in the timed part: the dump is captured once, then answered from memory by
//   a transport that replays its datagrams (the JavaScript side of the dump alone; the copy
//   into the receive buffer stands for the kernel's). Prints medians and the paired B/A.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [mode, aDir, bDir, ns, ...rest] = process.argv.slice(2);
if (!['kernel', 'replay'].includes(mode) || !bDir || !ns?.startsWith('nlx-bench-')) {
  console.error('usage: views-ab.mjs kernel LIBDIR_A LIBDIR_B NETNS CBIN [ROUNDS] | replay LIBDIR_A LIBDIR_B NETNS [ROUNDS]');
  process.exit(2);
}
const cbin = mode === 'kernel' ? rest.shift() : undefined;
const rounds = Number(rest[0] ?? (mode === 'kernel' ? 15 : 31));
const load = (dir, name) => import(pathToFileURL(join(dir, name)).href);
const A = await load(aDir, 'index.js');
const B = await load(bDir, 'index.js');
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const paired = (x, y) => med(x.map((v, i) => v / y[i]));

/** Everything captured from one real dump (its datagrams), for the replay mode. */
const grams = [];
if (mode === 'replay') {
  const { openNativeTransport } = await load(aDir, 'socket/native.js');
  const t = openNativeTransport({ protocol: 6, netns: ns });
  const rec = {
    portId: t.portId,
    recv: (into) => {
      const r = t.recv(into);
      if (r) grams.push(into.slice(0, r.length));
      return r;
    },
  };
  for (const k of ['send', 'poll', 'stopPoll', 'setsockoptInt', 'getsockoptInt', 'close']) rec[k] = t[k].bind(t);
  const c = A.XfrmClient.open({ transport: rec });
  await c.forEachPolicy(() => {});
  c.close();
}

/** Answers the dump request with the captured datagrams (sequence and port rewritten once). */
class Replay {
  static seq = -1;
  portId = 4242;
  i = grams.length;
  cb = null;
  send(d) {
    const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    const seq = new DataView(d.buffer, d.byteOffset).getUint32(8, le);
    if (seq !== Replay.seq) {
      for (const g of grams) {
        const v = new DataView(g.buffer);
        for (let o = 0; o < g.length; o += (v.getUint32(o, le) + 3) & ~3) {
          v.setUint32(o + 8, seq, le);
          v.setUint32(o + 12, this.portId, le);
        }
      }
      Replay.seq = seq;
    }
    this.i = 0;
    if (this.cb) setImmediate(this.cb);
    return d.length;
  }
  recv(into) {
    if (this.i >= grams.length) return null;
    const g = grams[this.i++];
    into.set(g);
    return { length: g.length, truncated: false, pid: 0, groups: 0 };
  }
  poll(cb) {
    this.cb = cb;
    if (this.i < grams.length) setImmediate(cb);
  }
  stopPoll() {
    this.cb = null;
  }
  setsockoptInt() {}
  getsockoptInt() {
    return 1 << 20;
  }
  close() {}
}

async function viewDump(lib) {
  const c = lib.XfrmClient.open(mode === 'replay' ? { transport: new Replay() } : { netns: ns });
  try {
    let count = 0;
    let sum = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await c.forEachPolicy((p) => {
      count++;
      const s = p.selector;
      sum += p.index + p.dir + s.prefixlenD + s.prefixlenS + s.saddr.length;
    });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, count, sum };
  } finally {
    c.close();
  }
}

function cDump() {
  const j = JSON.parse(execFileSync(cbin, ['dump', ns]).toString());
  return { ms: j.ms, cpuMs: j.cpu_ms, count: j.count };
}

const runs = { C: [], A: [], B: [] };
const once = async (k) => (k === 'C' ? cDump() : viewDump(k === 'A' ? A : B));
const keys = mode === 'kernel' ? ['C', 'A', 'B'] : ['A', 'B'];
for (const k of keys) await once(k); // warm-up
for (let i = 0; i < rounds; i++) {
  const order = mode === 'kernel' ? [...keys].sort(() => Math.random() - 0.5) : i % 2 ? ['A', 'B'] : ['B', 'A'];
  for (const k of order) runs[k].push(await once(k));
}
const sums = new Set([...runs.A, ...runs.B].map((r) => `${r.count}/${r.sum}`));
const col = (k, f) => runs[k].map((r) => r[f]);
console.log(`${mode}: ${rounds} rounds${grams.length ? `, ${grams.length} datagrams replayed` : ''}; count/checksum ${[...sums].join(' ')}`);
for (const f of ['ms', 'cpuMs']) {
  const m = keys.map((k) => `${k} ${med(col(k, f)).toFixed(1)}`).join('  ');
  const r = [`B/A ${paired(col('B', f), col('A', f)).toFixed(3)}`];
  if (mode === 'kernel') r.unshift(`A/C ${paired(col('A', f), col('C', f)).toFixed(3)}`, `B/C ${paired(col('B', f), col('C', f)).toFixed(3)}`);
  console.log(`${f === 'ms' ? 'wall' : 'cpu '} median ms: ${m}; paired ${r.join('  ')}`);
}
