/**
 * A stateful XFRM kernel for tests without root: an in-memory SAD and SPD on top of
 * {@link FakeKernel}, answering like Linux (`XFRM-ABI.md` of the project gives the facts):
 * the kernel's error codes, larval SAs from `ALLOCSPI`, `GETAE`/`NEWAE` with their quirks, and
 * the notifications on `XFRMNLGRP_SA`, `XFRMNLGRP_POLICY` and `XFRMNLGRP_AEVENTS`. An IKE
 * daemon built on {@link XfrmClient} can run its whole SA life cycle against it.
 *
 * @example
 * ```ts
 * const kernel = new FakeXfrmKernel();
 * const client = kernel.openClient();
 * await client.addState({ saddr: '192.0.2.1', daddr: '192.0.2.2', spi: 0x1000, proto: IPPROTO_ESP, aead });
 * kernel.traffic('192.0.2.2', 0x1000, IPPROTO_ESP, { out: 10 }); // aevents to listeners
 * ```
 * @module
 */
import { NLM_F_DUMP, NLM_F_REPLACE } from '../netlink/constants.js';
import { XfrmClient, type XfrmClientOptions } from '../client/client.js';
import {
  IPPROTO_AH,
  IPPROTO_COMP,
  IPPROTO_ESP,
  IPSEC_PROTO_ANY,
  XFRM_AE_CR,
  XFRM_AE_CU,
  XFRM_AE_ETHR,
  XFRM_AE_RTHR,
  XFRM_POLICY_FWD,
  XFRM_POLICY_IN,
  XFRM_POLICY_OUT,
  XFRM_USERPOLICY_ACCEPT,
  XFRMNLGRP_AEVENTS,
  XFRMNLGRP_POLICY,
  XFRMNLGRP_SA,
} from '../xfrm/constants.js';
import { xfrmFamily, type XfrmMessage } from '../xfrm/family.js';
import { type XfrmAttribute } from '../xfrm/attributes.js';
import { type XfrmUserpolicyDefault } from '../xfrm/structs/userpolicy-default.js';
import { FakeKernel, type FakeKernelOptions, type FakeOutput, type FakeRequest } from './fake-kernel.js';
import { Errno } from '../netlink/errno.js';
import {
  AE_ATTRS,
  aeAttrs,
  aevent,
  APPLIED_ONLY,
  counters,
  dump,
  type FakeHthresh,
  type FakePolicy,
  type FakeSa,
  fakeSaKey,
  type FakeXfrmFailure,
  type Out,
  sameSelector,
} from './xfrm-tables.js';

// Linux errno numbers the XFRM handlers answer with.
const { ENOENT, ESRCH, EEXIST, EINVAL } = Errno;


/** Options of {@link FakeXfrmKernel}. @group Testing */
export interface FakeXfrmKernelOptions {
  /** The kernel's `HZ`, for the jiffies ↔ 100 ms conversion of `XFRMA_ETIMER_THRESH` (default 250). */
  hz?: number;
  /**
   * Chooses the SPI `ALLOCSPI` reserves for a request's host-order range (the kernel picks one
   * at random). Default: the lowest SPI in [min, max] not in use for that (daddr, proto).
   */
  chooseSpi?: (range: { min: number; max: number }) => number;
  /** Options of the underlying {@link FakeKernel} (receive-buffer model, async I/O). */
  kernel?: Omit<FakeKernelOptions<XfrmMessage>, 'family' | 'handler'>;
}


/** `sysctl xfrm_aevent_rseqth` default as {@link FakeXfrmKernel.traffic} applies it. */
const REPLAY_THRESH_DEFAULT = 2;
/** What GETAE reports for an SA whose replay threshold was never set. */
const REPLAY_THRESH_REPORTED = 5;

/** Attributes UPDSA takes over into a valid SA (`encap`, `coaddr`, marks, interface id). */
const UPDSA_COPIED = new Set(['XFRMA_ENCAP', 'XFRMA_COADDR', 'XFRMA_SET_MARK', 'XFRMA_SET_MARK_MASK', 'XFRMA_IF_ID']);
/** AH, ESP, IPCOMP: SAs found by SPI, whose selector UPDSA leaves alone. */
const SPI_PROTOS = new Set([IPPROTO_AH, IPPROTO_ESP, IPPROTO_COMP]);

