// netlink-xfrm side of the benchmark: a long-lived child of bench/run.mjs (child_process.fork,
// IPC). Each request names a network namespace; the worker opens an XfrmClient there, runs one
// operation and reports the time of that operation only (opening the socket and building the
// input objects are outside the timed region; converting them to messages, encoding, sending,
// reading the ACKs, decoding and building the friendly objects are inside).
//
//   argv[2]: directory of the compiled library (bench/run.mjs compiles src/ with tsc into it).
//
// Requests: { id, op: 'install' | 'dump' | 'delete', ns, n, rcvbuf? }.
//   install: client.addPolicies(list)           batched XFRM_MSG_NEWPOLICY (the client's API)
//   dump:    for await (const p of client.listPolicies()) …   every policy decoded and touched
//   delete:  client.deletePolicies(ids)          batched DELPOLICY, ids = { selector, dir } per policy
//   decode-floor: decodeXfrmMessages (+ policyFromMessage) over in-memory datagrams, no I/O
//   dump-view: await client.forEachPolicy((p) => …)   the view path: index, dir, both selector
//            prefix lengths and the selector's saddr read from each policy's bytes
// The raw-socket path (same socket, no friendly model), reported as "netlink-xfrm-raw":
//   install-raw: client.socket.batch(typed XFRM_MSG_NEWPOLICY messages built by the caller)
//   dump-raw:    for await (const m of client.socket.dump({ type: 'XFRM_MSG_GETPOLICY', … })) —
//                decoded XfrmMessage objects, without policyFromMessage and the async generator
//   delete-raw:  client.socket.batch(typed XFRM_MSG_DELPOLICY messages by selector + dir)
// Another path is one function here and one line in `ops` at the end (plus one in run.mjs's
// NLX_TOOLS); names it takes from the library go into `lib` below, one line each.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { policyInput } from './policies.mjs';

const libDir = process.argv[2];
if (!libDir) throw new Error('nlx-worker: missing library directory argument');
// The root exports only what a client user needs; the benchmark also drives the codecs, so it
// takes the few names it uses from the subpaths into one small object. How this worker loads the
// library moved the timed 10k delete by up to 25 % with the same library code (BENCHMARKS.md, the
// redesign before and after): compare two trees only with one and the same worker.
const sub = async (name) => import(pathToFileURL(join(libDir, name, 'index.js')).href);
const [nl, xf, cl] = [await sub('netlink'), await sub('xfrm'), await sub('client')];
const lib = {
  AF_INET: xf.AF_INET,
  IPPROTO_ESP: xf.IPPROTO_ESP,
  NLM_F_DUMP: nl.NLM_F_DUMP,
  NLM_F_MULTI: nl.NLM_F_MULTI,
  XFRM_MODE_TUNNEL: xf.XFRM_MODE_TUNNEL,
  XFRM_POLICY_OUT: xf.XFRM_POLICY_OUT,
  XfrmClient: cl.XfrmClient,
  completePolicy: cl.completePolicy,
  decodeXfrmMessages: xf.decodeXfrmMessages,
  encodeXfrmMessages: xf.encodeXfrmMessages,
  policyFromMessage: cl.policyFromMessage,
  policyToAttrs: cl.policyToAttrs,
  policyToInfo: cl.policyToInfo,
  template: cl.template,
  unlimitedLifetime: cl.unlimitedLifetime,
};
for (const [k, v] of Object.entries(lib)) if (v === undefined) throw new Error(`nlx-worker: the library exports no ${k}`);

let cachedN = 0;
let cachedInputs = [];
let cachedIds = [];
/** The XfrmPolicyInput list of N policies (built once per N, outside every timed region). */
function inputs(n) {
  if (cachedN !== n) {
    cachedInputs = Array.from({ length: n }, (_, i) => policyInput(lib, i));
    // What a caller of deletePolicies holds: XfrmPolicyId by selector + dir (no extra fields).
    cachedIds = cachedInputs.map((p) => ({ selector: p.selector, dir: p.dir }));
    cachedN = n;
  }
  return cachedInputs;
}
/** The XfrmPolicyId list of the same N policies. */
function ids(n) {
  inputs(n);
  return cachedIds;
}

function open(req) {
  if (typeof req.ns !== 'string' || !req.ns.startsWith('nlx-bench-')) throw new Error(`refusing netns ${req.ns}`);
  return lib.XfrmClient.open({ netns: req.ns, ...(req.rcvbuf ? { rcvbuf: req.rcvbuf } : {}) });
}

function failures(results) {
  let errors = 0;
  let first;
  for (const r of results) {
    if (!r.ok) {
      errors++;
      first ??= String(r.error?.message ?? r.error);
    }
  }
  return { errors, ...(first ? { firstError: first } : {}) };
}

/**
 * Open a client in req.ns, time `work(client)` only (wall and CPU), close the client. The
 * result of `work` is summarised by `report(result, client)` after the timed region.
 */
async function timed(req, work, report) {
  const client = open(req);
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = await work(client);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, ...report(result, client) };
  } finally {
    client.close();
  }
}

/** What the batch ops report: failures, sendmsg calls and datagrams received. */
function batchReport(results, client) {
  return { ...failures(results), sendmsg: client.socket.stats.sendCalls, datagrams: client.socket.stats.datagrams };
}

/** What the dump ops report: policies seen, their checksum and datagrams received. */
function dumpReport({ count, sum }, client) {
  return { count, checksum: sum, datagrams: client.socket.stats.datagrams };
}

