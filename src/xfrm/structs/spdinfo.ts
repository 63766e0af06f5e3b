/**
 * `struct xfrmu_spdinfo` from `<linux/xfrm.h>`: policy counts per direction (`XFRMA_SPD_INFO`
 * in `XFRM_MSG_NEWSPDINFO` replies).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';

/** `sizeof(struct xfrmu_spdinfo)` from `<linux/xfrm.h>`. */
export const XFRMU_SPDINFO_SIZE = 24;

/**
 * `struct xfrmu_spdinfo` from `<linux/xfrm.h>`: number of main and per-socket policies per direction.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 4 | `incnt` | host |  |
 * | 4 | 4 | `outcnt` | host |  |
 * | 8 | 4 | `fwdcnt` | host |  |
 * | 12 | 4 | `inscnt` | host |  |
 * | 16 | 4 | `outscnt` | host |  |
 * | 20 | 4 | `fwdscnt` | host |  |
 * @group Kernel structs
 */
export interface XfrmuSpdinfo {
  /** `incnt`: main-table policies for direction IN (host order). */
  incnt: number;
  /** `outcnt`: main-table policies for direction OUT (host order). */
  outcnt: number;
  /** `fwdcnt`: main-table policies for direction FWD (host order). */
  fwdcnt: number;
  /** `inscnt`: per-socket policies for direction IN (host order). */
  inscnt: number;
  /** `outscnt`: per-socket policies for direction OUT (host order). */
  outscnt: number;
  /** `fwdscnt`: per-socket policies for direction FWD (host order). */
  fwdscnt: number;
}

/**
 * Encode a `struct xfrmu_spdinfo` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for out-of-range fields.
 */
export function encodeXfrmuSpdinfo(view: DataView, offset: number, v: XfrmuSpdinfo, le: boolean): void {
  checkUint('xfrmu_spdinfo.incnt', v.incnt, 0xffffffff);
  checkUint('xfrmu_spdinfo.outcnt', v.outcnt, 0xffffffff);
  checkUint('xfrmu_spdinfo.fwdcnt', v.fwdcnt, 0xffffffff);
  checkUint('xfrmu_spdinfo.inscnt', v.inscnt, 0xffffffff);
  checkUint('xfrmu_spdinfo.outscnt', v.outscnt, 0xffffffff);
  checkUint('xfrmu_spdinfo.fwdscnt', v.fwdscnt, 0xffffffff);
  view.setUint32(offset, v.incnt, le);
  view.setUint32(offset + 4, v.outcnt, le);
  view.setUint32(offset + 8, v.fwdcnt, le);
  view.setUint32(offset + 12, v.inscnt, le);
  view.setUint32(offset + 16, v.outscnt, le);
  view.setUint32(offset + 20, v.fwdscnt, le);
}

/**
 * Decode a `struct xfrmu_spdinfo` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 24 bytes remain.
 */
export function decodeXfrmuSpdinfo(view: DataView, offset: number, le: boolean): XfrmuSpdinfo {
  need(view, offset, XFRMU_SPDINFO_SIZE, 'xfrmu_spdinfo');
  return {
    incnt: view.getUint32(offset, le),
    outcnt: view.getUint32(offset + 4, le),
    fwdcnt: view.getUint32(offset + 8, le),
    inscnt: view.getUint32(offset + 12, le),
    outscnt: view.getUint32(offset + 16, le),
    fwdscnt: view.getUint32(offset + 20, le),
  };
}

/** {@link Codec} of `struct xfrmu_spdinfo` from `<linux/xfrm.h>`. */
export const xfrmuSpdinfoCodec: Codec<XfrmuSpdinfo> = fixedCodec(
  'xfrmu_spdinfo',
  XFRMU_SPDINFO_SIZE,
  encodeXfrmuSpdinfo,
  decodeXfrmuSpdinfo,
);

/** @internal Byte ranges of `struct xfrmu_spdinfo` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRMU_SPDINFO_PADDING: ReadonlyArray<readonly [number, number]> = [];