/**
 * The fake XFRM kernel. Its tables are public so a test can seed or inspect them; every
 * request goes through {@link FakeXfrmKernel.handle} (wrap it via `kernel.handler` to
 * intercept a message type).
 *
 * Behaviour, as Linux does it:
 * - `NEWSA` on an existing (daddr, spi, proto), larval ones included → `EEXIST`; `UPDSA`,
 *   `DELSA`, `GETSA`, `GETAE`, `NEWAE` on a missing SA → `ESRCH`; `NEWPOLICY` on an existing
 *   (selector, dir) → `EEXIST`; `GETPOLICY`/`DELPOLICY` of a missing policy → `ENOENT`.
 * - `ALLOCSPI` creates a larval SA (reported by dumps; `NEWAE` on it → `EINVAL`).
 * - `GETAE` reports the SA's replay state (one of `XFRMA_REPLAY_VAL`/`XFRMA_REPLAY_ESN_VAL`,
 *   always), `XFRMA_LTIME_VAL`, and the thresholds asked for with `XFRM_AE_RTHR`/`XFRM_AE_ETHR`;
 *   `XFRMA_ETIMER_THRESH` is stored in jiffies and read back in 100 ms units (`× 10 / hz`).
 * - `NEWAE` needs `NLM_F_REPLACE` (else `EINVAL`), a valid SA, and resets the threshold baseline.
 * - SAD/SPD info, `XFRMA_SPD_IPV4_HTHRESH`/`IPV6_HTHRESH`, the default policy.
 * - `UPDSA` over a larval SA replaces it; over a valid one it takes only the lifetime limits,
 *   encapsulation, care-of address, output marks and interface id (and the selector for
 *   non-SPI protocols): keys, algorithms and replay state stay as they were.
 * - Notifications after the ACK, carrying the request's seq and `nlmsg_pid`.
 *
 * Simplified: SAs are keyed without their mark; no validation of the SA contents; an SA whose
 * replay threshold was never set reports 5 in GETAE but {@link FakeXfrmKernel.traffic} raises
 * its aevents every 2 packets.
 * @group Testing
 */
export class FakeXfrmKernel {
  /** The generic fake kernel underneath: sockets, request log, {@link FakeKernel.notify}. */
  readonly kernel: FakeKernel<XfrmMessage>;
  /** The SAD, keyed by {@link fakeSaKey}. */
  readonly sad = new Map<string, FakeSa>();
  /** The SPD, in insertion order. */
  readonly spd: FakePolicy[] = [];
  /** Every request message, decoded, in order of arrival. */
  readonly seen: XfrmMessage[] = [];
  /** Pending injected failures, consumed in order per type. */
  readonly inject: FakeXfrmFailure[] = [];
  /** Attributes this kernel does not know (an older kernel): NEWSA/UPDSA drop them silently. */
  readonly ignored = new Set<string>();
  /** `HZ`: `XFRMA_ETIMER_THRESH` is stored in jiffies and reported × 10 / `hz`. */
  hz: number;
  /** The default policy per direction (`XFRM_USERPOLICY_*`); 2 (accept) in a fresh netns. */
  policyDefault: XfrmUserpolicyDefault = { in: XFRM_USERPOLICY_ACCEPT, fwd: XFRM_USERPOLICY_ACCEPT, out: XFRM_USERPOLICY_ACCEPT };
  /** SPD hash thresholds (`XFRMA_SPD_IPV4_HTHRESH`, `XFRMA_SPD_IPV6_HTHRESH`). */
  hthresh: FakeHthresh = { v4: { lbits: 32, rbits: 32 }, v6: { lbits: 128, rbits: 128 } };
  private nextIndex = 1;
  private readonly chooseSpi: ((range: { min: number; max: number }) => number) | undefined;

  constructor(opts: FakeXfrmKernelOptions = {}) {
    this.hz = opts.hz ?? 250;
    this.chooseSpi = opts.chooseSpi;
    this.kernel = new FakeKernel<XfrmMessage>({ ...opts.kernel, family: xfrmFamily, handler: (req, k) => this.handle(req, k) });
  }