/** The fields every dump op reads from each policy (so that nothing can be skipped lazily). */
function touch(p) {
  return p.index + p.dir + p.selector.saddr.length + p.selector.prefixlenD + p.templates.length + p.templates[0].id.daddr.length;
}

function install(req) {
  const list = inputs(req.n);
  return timed(req, (client) => client.addPolicies(list), batchReport);
}

function dump(req) {
  return timed(
    req,
    async (client) => {
      let count = 0;
      let sum = 0;
      for await (const p of client.listPolicies()) {
        count++;
        sum += touch(p);
      }
      return { count, sum };
    },
    dumpReport,
  );
}

function remove(req) {
  const list = ids(req.n);
  return timed(req, (client) => client.deletePolicies(list), batchReport);
}

function removeRaw(req) {
  const list = inputs(req.n);
  const dir = lib.XFRM_POLICY_OUT;
  return timed(
    req,
    (client) => client.socket.batch(list.map((p) => ({ type: 'XFRM_MSG_DELPOLICY', body: { sel: p.selector, index: 0, dir }, attrs: [] }))),
    batchReport,
  );
}

function installRaw(req) {
  const list = inputs(req.n);
  const lft = lib.unlimitedLifetime();
  const curlft = { bytes: 0n, packets: 0n, addTime: 0n, useTime: 0n };
  const dir = lib.XFRM_POLICY_OUT;
  return timed(
    req,
    (client) =>
      client.socket.batch(
        list.map((p) => ({
          type: 'XFRM_MSG_NEWPOLICY',
          body: { sel: p.selector, lft, curlft, priority: 0, index: 0, dir, action: 0, flags: 0, share: 0 },
          attrs: [{ type: 'XFRMA_TMPL', value: p.templates }],
        })),
      ),
    batchReport,
  );
}

function dumpRaw(req) {
  return timed(
    req,
    async (client) => {
      let count = 0;
      let sum = 0;
      for await (const m of client.socket.dump({ type: 'XFRM_MSG_GETPOLICY', flags: lib.NLM_F_DUMP, body: null, attrs: [] })) {
        if (m.type !== 'XFRM_MSG_NEWPOLICY') continue;
        count++;
        const b = m.body;
        const t = m.attrs.find((a) => a.type === 'XFRMA_TMPL');
        sum += b.index + b.dir + b.sel.saddr.length + b.sel.prefixlenD + t.value.length + t.value[0].id.daddr.length;
      }
      return { count, sum };
    },
    dumpReport,
  );
}

function dumpView(req) {
  return timed(
    req,
    async (client) => {
      let count = 0;
      let sum = 0;
      await client.forEachPolicy((p) => {
        count++;
        const s = p.selector;
        sum += p.index + p.dir + s.prefixlenD + s.prefixlenS + s.saddr.length;
      });
      return { count, sum };
    },
    dumpReport,
  );
}

// The part of a dump that is JavaScript only: decoding datagrams already in memory, with no
// socket and no kernel (the datagrams are built like the kernel's GETPOLICY dump replies:
// NLM_F_MULTI messages packed into ~32 KiB datagrams). "messages" is decodeXfrmMessages alone,
// "policies" adds policyFromMessage and touches each policy like the dump op does.
async function decodeFloor(req) {
  const grams = [];
  const w = [];
  let size = 0;
  const flush = () => {
    grams.push(lib.encodeXfrmMessages(w.splice(0)));
    size = 0;
  };
  for (let i = 0; i < req.n; i++) {
    const p = lib.completePolicy(policyInput(lib, i));
    const body = lib.policyToInfo(p);
    body.index = 8 * i + 1;
    body.curlft = { bytes: 0n, packets: 0n, addTime: 1764250000n, useTime: 0n };
    w.push({ type: 'XFRM_MSG_NEWPOLICY', flags: lib.NLM_F_MULTI, seq: 1, pid: 4242, body, attrs: lib.policyToAttrs(p) });
    size += 252;
    if (size > 32000) flush();
  }
  if (w.length > 0) flush();
  const time = (f) => {
    const ts = [];
    for (let r = 0; r < req.reps; r++) {
      const t0 = performance.now();
      f();
      ts.push(performance.now() - t0);
    }
    return ts.sort((a, b) => a - b)[ts.length >> 1];
  };
  let sum = 0;
  const messages = time(() => {
    for (const g of grams) for (const m of lib.decodeXfrmMessages(g)) sum += m.body.index;
  });
  const policies = time(() => {
    for (const g of grams) {
      for (const m of lib.decodeXfrmMessages(g)) {
        sum += touch(lib.policyFromMessage(m.body, m.attrs));
      }
    }
  });
  return { messagesMs: messages, policiesMs: policies, datagrams: grams.length, checksum: sum };
}

const ops = {
  install,
  dump,
  delete: remove,
  'install-raw': installRaw,
  'dump-raw': dumpRaw,
  'delete-raw': removeRaw,
  'decode-floor': decodeFloor,
  'dump-view': dumpView,
};

process.on('message', async (req) => {
  try {
    const fn = ops[req.op];
    if (!fn) throw new Error(`unknown op ${req.op}`);
    const out = await fn(req);
    process.send({ id: req.id, ok: true, ...out });
  } catch (e) {
    process.send({ id: req.id, ok: false, error: String(e?.stack ?? e) });
  }
});
process.send({ ready: true, node: process.version });
