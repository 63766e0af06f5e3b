/**
 * `struct xfrm_usersa_info` from `<linux/xfrm.h>`: the fixed header of `XFRM_MSG_NEWSA` and
 * `XFRM_MSG_UPDSA` and of every SA the kernel reports (also the `XFRMA_SA` payload).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, familyHint, type XfrmAddress } from './address.js';
import { decodeXfrmId, encodeXfrmIdFields, type XfrmId } from './id.js';
import { decodeXfrmLifetimeCfg, encodeXfrmLifetimeCfg, type XfrmLifetimeCfg } from './lifetime-cfg.js';
import { decodeXfrmLifetimeCur, encodeXfrmLifetimeCur, type XfrmLifetimeCur } from './lifetime-cur.js';
import { decodeXfrmSelector, encodeXfrmSelector, type XfrmSelector } from './selector.js';
import { decodeXfrmStats, encodeXfrmStats, type XfrmStats } from './stats.js';

/**
 * `sizeof(struct xfrm_usersa_info)` from `<linux/xfrm.h>` on x86_64 and other ABIs that align
 * `__u64` to 8 (including 7 bytes of tail padding). i386 uses 220.
 */
export const XFRM_USERSA_INFO_SIZE = 224;

/**
 * `struct xfrm_usersa_info` from `<linux/xfrm.h>`: selector, identity, lifetimes and mode of one SA.
 *
 * Replay state and algorithms travel as attributes, not here. `seq` is the ACQUIRE sequence,
 * not an ESP sequence number (that is `oseq` of `XFRMA_REPLAY_VAL`/`XFRMA_REPLAY_ESN_VAL`).
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 56 | `sel` | mixed | `struct xfrm_selector` |
 * | 56 | 24 | `id` | mixed | `struct xfrm_id` |
 * | 80 | 16 | `saddr` | BE | |
 * | 96 | 64 | `lft` | host | `struct xfrm_lifetime_cfg` |
 * | 160 | 32 | `curlft` | host | `struct xfrm_lifetime_cur`; ignored on input |
 * | 192 | 12 | `stats` | host | `struct xfrm_stats`; ignored on input |
 * | 204 | 4 | `seq` | host | ACQUIRE sequence |
 * | 208 | 4 | `reqid` | host | |
 * | 212 | 2 | `family` | host | |
 * | 214 | 1 | `mode` | | |
 * | 215 | 1 | `replay_window` | | legacy window, clamped to 32 |
 * | 216 | 1 | `flags` | | `XFRM_STATE_*`; 7 bytes tail padding follow (x86_64) |
 */
export interface XfrmUsersaInfo {
  /** `sel`: traffic selector of the SA (its own `family` picks its address notation). */
  sel: XfrmSelector;
  /** `id`: destination, SPI and protocol; `id.daddr` notation follows {@link XfrmUsersaInfo.family}. */
  id: XfrmId;
  /** `saddr`: SA source address (network order on the wire; notation follows `family`). */
  saddr: XfrmAddress;
  /** `lft`: soft/hard limits (see the sentinels at {@link XfrmLifetimeCfg}). */
  lft: XfrmLifetimeCfg;
  /** `curlft`: current usage; ignored by the kernel on input (use `XFRMA_LTIME_VAL`), filled on output. */
  curlft: XfrmLifetimeCur;
  /** `stats`: error counters; ignored on input, filled on output. */
  stats: XfrmStats;
  /**
   * `seq`: the ACQUIRE sequence number (`km.seq`, matches `xfrm_user_acquire.seq`), host order.
   * NOT an ESP sequence number.
   */
  seq: number;
  /** `reqid`: request id linking the SA to policy templates (host order). */
  reqid: number;
  /** `family`: outer address family, `AF_INET` 2 or `AF_INET6` 10 (host order). */
  family: number;
  /** `mode`: `XFRM_MODE_*`; `XFRM_MODE_IN_TRIGGER` (3) is rejected for SAs. */
  mode: number;
  /**
   * `replay_window`: legacy replay window in packets; the kernel clamps it to 32. Must be 0
   * when `XFRMA_REPLAY_ESN_VAL` is sent (the window is then in that attribute).
   */
  replayWindow: number;
  /** `flags`: `XFRM_STATE_*` bits. */
  flags: number;
}

/**
 * Encode a `struct xfrm_usersa_info` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for an invalid address or out-of-range field; errors in
 * nested structs name the nested struct (e.g. `xfrm_selector.dport`).
 */