  /** An {@link XfrmClient} on a new socket of this kernel (events on further sockets). */
  openClient(opts: Omit<XfrmClientOptions, 'transport' | 'eventTransport' | 'netns'> = {}): XfrmClient {
    return XfrmClient.open({ ...opts, transport: this.kernel.socket(), eventTransport: () => this.kernel.socket() });
  }

  /** The SA at (daddr, spi, proto), if any. */
  getSa(daddr: string, spi: number, proto: number): FakeSa | undefined {
    return this.sad.get(fakeSaKey(daddr, spi, proto));
  }

  /**
   * Traffic on an SA: `out` packets sent (oseq) and `inn` received (seq; the legacy window
   * filled), lifetime counters advanced (100 bytes a packet); an aevent (`XFRM_AE_CR`) when
   * either counter moved by the replay threshold since the last one, as the kernel does for
   * listeners on `XFRMNLGRP_AEVENTS`. Throws if there is no such SA.
   */
  traffic(daddr: string, spi: number, proto: number, packets: { out?: number; inn?: number }): void {
    const s = this.getSa(daddr, spi, proto);
    if (!s) throw new Error(`traffic: no SA ${fakeSaKey(daddr, spi, proto)}`);
    const out = packets.out ?? 0;
    const inn = packets.inn ?? 0;
    // The kernel keeps replay state for every SA; one added without it starts from zero.
    if (!s.attrs.some((a) => a.type === 'XFRMA_REPLAY_VAL' || a.type === 'XFRMA_REPLAY_ESN_VAL')) {
      s.attrs = [...s.attrs, { type: 'XFRMA_REPLAY_VAL', value: { oseq: 0, seq: 0, bitmap: 0 } }];
    }
    s.attrs = s.attrs.map((a) => {
      if (a.type === 'XFRMA_REPLAY_VAL') return { ...a, value: { ...a.value, oseq: a.value.oseq + out, seq: a.value.seq + inn, bitmap: inn ? 0xffffffff : a.value.bitmap } };
      if (a.type === 'XFRMA_REPLAY_ESN_VAL') return { ...a, value: { ...a.value, oseq: a.value.oseq + out, seq: a.value.seq + inn } };
      return a;
    }) as XfrmAttribute[];
    const n = out + inn;
    s.body = { ...s.body, curlft: { ...s.body.curlft, packets: s.body.curlft.packets + BigInt(n), bytes: s.body.curlft.bytes + BigInt(n * 100) } };
    const c = counters(s);
    const base = s.preplay ?? { oseq: 0, seq: 0 };
    const t = s.replayThresh ?? REPLAY_THRESH_DEFAULT;
    if (t > 0 && (c.oseq - base.oseq >= t || c.seq - base.seq >= t)) {
      s.preplay = c;
      this.kernel.notify(XFRMNLGRP_AEVENTS, aevent(s, XFRM_AE_CR));
    }
  }

