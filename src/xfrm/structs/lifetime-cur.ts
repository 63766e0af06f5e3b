/**
 * `struct xfrm_lifetime_cur` from `<linux/xfrm.h>`: the current usage of an SA or policy
 * (`curlft`), compared against its {@link XfrmLifetimeCfg} limits.
 * @module
 */
import { checkU64, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import type { XfrmLifetimeCfg } from './lifetime-cfg.js';

/** `sizeof(struct xfrm_lifetime_cur)` from `<linux/xfrm.h>` (alignment 8 on x86_64, 4 on i386). */
export const XFRM_LIFETIME_CUR_SIZE = 32;

/**
 * `struct xfrm_lifetime_cur` from `<linux/xfrm.h>`. All fields are host-order `__u64`, as `bigint`.
 *
 * In `xfrm_usersa_info.curlft` it is ignored on input (restore it with `XFRMA_LTIME_VAL`,
 * which also carries this struct); `add_time` drives the `*_add_expires_seconds` timers, so
 * restoring it restores how much add-lifetime is left.
 * @remarks
 * | offset | size | field | order |
 * |---|---|---|---|
 * | 0 | 8 | `bytes` | host |
 * | 8 | 8 | `packets` | host |
 * | 16 | 8 | `add_time` | host |
 * | 24 | 8 | `use_time` | host |
 * @group Kernel structs
 */
export interface XfrmLifetimeCur {
  /** `bytes`: bytes processed so far (host order). */
  bytes: bigint;
  /** `packets`: packets processed so far (host order). */
  packets: bigint;
  /** `add_time`: wall-clock seconds since the epoch when the SA/policy was added (host order). */
  addTime: bigint;
  /** `use_time`: wall-clock seconds since the epoch of first use, 0 = never used (host order). */
  useTime: bigint;
}

/**
 * Encode a `struct xfrm_lifetime_cur` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkEncodeError} for values outside u64.
 */
export function encodeXfrmLifetimeCur(view: DataView, offset: number, v: XfrmLifetimeCur, le: boolean): void {
  checkU64('xfrm_lifetime_cur.bytes', v.bytes);
  checkU64('xfrm_lifetime_cur.packets', v.packets);
  checkU64('xfrm_lifetime_cur.add_time', v.addTime);
  checkU64('xfrm_lifetime_cur.use_time', v.useTime);
  encodeXfrmLifetimeCurChecked(view, offset, v, le);
}

/** @internal {@link encodeXfrmLifetimeCur} without its checks, for input checked before (`checkLifetimeCur`): the one layout. */
export function encodeXfrmLifetimeCurChecked(view: DataView, offset: number, v: XfrmLifetimeCur, le: boolean): void {
  view.setBigUint64(offset, v.bytes, le);
  view.setBigUint64(offset + 8, v.packets, le);
  view.setBigUint64(offset + 16, v.addTime, le);
  view.setBigUint64(offset + 24, v.useTime, le);
}

/**
 * Decode a `struct xfrm_lifetime_cur` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 32 bytes remain.
 */
export function decodeXfrmLifetimeCur(view: DataView, offset: number, le: boolean): XfrmLifetimeCur {
  need(view, offset, XFRM_LIFETIME_CUR_SIZE, 'xfrm_lifetime_cur');
  return {
    bytes: view.getBigUint64(offset, le),
    packets: view.getBigUint64(offset + 8, le),
    addTime: view.getBigUint64(offset + 16, le),
    useTime: view.getBigUint64(offset + 24, le),
  };
}

/** {@link Codec} of `struct xfrm_lifetime_cur` from `<linux/xfrm.h>`. */
export const xfrmLifetimeCurCodec: Codec<XfrmLifetimeCur> = fixedCodec(
  'xfrm_lifetime_cur',
  XFRM_LIFETIME_CUR_SIZE,
  encodeXfrmLifetimeCur,
  decodeXfrmLifetimeCur,
);

/** @internal Byte ranges of `struct xfrm_lifetime_cur` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRM_LIFETIME_CUR_PADDING: ReadonlyArray<readonly [number, number]> = [];