export function encodeXfrmUsersaInfo(view: DataView, offset: number, v: XfrmUsersaInfo, le: boolean): void {
  encodeXfrmUsersaInfoFields(view, offset, v.sel, v.id.daddr, v.id.spi, v.id.proto, v.saddr, v.lft, v.curlft, v.stats, v.seq, v.reqid, v.family, v.mode, v.replayWindow, v.flags, le);
}

/**
 * @internal {@link encodeXfrmUsersaInfo} from the fields themselves (`daddr`, `spi`, `proto`
 * are `id`'s), for writers that encode an SA without building the struct object: the one
 * layout of the struct, with the same checks and errors.
 */
export function encodeXfrmUsersaInfoFields(
  view: DataView,
  offset: number,
  sel: XfrmSelector,
  daddr: XfrmAddress,
  spi: number,
  proto: number,
  saddr: XfrmAddress,
  lft: XfrmLifetimeCfg,
  curlft: XfrmLifetimeCur,
  stats: XfrmStats,
  seq: number,
  reqid: number,
  family: number,
  mode: number,
  replayWindow: number,
  flags: number,
  le: boolean,
): void {
  encodeXfrmSelector(view, offset, sel, le);
  encodeXfrmIdFields(view, offset + 56, daddr, spi, proto, le);
  encodeXfrmAddress(view, offset + 80, saddr, 'xfrm_usersa_info.saddr');
  encodeXfrmLifetimeCfg(view, offset + 96, lft, le);
  encodeXfrmLifetimeCur(view, offset + 160, curlft, le);
  encodeXfrmStats(view, offset + 192, stats, le);
  checkUint('xfrm_usersa_info.seq', seq, 0xffffffff);
  checkUint('xfrm_usersa_info.reqid', reqid, 0xffffffff);
  checkUint('xfrm_usersa_info.family', family, 0xffff);
  checkUint('xfrm_usersa_info.mode', mode, 0xff);
  checkUint('xfrm_usersa_info.replay_window', replayWindow, 0xff);
  checkUint('xfrm_usersa_info.flags', flags, 0xff);
  view.setUint32(offset + 204, seq, le);
  view.setUint32(offset + 208, reqid, le);
  view.setUint16(offset + 212, family, le);
  view.setUint8(offset + 214, mode);
  view.setUint8(offset + 215, replayWindow);
  view.setUint8(offset + 216, flags);
}

/**
 * Decode a `struct xfrm_usersa_info` (`<linux/xfrm.h>`) at `offset`; `family` picks the
 * notation of `id.daddr` and `saddr`, `sel.family` that of the selector.
 * @throws {@link NetlinkDecodeError} if fewer than 224 bytes remain.
 */
export function decodeXfrmUsersaInfo(view: DataView, offset: number, le: boolean): XfrmUsersaInfo {
  need(view, offset, XFRM_USERSA_INFO_SIZE, 'xfrm_usersa_info');
  const family = view.getUint16(offset + 212, le);
  const hint = familyHint(family);
  return {
    sel: decodeXfrmSelector(view, offset, le),
    id: decodeXfrmId(view, offset + 56, le, hint),
    saddr: decodeXfrmAddress(view, offset + 80, hint),
    lft: decodeXfrmLifetimeCfg(view, offset + 96, le),
    curlft: decodeXfrmLifetimeCur(view, offset + 160, le),
    stats: decodeXfrmStats(view, offset + 192, le),
    seq: view.getUint32(offset + 204, le),
    reqid: view.getUint32(offset + 208, le),
    family,
    mode: view.getUint8(offset + 214),
    replayWindow: view.getUint8(offset + 215),
    flags: view.getUint8(offset + 216),
  };
}

/** {@link Codec} of `struct xfrm_usersa_info` from `<linux/xfrm.h>`. */
export const xfrmUsersaInfoCodec: Codec<XfrmUsersaInfo> = fixedCodec(
  'xfrm_usersa_info',
  XFRM_USERSA_INFO_SIZE,
  encodeXfrmUsersaInfo,
  decodeXfrmUsersaInfo,
);

/**
 * @internal Byte ranges of `struct xfrm_usersa_info` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode), including the holes of the nested selector and id.
 */
export const XFRM_USERSA_INFO_PADDING: ReadonlyArray<readonly [number, number]> = [
  [45, 48], // sel
  [77, 80], // id
  [217, 224],
];