  /** The default handler: answers one request from the tables (see the class description). */
  handle(req: FakeRequest<XfrmMessage>, k: FakeKernel<XfrmMessage>): FakeOutput {
    const m = req.message as XfrmMessage;
    this.seen.push(m);
    const i = this.inject.findIndex((x) => x.type === m.type);
    if (i >= 0 && (this.inject[i]!.after ?? 0) > 0) this.inject[i]!.after!--;
    else if (i >= 0) {
      const x = this.inject.splice(i, 1)[0]!;
      return k.error(req, x.errno, x.message !== undefined ? { message: x.message } : {});
    }
    // Notifications leave after the ACK is queued, as the kernel's (sent to other sockets
    // from inside the handler) reach a listener after the requester's answer.
    const notify = (group: number, n: Out): void => {
      queueMicrotask(() => k.notify(group, { ...n, seq: req.header.seq, pid: req.header.pid }));
    };
    switch (m.type) {
      case 'XFRM_MSG_NEWSA':
      case 'XFRM_MSG_UPDSA': {
        const id = fakeSaKey(m.body.id.daddr, m.body.id.spi, m.body.id.proto);
        const cur = this.sad.get(id);
        if (m.type === 'XFRM_MSG_NEWSA' && cur) return k.error(req, EEXIST, { message: 'SA already exists' });
        if (m.type === 'XFRM_MSG_UPDSA' && !cur) return k.error(req, ESRCH);
        const kept = m.attrs.filter((a) => !APPLIED_ONLY.has(String(a.type)) && !this.ignored.has(String(a.type)));
        if (cur && !cur.larval) {
          // UPDSA on a valid SA copies only a few fields; keys, algorithms and replay state stay.
          cur.attrs = [...cur.attrs.filter((a) => !UPDSA_COPIED.has(String(a.type))), ...kept.filter((a) => UPDSA_COPIED.has(String(a.type)))];
          cur.body = { ...cur.body, lft: m.body.lft, sel: SPI_PROTOS.has(m.body.id.proto) ? cur.body.sel : m.body.sel };
          notify(XFRMNLGRP_SA, { type: m.type, body: cur.body, attrs: cur.attrs } as Out);
          return k.ack(req);
        }
        const sa: FakeSa = { body: m.body, attrs: kept };
        for (const a of m.attrs) {
          if (a.type === 'XFRMA_ETIMER_THRESH') sa.etimerJiffies = a.value;
          if (a.type === 'XFRMA_REPLAY_THRESH') sa.replayThresh = a.value;
        }
        sa.preplay = counters(sa);
        this.sad.set(id, sa);
        notify(XFRMNLGRP_SA, { type: m.type, body: m.body, attrs: kept } as Out);
        return k.ack(req);
      }
      case 'XFRM_MSG_ALLOCSPI': {
        if (m.body.min > m.body.max) return k.error(req, EINVAL);
        const spi = this.allocSpi(m.body.info.id.daddr, m.body.info.id.proto, m.body.min, m.body.max);
        if (spi === undefined) return k.error(req, ENOENT, { message: 'No SPI available in the requested range' });
        const body = { ...m.body.info, id: { ...m.body.info.id, spi } };
        this.sad.set(fakeSaKey(body.id.daddr, spi, body.id.proto), { body, attrs: [], larval: true });
        return [k.reply(req, { type: 'XFRM_MSG_NEWSA', body, attrs: [] } as Out), k.ack(req)];
      }
      case 'XFRM_MSG_GETSA': {
        if (m.body === null || (req.header.flags & NLM_F_DUMP) !== 0) {
          return dump(req, k, [...this.sad.values()].map((s) => ({ type: 'XFRM_MSG_NEWSA', body: s.body, attrs: s.attrs }) as Out));
        }
        const s = this.getSa(m.body.daddr, m.body.spi, m.body.proto);
        if (!s) return k.error(req, ESRCH);
        return [k.reply(req, { type: 'XFRM_MSG_NEWSA', body: s.body, attrs: s.attrs } as Out), k.ack(req)];
      }
      case 'XFRM_MSG_DELSA': {
        const id = fakeSaKey(m.body.daddr, m.body.spi, m.body.proto);
        const gone = this.sad.get(id);
        if (!gone) return k.error(req, ESRCH);
        this.sad.delete(id);
        notify(XFRMNLGRP_SA, { type: 'XFRM_MSG_DELSA', body: m.body, attrs: [{ type: 'XFRMA_SA', value: gone.body }, ...gone.attrs] } as Out);
        return k.ack(req);
      }
      case 'XFRM_MSG_FLUSHSA': {
        // proto 0 flushes everything, IPSEC_PROTO_ANY (255) every IPsec protocol, else one.
        let flushed = 0;
        for (const [id, s] of this.sad) {
          if (m.body.proto === 0 || m.body.proto === IPSEC_PROTO_ANY || s.body.id.proto === m.body.proto) {
            this.sad.delete(id);
            flushed++;
          }
        }
        if (flushed > 0) notify(XFRMNLGRP_SA, { type: 'XFRM_MSG_FLUSHSA', body: m.body, attrs: [] } as Out);
        return k.ack(req);
      }
      case 'XFRM_MSG_GETSADINFO': {
        const attrs = [
          { type: 'XFRMA_SAD_CNT', value: this.sad.size },
          { type: 'XFRMA_SAD_HINFO', value: { sadhcnt: 8, sadhmcnt: 1048576 } },
        ];
        return [k.reply(req, { type: 'XFRM_MSG_NEWSADINFO', body: m.body, attrs } as Out), k.ack(req)];
      }
      case 'XFRM_MSG_GETAE': {
        const s = this.getSa(m.body.saId.daddr, m.body.saId.spi, m.body.saId.proto);
        if (!s) return k.error(req, ESRCH);
        const attrs = aeAttrs(s, false);
        if (m.body.flags & XFRM_AE_RTHR) attrs.push({ type: 'XFRMA_REPLAY_THRESH', value: s.replayThresh ?? REPLAY_THRESH_REPORTED });
        // Stored in jiffies, reported in 100 ms units; the default is 2 × 100 ms.
        if (m.body.flags & XFRM_AE_ETHR) attrs.push({ type: 'XFRMA_ETIMER_THRESH', value: Math.floor(((s.etimerJiffies ?? (2 * this.hz) / 10) * 10) / this.hz) });
        const mark = s.attrs.find((a) => a.type === 'XFRMA_MARK');
        if (mark) attrs.push(mark);
        return [k.reply(req, { type: 'XFRM_MSG_NEWAE', body: { ...m.body, saddr: s.body.saddr, reqid: s.body.reqid }, attrs } as Out), k.ack(req)];
      }
      case 'XFRM_MSG_NEWAE': {
        if (!(req.header.flags & NLM_F_REPLACE)) return k.error(req, EINVAL, { message: 'NLM_F_REPLACE flag is required' });
        if (!m.attrs.some((a) => AE_ATTRS.has(String(a.type)))) return k.error(req, EINVAL, { message: 'Missing required attribute for AE' });
        const s = this.getSa(m.body.saId.daddr, m.body.saId.spi, m.body.saId.proto);
        if (!s) return k.error(req, ESRCH);
        if (s.larval) return k.error(req, EINVAL, { message: 'SA must be in VALID state' });
        for (const a of m.attrs) {
          if (a.type === 'XFRMA_REPLAY_ESN_VAL' || a.type === 'XFRMA_REPLAY_VAL') s.attrs = s.attrs.filter((x) => x.type !== a.type).concat([a]);
          if (a.type === 'XFRMA_ETIMER_THRESH') s.etimerJiffies = a.value;
          if (a.type === 'XFRMA_REPLAY_THRESH') s.replayThresh = a.value;
        }
        s.preplay = counters(s);
        notify(XFRMNLGRP_AEVENTS, aevent(s, XFRM_AE_CU));
        return k.ack(req);
      }
      case 'XFRM_MSG_NEWPOLICY':
      case 'XFRM_MSG_UPDPOLICY': {
        const same = this.spd.findIndex((p) => sameSelector(p.body, m.body));
        if (same >= 0 && m.type === 'XFRM_MSG_NEWPOLICY') return k.error(req, EEXIST);
        // The kernel's index: a counter × 8 + dir (index & 7 is the direction).
        const body = { ...m.body, index: m.body.index || (same >= 0 ? this.spd[same]!.body.index : this.nextIndex++ * 8 + m.body.dir) };
        if (same >= 0) this.spd[same] = { body, attrs: m.attrs };
        else this.spd.push({ body, attrs: m.attrs });
        notify(XFRMNLGRP_POLICY, { type: m.type, body, attrs: m.attrs } as Out);
        return k.ack(req);
      }
      case 'XFRM_MSG_GETPOLICY': {
        if (m.body === null || (req.header.flags & NLM_F_DUMP) !== 0) {
          return dump(req, k, this.spd.map((p) => ({ type: 'XFRM_MSG_NEWPOLICY', body: p.body, attrs: p.attrs }) as Out));
        }
        const p = this.spd[this.findPolicy(m.body)];
        if (!p) return k.error(req, ENOENT);
        return [k.reply(req, { type: 'XFRM_MSG_NEWPOLICY', body: p.body, attrs: p.attrs } as Out), k.ack(req)];
      }
      case 'XFRM_MSG_DELPOLICY': {
        const at = this.findPolicy(m.body);
        if (at < 0) return k.error(req, ENOENT);
        const [gone] = this.spd.splice(at, 1);
        notify(XFRMNLGRP_POLICY, { type: 'XFRM_MSG_DELPOLICY', body: m.body, attrs: [{ type: 'XFRMA_POLICY', value: gone!.body }, ...gone!.attrs] } as Out);
        return k.ack(req);
      }
      case 'XFRM_MSG_FLUSHPOLICY': {
        const flushed = this.spd.length;
        this.spd.length = 0;
        if (flushed > 0) notify(XFRMNLGRP_POLICY, { type: 'XFRM_MSG_FLUSHPOLICY', body: null, attrs: [] } as Out);
        return k.ack(req);
      }
      case 'XFRM_MSG_GETSPDINFO':
        return [k.reply(req, { type: 'XFRM_MSG_NEWSPDINFO', body: m.body, attrs: this.spdInfo() } as Out), k.ack(req)];
      case 'XFRM_MSG_NEWSPDINFO':
        for (const a of m.attrs) {
          if (a.type === 'XFRMA_SPD_IPV4_HTHRESH') this.hthresh = { ...this.hthresh, v4: a.value };
          if (a.type === 'XFRMA_SPD_IPV6_HTHRESH') this.hthresh = { ...this.hthresh, v6: a.value };
        }
        return k.ack(req);
      case 'XFRM_MSG_GETDEFAULT':
        return [k.reply(req, { type: 'XFRM_MSG_GETDEFAULT', body: this.policyDefault, attrs: [] } as Out), k.ack(req)];
      case 'XFRM_MSG_SETDEFAULT': {
        // Only 1 (block) and 2 (accept) change a direction; the new defaults go to POLICY listeners.
        const pick = (v: number, old: number): number => (v === 1 || v === 2 ? v : old);
        const d = this.policyDefault;
        this.policyDefault = { in: pick(m.body.in, d.in), fwd: pick(m.body.fwd, d.fwd), out: pick(m.body.out, d.out) };
        const state = { type: 'XFRM_MSG_GETDEFAULT', body: this.policyDefault, attrs: [] } as Out;
        queueMicrotask(() => k.notify(XFRMNLGRP_POLICY, state));
        return k.ack(req);
      }
      default:
        return k.ack(req);
    }
  }

