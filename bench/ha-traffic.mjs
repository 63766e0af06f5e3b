// Traffic helpers of bench/ha-guest.mjs, run inside the guest's namespaces (`ip netns exec`):
//
//   echo --addr A --port-base B --from I --to J
//       one UDP socket per port B+I..B+J on A, each echoing what it gets; prints "ready".
//   send --dst A --port-base B --from I --to J --rate PPS
//       echo requests round-robin over the ports, paced every 10 ms; counts the echoes. On
//       SIGTERM prints {"sent","received","ms"} and exits.
//   ping --dst A --port-base B --from I --rate PPS
//       numbered echo requests to port B+I at a steady average rate (paced by the clock, so a
//       late timer tick sends what is due, so request n leaves at t0 + n/PPS give or take one
//       tick); on SIGTERM prints the counts, t0 and each echo's number and arrival time
//       (wall-clock ms since the Unix epoch, as Date.now(), 0.1 ms resolution).
//   lag --dst A --port-base B --spi-base S --from I --count K --burst N --journal PATH
//       one sample per pair I, I+1, …: N back-to-back packets to a pair nobody else uses,
//       then watch PATH.log (the standby's journal) until a `counters` record of the active
//       node's inbound SA (spi S+i) shows seq >= N-1; the lag runs from the send of the packet
//       with that sequence number. Prints one JSON object with the samples.
//
// Packets carry nothing: their size is the same small payload throughout.
import dgram from 'node:dgram';
import { closeSync, fstatSync, openSync, readSync, statSync, watch } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const [mode, ...rest] = process.argv.slice(2);
const { values: o } = parseArgs({
  args: rest,
  options: {
    addr: { type: 'string' },
    dst: { type: 'string' },
    'port-base': { type: 'string', default: '20000' },
    'spi-base': { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    count: { type: 'string' },
    rate: { type: 'string' },
    burst: { type: 'string' },
    journal: { type: 'string' },
    gap: { type: 'string', default: '150' },
    timeout: { type: 'string', default: '5000' },
  },
  strict: true,
});
const portBase = Number(o['port-base']);
const payload = Buffer.alloc(32, 0x61);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (mode === 'echo') {
  const from = Number(o.from);
  const to = Number(o.to);
  let bound = 0;
  for (let i = from; i <= to; i++) {
    const s = dgram.createSocket('udp4');
    s.on('message', (m, ri) => s.send(m, ri.port, ri.address));
    s.on('error', (e) => {
      console.error(`echo: port ${portBase + i}: ${e.message}`);
      process.exit(1);
    });
    s.bind(portBase + i, o.addr, () => {
      if (++bound === to - from + 1) console.log('ready');
    });
  }
} else if (mode === 'send') {
  const from = Number(o.from);
  const to = Number(o.to);
  const rate = Number(o.rate);
  const s = dgram.createSocket('udp4');
  let sent = 0;
  let received = 0;
  s.on('message', () => received++);
  await new Promise((r) => s.bind(0, r));
  const t0 = performance.now();
  let next = from;
  let stop = false;
  process.on('SIGTERM', () => (stop = true));
  while (!stop) {
    // Catch up to rate * elapsed in one go each tick: the pace holds even if a tick is late.
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    while (sent < due) {
      s.send(payload, portBase + next, o.dst);
      sent++;
      next = next === to ? from : next + 1;
    }
    await sleep(10);
  }
  await sleep(200); // the echoes still on their way
  console.log(JSON.stringify({ sent, received, ms: performance.now() - t0 }));
  process.exit(0);
} else if (mode === 'ping') {
  const port = portBase + Number(o.from);
  const rate = Number(o.rate);
  const s = dgram.createSocket('udp4');
  const wall = () => performance.timeOrigin + performance.now();
  const seen = new Set();
  const echoes = [];
  s.on('message', (m) => {
    const seq = m.readUInt32BE(0);
    if (seen.has(seq)) return;
    seen.add(seq);
    if (echoes.length === 0) console.log('first echo');
    echoes.push([seq, Math.round(wall() * 10) / 10]);
  });
  await new Promise((r) => s.bind(0, r));
  const t0 = performance.now();
  const t0Wall = wall();
  let sent = 0;
  let stop = false;
  process.on('SIGTERM', () => (stop = true));
  while (!stop) {
    const due = Math.floor(((performance.now() - t0) / 1000) * rate);
    while (sent < due) {
      const b = Buffer.alloc(32);
      b.writeUInt32BE(sent);
      s.send(b, port, o.dst);
      sent++;
    }
    await sleep(2);
  }
  const ms = performance.now() - t0;
  await sleep(300); // the echoes still on their way
  console.log(JSON.stringify({ sent, received: seen.size, ms, t0Wall, rate, echoes }));
  process.exit(0);
} else if (mode === 'lag') {
  const from = Number(o.from);
  const count = Number(o.count);
  const burst = Number(o.burst);
  const spiBase = Number(o['spi-base']);
  const logPath = `${o.journal}.log`;
  const timeoutMs = Number(o.timeout);
  const s = dgram.createSocket('udp4');
  s.on('message', () => {});
  await new Promise((r) => s.bind(0, r));

  // Tail the log: read what was appended since the last look, split into frames
  // (`LENGTH CRC32 JSON\n`; the checksum is the journal's business, not ours).
  let fd = openSync(logPath, 'r');
  let ino = fstatSync(fd).ino;
  let off = fstatSync(fd).size;
  let pending = Buffer.alloc(0);
  let compactions = 0;
  const chunk = Buffer.alloc(1 << 20);
  function readNew(onRecord) {
    let st;
    try {
      st = statSync(logPath);
    } catch {
      return;
    }
    if (st.ino !== ino) {
      // Compaction replaced the log: the new one starts with a header; read it from the start.
      closeSync(fd);
      fd = openSync(logPath, 'r');
      ino = fstatSync(fd).ino;
      off = 0;
      pending = Buffer.alloc(0);
      compactions++;
    }
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, off);
      if (n <= 0) break;
      off += n;
      pending = Buffer.concat([pending, chunk.subarray(0, n)]);
    }
    let start = 0;
    for (;;) {
      const nl = pending.indexOf(0x0a, start);
      if (nl < 0) break;
      const line = pending.toString('utf8', start, nl);
      start = nl + 1;
      const sp = line.indexOf(' ', line.indexOf(' ') + 1);
      try {
        onRecord(JSON.parse(line.slice(sp + 1)));
      } catch {
        /* header line or a line we started in the middle of */
      }
    }
    pending = pending.subarray(start);
  }

  let waiter;
  const watcher = watch(logPath, () => waiter?.());
  const samples = [];
  let timeouts = 0;
  for (let k = 0; k < count; k++) {
    const i = from + k;
    const spi = spiBase + i;
    readNew(() => {}); // skip what came before this sample
    // sent[n]: when the send of packet n (sequence number n on a fresh SA) returned. The
    // aevent comes from packet n = thresh (or thresh + 1 when the SA's timer had deferred the
    // first report to the first packet): the lag counts from the packet the record names.
    const sent = [0];
    const sentWall = [0];
    for (let n = 1; n <= burst; n++) {
      await new Promise((r) => s.send(payload, portBase + i, o.dst, r));
      sent.push(performance.now());
      sentWall.push(Date.now());
    }
    const tSend = sent[burst];
    const target = burst - 1;
    let found;
    const deadline = tSend + timeoutMs;
    while (!found && performance.now() < deadline) {
      readNew((r) => {
        if (found || r.type !== 'counters' || r.id?.spi !== spi) return;
        const seq = r.replayEsn?.seq ?? r.replay?.seq;
        if (seq >= target) found = { t: performance.now(), syncedAt: r.syncedAt, seq };
      });
      if (found) break;
      // inotify wakes us on the journal's write; the 5 ms poll only covers a missed event.
      await new Promise((r) => {
        const t = setTimeout(r, 5);
        waiter = () => {
          clearTimeout(t);
          r();
        };
      });
      waiter = undefined;
    }
    if (found) {
      const n = Math.min(found.seq, burst);
      samples.push({ pair: i, ms: found.t - sent[n], publisherReadMs: found.syncedAt - sentWall[n], seq: found.seq, afterLastSendMs: found.t - tSend });
    }
    else timeouts++;
    await sleep(Number(o.gap) * (0.5 + Math.random()));
  }
  watcher.close();
  console.log(JSON.stringify({ samples, timeouts, compactions }));
  process.exit(0);
} else {
  console.error('usage: ha-traffic.mjs echo|send|lag …');
  process.exit(2);
}
