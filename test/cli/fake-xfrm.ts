/**
 * A small in-memory XFRM kernel on top of FakeKernel for the CLI tests: SAD and SPD that
 * answer like the real ones (EEXIST, ESRCH/ENOENT, larval SAs from ALLOCSPI, GETAE replay
 * kinds, NEWAE needing NLM_F_REPLACE, SAD/SPD info, defaults), plus error injection, and a
 * `run()` that executes the CLI against it capturing stdout, stderr and the exit code.
 */
import { NLM_F_REPLACE } from '../../src/netlink/index.js';
import { FakeKernel } from '../../src/testing/index.js';
import { xfrmFamily, type XfrmAttribute, type XfrmMessage, type XfrmUserpolicyInfo, type XfrmUsersaInfo } from '../../src/xfrm/index.js';
import { XfrmClient } from '../../src/client/client.js';
import { runWith } from '../../src/cli/main.js';
import { type CliEnv } from '../../src/cli/context.js';

/**
 * An SA: header, attributes as GETSA reports them, the AE thresholds (GETAE only) and the
 * counters at the last aevent (`preplay`, the kernel's baseline for the replay threshold).
 */
type Sa = { body: XfrmUsersaInfo; attrs: XfrmAttribute[]; etimerJiffies?: number; replayThresh?: number; preplay?: { oseq: number; seq: number } };

/** XFRM_AE_CR (replay threshold reached) and XFRM_AE_CU (NEWAE by a user): aevent causes. */
const XFRM_AE_CR = 16;
const XFRM_AE_CU = 64;
const GRP_SA = 3;
const GRP_POLICY = 4;
const GRP_AEVENTS = 5;
type Pol = { body: XfrmUserpolicyInfo; attrs: XfrmAttribute[] };

/** An injected failure: the next request of `type` (after skipping `after` of them) fails with `errno` (and an extended-ACK text). */
export interface Injected {
  type: string;
  errno: number;
  message?: string;
  after?: number;
}