  /** The SPI for an ALLOCSPI: {@link FakeXfrmKernelOptions.chooseSpi}, else the lowest free one in [min, max]. */
  private allocSpi(daddr: string, proto: number, min: number, max: number): number | undefined {
    if (this.chooseSpi) return this.chooseSpi({ min, max });
    // Bounded: a test never fills more than a few thousand SPIs of a range.
    for (let spi = min, tries = 0; spi <= max && tries < 65536; spi++, tries++) if (!this.sad.has(fakeSaKey(daddr, spi, proto))) return spi;
    return undefined;
  }

  /** The policy a GETPOLICY/DELPOLICY names: by `index` when non-zero, else by selector and dir. */
  private findPolicy(id: { index: number; dir: number; sel: unknown }): number {
    return this.spd.findIndex((p) => (id.index ? p.body.index === id.index : sameSelector(p.body, id)));
  }

  /** XFRMA_SPD_INFO (counts per direction), hash info and thresholds, in the kernel's order. */
  private spdInfo(): Out['attrs'] {
    const count = (dir: number): number => this.spd.filter((p) => p.body.dir === dir).length;
    return [
      {
        type: 'XFRMA_SPD_INFO',
        value: { incnt: count(XFRM_POLICY_IN), outcnt: count(XFRM_POLICY_OUT), fwdcnt: count(XFRM_POLICY_FWD), inscnt: 0, outscnt: 0, fwdscnt: 0 },
      },
      { type: 'XFRMA_SPD_HINFO', value: { spdhcnt: 7, spdhmcnt: 1048576 } },
      { type: 'XFRMA_SPD_IPV4_HTHRESH', value: this.hthresh.v4 },
      { type: 'XFRMA_SPD_IPV6_HTHRESH', value: this.hthresh.v6 },
    ] as Out['attrs'];
  }
}

