#!/usr/bin/env node
// The JavaScript cost of taking events, without a kernel: a transport whose recvBatch serves
// 20 000 NEWPOLICY notifications (encoded by the library, one per datagram) as the reader
// thread's queue would, read by the fast path (`ready()` + `drain()` over event views) and by
// `for await` (typed events), each reading every policy's selector and index; interleaved
// rounds, medians. No root, no socket: what is left of the listener's CPU in
// `npm run bench:events` is the kernel's and the reader thread's.
//
//   node bench/events-js.mjs [--rounds 9]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildBench } from './build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] || 9) || 9;
const N = 20000;
const tmp = mkdtempSync(join(tmpdir(), 'nlx-bench-events-js-'));
try {
  const { libDir } = buildBench(tmp, join(dirname(here), 'native', 'build', 'Release', 'netlink_shim.node'), (m) => {
    throw new Error(m);
  });
  const lib = (p) => import(pathToFileURL(join(libDir, p)).href);
  const { subscribe } = await lib('socket/index.js');
  const { xfrmFamily, encodeXfrmMessages } = await lib('xfrm/index.js');
  const { XfrmEventStream } = await lib('client/index.js');
  const max = 2n ** 64n - 1n;
  const sel = (i) => ({
    daddr: `10.2.${(i >> 8) & 255}.${i & 255}`, saddr: `10.1.${(i >> 8) & 255}.${i & 255}`, dport: 0, dportMask: 0, sport: 0,
    sportMask: 0, family: 2, prefixlenD: 32, prefixlenS: 32, proto: 0, ifindex: 0, user: 0,
  });
  const lft = { softByteLimit: max, hardByteLimit: max, softPacketLimit: max, hardPacketLimit: max, softAddExpiresSeconds: 0n, hardAddExpiresSeconds: 0n, softUseExpiresSeconds: 0n, hardUseExpiresSeconds: 0n };
  const cur = { bytes: 0n, packets: 0n, addTime: 0n, useTime: 0n };
  const dgs = Array.from({ length: 256 }, (_, i) =>
    encodeXfrmMessages([{ type: 'XFRM_MSG_NEWPOLICY', flags: 0, seq: 0, pid: 0, body: { sel: sel(i), lft, curlft: cur, priority: 0, index: 8 + i * 8, dir: 1, action: 0, flags: 0, share: 0 }, attrs: [] }]),
  );
  /** A NetlinkTransport serving the N datagrams through recvBatch, then EAGAIN. */
  const transport = () => {
    let served = 0;
    return {
      portId: 1, setsockoptInt() {}, getsockoptInt: () => 8 << 20, send: () => 0, recv: () => null, poll() {}, stopPoll() {}, close() {},
      recvBatch(into, slot, meta) {
        let count = 0;
        let at = 0;
        const most = Math.min(meta[1] > 0 ? meta[1] : 256, (meta.length - 2) / 5);
        while (count < most && served < N && into.length - at >= slot) {
          const d = dgs[served++ & 255];
          into.set(d, at);
          const m = 2 + 5 * count++;
          meta[m] = at;
          meta[m + 1] = d.length;
          meta[m + 2] = 0;
          meta[m + 3] = 0;
          meta[m + 4] = 8;
          at += (d.length + 7) & ~7;
        }
        meta[0] = served >= N ? 11 : 0;
        meta[1] = count;
        return count;
      },
    };
  };
  const open = () => new XfrmEventStream(subscribe({ family: xfrmFamily, groups: [], transport: transport(), reader: 'poll' }));
  let sum = 0;
  async function fast() {
    const s = open();
    let got = 0;
    const h = (ev) => {
      if (ev.kind !== 'newpolicy') return;
      const p = ev.policy;
      const sl = p.selector;
      sum += sl.saddr.length + sl.daddr.length + sl.prefixlenD + p.index;
      got++;
    };
    const t = process.cpuUsage();
    while (got < N && (await s.ready())) s.drain(h);
    const c = process.cpuUsage(t);
    s.close();
    return (c.user + c.system) / N;
  }
  async function typed() {
    const s = open();
    let got = 0;
    const t = process.cpuUsage();
    for await (const ev of s) {
      if (ev.kind !== 'newpolicy') continue;
      const p = ev.policy;
      sum += p.selector.saddr.length + p.selector.daddr.length + p.selector.prefixlenD + p.index;
      if (++got >= N) break;
    }
    const c = process.cpuUsage(t);
    return (c.user + c.system) / N;
  }
  const r = { fast: [], typed: [] };
  for (let i = 0; i < rounds; i++) {
    r.fast.push(await fast());
    r.typed.push(await typed());
  }
  const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
  console.log(
    `events-js: µs of CPU per event, median of ${rounds} interleaved rounds of ${N}: fast path (drain + views) ${med(r.fast).toFixed(3)}, ` +
      `for await (typed) ${med(r.typed).toFixed(3)}, ratio ${(med(r.typed) / med(r.fast)).toFixed(2)} (checksum ${sum})`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