export function fakeXfrm() {
  const sad = new Map<string, Sa>();
  const spd: Pol[] = [];
  const seen: XfrmMessage[] = [];
  const inject: Injected[] = [];
  /** Attributes this "older kernel" silently ignores on NEWSA/UPDSA (e.g. XFRMA_SA_DIR). */
  const ignored = new Set<string>();
  /** The kernel's HZ: XFRMA_ETIMER_THRESH is stored in jiffies and reported × 10 / HZ (XFRM-ABI.md §7.6). */
  const config = { hz: 250 };
  let nextIndex = 1;
  let nextSpi = 0xc0de0000;
  let defaults = { in: 2, fwd: 2, out: 2 };
  let thresh = { v4: { lbits: 32, rbits: 32 }, v6: { lbits: 128, rbits: 128 } };
  const key = (daddr: string, spi: number, proto: number) => `${daddr}/${spi >>> 0}/${proto}`;
  const kernel = new FakeKernel<XfrmMessage>({
    family: xfrmFamily,
    handler(req, k) {
      const m = req.message as XfrmMessage;
      seen.push(m);
      const i = inject.findIndex((x) => x.type === m.type);
      if (i >= 0 && (inject[i]!.after ?? 0) > 0) inject[i]!.after!--;
      else if (i >= 0) {
        const x = inject.splice(i, 1)[0]!;
        return k.error(req, x.errno, x.message !== undefined ? { message: x.message } : {});
      }
      switch (m.type) {
        case 'XFRM_MSG_NEWSA':
        case 'XFRM_MSG_UPDSA': {
          const id = key(m.body.id.daddr, m.body.id.spi, m.body.id.proto);
          const cur = sad.get(id);
          if (m.type === 'XFRM_MSG_NEWSA' && cur) return k.error(req, 17, { message: 'SA already exists' });
          if (m.type === 'XFRM_MSG_UPDSA' && !cur) return k.error(req, 3);
          // Like the kernel: LTIME_VAL and the AE thresholds are applied, not reported by GETSA.
          const kept = m.attrs.filter((a) => !['XFRMA_LTIME_VAL', 'XFRMA_ETIMER_THRESH', 'XFRMA_REPLAY_THRESH'].includes(String(a.type)) && !ignored.has(String(a.type)));
          const sa: Sa = { body: m.body, attrs: kept };
          for (const a of m.attrs) {
            if (a.type === 'XFRMA_ETIMER_THRESH') sa.etimerJiffies = a.value;
            if (a.type === 'XFRMA_REPLAY_THRESH') sa.replayThresh = a.value;
          }
          sad.set(id, sa);
          sa.preplay = counters(sa);
          notifyLater(GRP_SA, { type: m.type, body: m.body, attrs: kept } as XfrmMessage);
          return k.ack(req);
        }
        case 'XFRM_MSG_ALLOCSPI': {
          const spi = nextSpi++;
          const body = { ...m.body.info, id: { ...m.body.info.id, spi } };
          sad.set(key(body.id.daddr, spi, body.id.proto), { body, attrs: [] });
          return [k.reply(req, { type: 'XFRM_MSG_NEWSA', body, attrs: [] } as unknown as XfrmMessage), k.ack(req)];
        }
        case 'XFRM_MSG_GETSA': {
          if (m.body === null) {
            const all = [...sad.values()].map((s) => ({ type: 'XFRM_MSG_NEWSA', body: s.body, attrs: s.attrs }) as XfrmMessage);
            return all.length ? [k.multipart(req, all), k.done(req)] : [k.done(req)];
          }
          const s = sad.get(key(m.body.daddr, m.body.spi, m.body.proto));
          if (!s) return k.error(req, 3);
          return [k.reply(req, { type: 'XFRM_MSG_NEWSA', body: s.body, attrs: s.attrs } as XfrmMessage), k.ack(req)];
        }
        case 'XFRM_MSG_DELSA': {
          const id = key(m.body.daddr, m.body.spi, m.body.proto);
          const gone = sad.get(id);
          if (!gone) return k.error(req, 3);
          sad.delete(id);
          notifyLater(GRP_SA, { type: 'XFRM_MSG_DELSA', body: m.body, attrs: [{ type: 'XFRMA_SA', value: gone.body }] } as unknown as XfrmMessage);
          return k.ack(req);
        }
        case 'XFRM_MSG_FLUSHSA':
          for (const [id, s] of sad) if (m.body.proto === 255 || s.body.id.proto === m.body.proto) sad.delete(id);
          notifyLater(GRP_SA, { type: 'XFRM_MSG_FLUSHSA', body: m.body, attrs: [] } as unknown as XfrmMessage);
          return k.ack(req);
        case 'XFRM_MSG_GETSADINFO':
          return [
            k.reply(req, {
              type: 'XFRM_MSG_NEWSADINFO',
              body: 0,
              attrs: [
                { type: 'XFRMA_SAD_CNT', value: sad.size },
                { type: 'XFRMA_SAD_HINFO', value: { sadhcnt: 8, sadhmcnt: 1048576 } },
              ],
            } as XfrmMessage),
            k.ack(req),
          ];
        case 'XFRM_MSG_GETAE': {
          const s = sad.get(key(m.body.saId.daddr, m.body.saId.spi, m.body.saId.proto));
          if (!s) return k.error(req, 3);
          const replay = s.attrs.filter((a) => a.type === 'XFRMA_REPLAY_VAL' || a.type === 'XFRMA_REPLAY_ESN_VAL');
          const attrs: XfrmAttribute[] = [
            ...(replay.length ? replay : [{ type: 'XFRMA_REPLAY_VAL', value: { oseq: 0, seq: 0, bitmap: 0 } } as XfrmAttribute]),
            { type: 'XFRMA_LTIME_VAL', value: s.body.curlft },
          ];
          if (m.body.flags & 1) attrs.push({ type: 'XFRMA_REPLAY_THRESH', value: s.replayThresh ?? 5 });
          // default: 2 × 100 ms, stored as jiffies like the sysctl default
          if (m.body.flags & 8) attrs.push({ type: 'XFRMA_ETIMER_THRESH', value: Math.floor(((s.etimerJiffies ?? (2 * config.hz) / 10) * 10) / config.hz) });
          return [k.reply(req, { type: 'XFRM_MSG_NEWAE', body: { ...m.body, saddr: s.body.saddr, reqid: s.body.reqid }, attrs } as XfrmMessage), k.ack(req)];
        }
        case 'XFRM_MSG_NEWAE': {
          if (!(m.flags & NLM_F_REPLACE)) return k.error(req, 22, { message: 'NLM_F_REPLACE flag is required' });
          const s = sad.get(key(m.body.saId.daddr, m.body.saId.spi, m.body.saId.proto));
          if (!s) return k.error(req, 3);
          for (const a of m.attrs) {
            if (a.type === 'XFRMA_REPLAY_ESN_VAL' || a.type === 'XFRMA_REPLAY_VAL') s.attrs = s.attrs.filter((x) => x.type !== a.type).concat([a]);
            if (a.type === 'XFRMA_ETIMER_THRESH') s.etimerJiffies = a.value;
            if (a.type === 'XFRMA_REPLAY_THRESH') s.replayThresh = a.value;
          }
          // Like the kernel: NEWAE resets the threshold baseline and reports the counters (XFRM_AE_CU).
          s.preplay = counters(s);
          notifyLater(GRP_AEVENTS, aevent(s, XFRM_AE_CU));
          return k.ack(req);
        }
        case 'XFRM_MSG_NEWPOLICY':
        case 'XFRM_MSG_UPDPOLICY': {
          const same = spd.findIndex((p) => JSON.stringify(p.body.sel) === JSON.stringify(m.body.sel) && p.body.dir === m.body.dir);
          if (same >= 0 && m.type === 'XFRM_MSG_NEWPOLICY') return k.error(req, 17);
          const body = { ...m.body, index: m.body.index || (same >= 0 ? spd[same]!.body.index : nextIndex++ * 8 + m.body.dir) };
          if (same >= 0) spd[same] = { body, attrs: m.attrs };
          else spd.push({ body, attrs: m.attrs });
          notifyLater(GRP_POLICY, { type: m.type, body, attrs: m.attrs } as XfrmMessage);
          return k.ack(req);
        }
        case 'XFRM_MSG_GETPOLICY': {
          if (m.body === null) {
            const all = spd.map((p) => ({ type: 'XFRM_MSG_NEWPOLICY', body: p.body, attrs: p.attrs }) as XfrmMessage);
            return all.length ? [k.multipart(req, all), k.done(req)] : [k.done(req)];
          }
          const b = m.body;
          const p = spd.find((x) => (b.index ? x.body.index === b.index : JSON.stringify(x.body.sel) === JSON.stringify(b.sel) && x.body.dir === b.dir));
          if (!p) return k.error(req, 2);
          return [k.reply(req, { type: 'XFRM_MSG_NEWPOLICY', body: p.body, attrs: p.attrs } as XfrmMessage), k.ack(req)];
        }
        case 'XFRM_MSG_DELPOLICY': {
          const b = m.body;
          const i2 = spd.findIndex((x) => (b.index ? x.body.index === b.index : JSON.stringify(x.body.sel) === JSON.stringify(b.sel) && x.body.dir === b.dir));
          if (i2 < 0) return k.error(req, 2);
          const [gone] = spd.splice(i2, 1);
          notifyLater(GRP_POLICY, { type: 'XFRM_MSG_DELPOLICY', body: b, attrs: [{ type: 'XFRMA_POLICY', value: gone!.body }] } as unknown as XfrmMessage);
          return k.ack(req);
        }
        case 'XFRM_MSG_FLUSHPOLICY':
          spd.length = 0;
          notifyLater(GRP_POLICY, { type: 'XFRM_MSG_FLUSHPOLICY', body: null, attrs: [] } as unknown as XfrmMessage);
          return k.ack(req);
        case 'XFRM_MSG_GETSPDINFO':
          return [
            k.reply(req, {
              type: 'XFRM_MSG_NEWSPDINFO',
              body: 0,
              attrs: [
                {
                  type: 'XFRMA_SPD_INFO',
                  value: {
                    incnt: spd.filter((p) => p.body.dir === 0).length,
                    outcnt: spd.filter((p) => p.body.dir === 1).length,
                    fwdcnt: spd.filter((p) => p.body.dir === 2).length,
                    inscnt: 0,
                    outscnt: 0,
                    fwdscnt: 0,
                  },
                },
                { type: 'XFRMA_SPD_HINFO', value: { spdhcnt: 7, spdhmcnt: 1048576 } },
                { type: 'XFRMA_SPD_IPV4_HTHRESH', value: thresh.v4 },
                { type: 'XFRMA_SPD_IPV6_HTHRESH', value: thresh.v6 },
              ],
            } as XfrmMessage),
            k.ack(req),
          ];
        case 'XFRM_MSG_NEWSPDINFO':
          for (const a of m.attrs) {
            if (a.type === 'XFRMA_SPD_IPV4_HTHRESH') thresh = { ...thresh, v4: a.value };
            if (a.type === 'XFRMA_SPD_IPV6_HTHRESH') thresh = { ...thresh, v6: a.value };
          }
          return k.ack(req);
        case 'XFRM_MSG_GETDEFAULT':
          return [k.reply(req, { type: 'XFRM_MSG_GETDEFAULT', body: defaults, attrs: [] } as unknown as XfrmMessage), k.ack(req)];
        case 'XFRM_MSG_SETDEFAULT':
          defaults = {
            in: m.body.in || defaults.in,
            fwd: m.body.fwd || defaults.fwd,
            out: m.body.out || defaults.out,
          };
          return k.ack(req);
        default:
          return k.ack(req);
      }
    },
  });

  /** Counters of an SA's replay state (legacy or ESN, low 32 bits). */
  function counters(s: Sa): { oseq: number; seq: number } {
    for (const a of s.attrs) if (a.type === 'XFRMA_REPLAY_VAL' || a.type === 'XFRMA_REPLAY_ESN_VAL') return { oseq: a.value.oseq, seq: a.value.seq };
    return { oseq: 0, seq: 0 };
  }
  /** An aevent (NEWAE on XFRMNLGRP_AEVENTS) for `s` with cause `flags`: replay state and lifetime counters. */
  function aevent(s: Sa, flags: number): XfrmMessage {
    const replay = s.attrs.filter((a) => a.type === 'XFRMA_REPLAY_VAL' || a.type === 'XFRMA_REPLAY_ESN_VAL');
    // Like GETAE: the kernel always reports one replay state.
    const attrs: XfrmAttribute[] = [...(replay.length ? replay : [{ type: 'XFRMA_REPLAY_VAL', value: { oseq: 0, seq: 0, bitmap: 0 } } as XfrmAttribute]), { type: 'XFRMA_LTIME_VAL', value: s.body.curlft }];
    const mark = s.attrs.find((a) => a.type === 'XFRMA_MARK');
    if (mark) attrs.push(mark);
    const id = s.body.id;
    return { type: 'XFRM_MSG_NEWAE', body: { saId: { daddr: id.daddr, spi: id.spi, family: s.body.family, proto: id.proto }, saddr: s.body.saddr, flags, reqid: s.body.reqid }, attrs } as XfrmMessage;
  }
  /** Notifications go out after the request's ACK has been queued, like the kernel's (which sends them from the handler, to other sockets). */
  function notifyLater(group: number, m: XfrmMessage): void {
    queueMicrotask(() => kernel.notify(group, m));
  }
  /**
   * Traffic on an SA: `out` packets sent (oseq) and `inn` received (seq, every bit of the
   * window set), lifetime counters advanced; an aevent (XFRM_AE_CR) when either counter moved
   * by the replay threshold since the last one, as `xfrm_replay_notify` does while someone
   * listens on XFRMNLGRP_AEVENTS.
   */
  function traffic(daddr: string, spi: number, proto: number, o: { out?: number; inn?: number }): void {
    const s = sad.get(key(daddr, spi, proto));
    if (!s) throw new Error('traffic: no such SA');
    s.attrs = s.attrs.map((a) => {
      if (a.type === 'XFRMA_REPLAY_VAL') return { ...a, value: { ...a.value, oseq: a.value.oseq + (o.out ?? 0), seq: a.value.seq + (o.inn ?? 0), bitmap: o.inn ? 0xffffffff : a.value.bitmap } };
      if (a.type === 'XFRMA_REPLAY_ESN_VAL') return { ...a, value: { ...a.value, oseq: a.value.oseq + (o.out ?? 0), seq: a.value.seq + (o.inn ?? 0) } };
      return a;
    }) as XfrmAttribute[];
    const n = (o.out ?? 0) + (o.inn ?? 0);
    s.body = { ...s.body, curlft: { ...s.body.curlft, packets: s.body.curlft.packets + BigInt(n), bytes: s.body.curlft.bytes + BigInt(n * 100) } };
    const c = counters(s);
    const base = s.preplay ?? { oseq: 0, seq: 0 };
    const t = s.replayThresh ?? 2;
    if (t > 0 && (c.oseq - base.oseq >= t || c.seq - base.seq >= t)) {
      s.preplay = c;
      kernel.notify(GRP_AEVENTS, aevent(s, XFRM_AE_CR));
    }
  }

  /** Run the CLI against this kernel. */
  async function run(argv: string[], env: Partial<CliEnv> = {}) {
    let stdout = '';
    let stderr = '';
    const code = await runWith(argv, {
      out: (s) => void (stdout += s),
      err: (s) => void (stderr += s),
      openClient: () => XfrmClient.open({ transport: kernel.socket(), eventTransport: () => kernel.socket() }),
      stdoutIsTTY: false,
      stderrIsTTY: false,
      ...env,
    });
    return { code, stdout, stderr };
  }

  return { kernel, sad, spd, seen, inject, ignored, config, run, traffic, defaults: () => defaults };
}
