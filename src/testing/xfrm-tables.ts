/**
 * The tables of `FakeXfrmKernel`: what an SA and a policy hold, and the pure helpers that
 * turn an SA into the messages the kernel sends about it.
 * @module
 */
import { type Outgoing } from '../socket/netlink-socket.js';
import { type XfrmAttribute } from '../xfrm/attributes.js';
import { type XfrmMessage } from '../xfrm/family.js';
import { type XfrmuSpdhthresh } from '../xfrm/structs/spdhthresh.js';
import { type XfrmUserpolicyInfo } from '../xfrm/structs/userpolicy-info.js';
import { type XfrmUsersaInfo } from '../xfrm/structs/usersa-info.js';
import { type FakeKernel, type FakeOutput, type FakeRequest } from './fake-kernel.js';

/** One SA of the fake SAD. @group Testing */
export interface FakeSa {
  /** The SA as NEWSA/UPDSA sent it (`curlft` advanced by `FakeXfrmKernel.traffic`). */
  body: XfrmUsersaInfo;
  /**
   * Its attributes as GETSA reports them: those of the request minus `XFRMA_LTIME_VAL` and
   * the AE thresholds (applied, never reported by GETSA) and minus `FakeXfrmKernel.ignored`.
   */
  attrs: XfrmAttribute[];
  /** Reserved by `ALLOCSPI` and not yet filled by UPDSA (the kernel's `XFRM_STATE_ACQ`). */
  larval?: boolean;
  /** `XFRMA_ETIMER_THRESH` as stored: in jiffies (absent: the sysctl default, 2 × 100 ms). */
  etimerJiffies?: number;
  /** `XFRMA_REPLAY_THRESH` in packets (absent: the default). */
  replayThresh?: number;
  /** Counters at the last aevent: the kernel's baseline (`preplay`) for the replay threshold. */
  preplay?: FakeReplayCounters;
}

/** The low 32 bits of an SA's replay counters. @group Testing */
export interface FakeReplayCounters {
  /** Last sequence number sent. */
  oseq: number;
  /** Highest sequence number received. */
  seq: number;
}

/** One policy of the fake SPD. @group Testing */
export interface FakePolicy {
  /** The policy as NEWPOLICY/UPDPOLICY sent it, `index` filled in. */
  body: XfrmUserpolicyInfo;
  /** Its attributes (templates, mark…), reported as sent. */
  attrs: XfrmAttribute[];
}

/** A failure to inject: the next request of `type` (after letting `after` of them through) fails with `errno`. @group Testing */
export interface FakeXfrmFailure {
  /** Message type, e.g. `'XFRM_MSG_NEWSA'`. */
  type: string;
  /** Positive errno to answer with. */
  errno: number;
  /** Extended-ACK text (`NLMSGERR_ATTR_MSG`), seen by sockets with `NETLINK_EXT_ACK`. */
  message?: string;
  /** Requests of that type to answer normally first (decremented as they pass). */
  after?: number;
}

/** The SPD hash thresholds per family. @group Testing */
export interface FakeHthresh {
  /** `XFRMA_SPD_IPV4_HTHRESH`. */
  v4: XfrmuSpdhthresh;
  /** `XFRMA_SPD_IPV6_HTHRESH`. */
  v6: XfrmuSpdhthresh;
}

/** The key of an SA in `FakeXfrmKernel.sad`: `"daddr/spi/proto"`, spi as an unsigned decimal. @group Testing */
export function fakeSaKey(daddr: string, spi: number, proto: number): string {
  return `${daddr}/${spi >>> 0}/${proto}`;
}

/** @internal A message as the fake sends it (header fields filled in by {@link FakeKernel}). */
export type Out = Outgoing<XfrmMessage>;

/** @internal Attributes NEWSA/UPDSA apply but GETSA does not report. */
export const APPLIED_ONLY = new Set(['XFRMA_LTIME_VAL', 'XFRMA_ETIMER_THRESH', 'XFRMA_REPLAY_THRESH']);
/** @internal NEWAE needs at least one of these. */
export const AE_ATTRS = new Set(['XFRMA_LTIME_VAL', 'XFRMA_REPLAY_VAL', 'XFRMA_REPLAY_ESN_VAL', 'XFRMA_ETIMER_THRESH', 'XFRMA_REPLAY_THRESH']);

/** @internal Same (selector, dir): what makes NEWPOLICY collide. */
export function sameSelector(a: { sel: unknown; dir: number }, b: { sel: unknown; dir: number }): boolean {
  return a.dir === b.dir && JSON.stringify(a.sel) === JSON.stringify(b.sel);
}

/** @internal A dump: the entries as multipart datagrams, then NLMSG_DONE. */
export function dump(req: FakeRequest<XfrmMessage>, k: FakeKernel<XfrmMessage>, entries: Out[]): FakeOutput {
  return entries.length ? [k.multipart(req, entries), k.done(req)] : [k.done(req)];
}

/** @internal Counters of an SA's replay state (legacy or ESN, low 32 bits). */
export function counters(s: FakeSa): FakeReplayCounters {
  for (const a of s.attrs) if (a.type === 'XFRMA_REPLAY_VAL' || a.type === 'XFRMA_REPLAY_ESN_VAL') return { oseq: a.value.oseq, seq: a.value.seq };
  return { oseq: 0, seq: 0 };
}

/** @internal The replay state (always one: an empty legacy one if the SA has none) and lifetime counters; the mark for events. */
export function aeAttrs(s: FakeSa, withMark: boolean): XfrmAttribute[] {
  const replay = s.attrs.filter((a) => a.type === 'XFRMA_REPLAY_VAL' || a.type === 'XFRMA_REPLAY_ESN_VAL');
  const attrs: XfrmAttribute[] = [
    ...(replay.length ? replay : [{ type: 'XFRMA_REPLAY_VAL', value: { oseq: 0, seq: 0, bitmap: 0 } } as XfrmAttribute]),
    { type: 'XFRMA_LTIME_VAL', value: s.body.curlft },
  ];
  const mark = withMark ? s.attrs.find((a) => a.type === 'XFRMA_MARK') : undefined;
  if (mark) attrs.push(mark);
  return attrs;
}

/** @internal An aevent (NEWAE on XFRMNLGRP_AEVENTS) for `s` with cause `flags`. */
export function aevent(s: FakeSa, flags: number): Out {
  const id = s.body.id;
  return {
    type: 'XFRM_MSG_NEWAE',
    body: { saId: { daddr: id.daddr, spi: id.spi, family: s.body.family, proto: id.proto }, saddr: s.body.saddr, flags, reqid: s.body.reqid },
    attrs: aeAttrs(s, true),
  } as Out;
}
