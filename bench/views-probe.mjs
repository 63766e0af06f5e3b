// Where the time of a view dump goes (issue 14, third pass): against the kernel, in one
// process, variants interleaved in random order per round, each as a paired ratio to the C
// dump (median of the per-round ratios).
//
//   NETLINK_XFRM_SHIM=… node bench/views-probe.mjs LIBDIR NETNS CBIN [ROUNDS] [VARIANTS]
//
// LIBDIR: a library compiled as bench/build.mjs does; NETNS (nlx-bench-*) holds the policies
// (e.g. `CBIN install1 NETNS 100000`). VARIANTS (comma-separated, default all but alloc):
//   C      `CBIN dump NETNS` (its own CLOCK_MONOTONIC figure)
//   bare   a receive loop on the shim: recv() (a Node-API result object per datagram), walking
//          the headers and reading index, dir and saddr of each policy as numbers
//   bareb  the same with recvBatch capped at one datagram (numbers in an Int32Array)
//   noop   NetlinkSocket.dumpRaw with a handler that only counts
//   count  forEachPolicy, views made, the callback counts
//   touch  forEachPolicy with bench/nlx-worker.mjs's dump-view touch
//   alloc  not timed: bytes allocated per entry by `touch` and `count` (minor GCs over 20
//          dumps times half the new space: an estimate)
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';

const [libDir, ns, cbin, roundsArg, variantsArg] = process.argv.slice(2);
if (!libDir || !ns?.startsWith('nlx-bench-') || !cbin) {
  console.error('usage: views-probe.mjs LIBDIR NETNS CBIN [ROUNDS] [VARIANTS]');
  process.exit(2);
}
const load = (n) => import(pathToFileURL(join(libDir, n)).href);
const lib = await load('index.js');
const rq = await load('client/requests.js');
const shim = createRequire(import.meta.url)(process.env.NETLINK_XFRM_SHIM);
const rounds = Number(roundsArg ?? 31);
const meta = new Int32Array(2 + 5);

function bare(batch) {
  const fd = shim.open(6, `/run/netns/${ns}`);
  shim.bind(fd, 0);
  const buf = new Uint8Array(65536);
  const v = new DataView(buf.buffer);
  const req = new DataView(new ArrayBuffer(16));
  // nlmsghdr: GETPOLICY (0x15), REQUEST|ACK|DUMP, host order (x86-64)
  req.setUint32(0, 16, true);
  req.setUint16(4, 0x15, true);
  req.setUint16(6, 0x305, true);
  req.setUint32(8, 7, true);
  const t0 = performance.now();
  let sum = 0;
  shim.send(fd, new Uint8Array(req.buffer));
  outer: for (;;) {
    let len;
    if (batch) {
      meta[1] = 1;
      if (shim.recvBatch(fd, buf, 65536, meta) === 0) continue;
      len = meta[3];
    } else {
      const r = shim.recv(fd, buf);
      if (r === null) continue;
      len = r.length;
    }
    for (let off = 0; off < len; ) {
      const l = v.getUint32(off, true);
      const t = v.getUint16(off + 4, true);
      if (t === 3 || t === 2) break outer; // DONE, ERROR
      if (t === 0x13) sum += v.getUint32(off + 172, true) + v.getUint8(off + 176) + v.getUint32(off + 32, false);
      off += (l + 3) & ~3;
    }
  }
  const ms = performance.now() - t0;
  shim.close(fd);
  return ms;
}

let sum = 0;
let count = 0;
const callbacks = {
  count: () => {
    count++;
  },
  touch: (p) => {
    count++;
    const s = p.selector;
    sum += p.index + p.dir + s.prefixlenD + s.prefixlenS + s.saddr.length;
  },
};

async function variant(v) {
  if (v === 'C') return JSON.parse(execFileSync(cbin, ['dump', ns]).toString()).ms;
  if (v === 'bare' || v === 'bareb') return bare(v === 'bareb');
  const c = lib.XfrmClient.open({ netns: ns });
  try {
    const t0 = performance.now();
    if (v === 'noop') await c.socket.dumpRaw(rq.FIXED_REQUESTS.listPolicies, { message: () => count++, release: () => {} });
    else await c.forEachPolicy(callbacks[v]);
    return performance.now() - t0;
  } finally {
    c.close();
  }
}

async function allocated(mode) {
  const dump = async () => {
    const c = lib.XfrmClient.open({ netns: ns });
    await c.forEachPolicy(callbacks[mode]);
    c.close();
  };
  for (let i = 0; i < 5; i++) await dump();
  let minor = 0;
  const obs = new PerformanceObserver((l) => {
    for (const e of l.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
  });
  obs.observe({ entryTypes: ['gc'] });
  const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
  count = 0;
  for (let i = 0; i < 20; i++) await dump();
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  return `${mode}: ~${((minor * newSpace) / 2 / count).toFixed(0)} B/entry (${minor} minor GCs, new space ${(newSpace / 1048576).toFixed(1)} MiB, ${count} entries)`;
}

const variants = (variantsArg ?? 'C,bare,bareb,noop,count,touch').split(',');
if (variants.includes('alloc')) {
  for (const m of ['count', 'touch']) console.log(await allocated(m));
  process.exit(0);
}
if (!variants.includes('C')) variants.unshift('C');
const runs = Object.fromEntries(variants.map((v) => [v, []]));
for (const v of variants) await variant(v); // warm-up
for (let i = 0; i < rounds; i++) for (const v of [...variants].sort(() => Math.random() - 0.5)) runs[v].push(await variant(v));
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const paired = (x, y) => med(x.map((v, i) => v / y[i]));
console.log(`${rounds} rounds (wall ms, median; ×C paired): ` + variants.map((v) => `${v} ${med(runs[v]).toFixed(1)} (×${paired(runs[v], runs.C).toFixed(3)})`).join('  '));
