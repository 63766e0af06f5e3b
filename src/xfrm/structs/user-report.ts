/**
 * `struct xfrm_user_report` from `<linux/xfrm.h>`: the fixed header of `XFRM_MSG_REPORT`
 * (kernel → user only), reporting a packet that matched a selector (MIPv6).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmSelector, encodeXfrmSelector, type XfrmSelector } from './selector.js';

/** `sizeof(struct xfrm_user_report)` from `<linux/xfrm.h>`. */
export const XFRM_USER_REPORT_SIZE = 60;

/**
 * `struct xfrm_user_report` from `<linux/xfrm.h>`: protocol and selector of the reported packet.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 1 | `proto` | | 3 bytes padding follow |
 * | 4 | 56 | `sel` | mixed | `struct xfrm_selector` |
 * @group Kernel structs
 */
export interface XfrmUserReport {
  /** `proto`: protocol of the state that reported (e.g. `IPPROTO_ROUTING`, `IPPROTO_DSTOPTS`). */
  proto: number;
  /** `sel`: selector of the reported packet. */
  sel: XfrmSelector;
}

/**
 * Encode a `struct xfrm_user_report` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for an out-of-range field (errors inside `sel` name `xfrm_selector.*`).
 */
export function encodeXfrmUserReport(view: DataView, offset: number, v: XfrmUserReport, le: boolean): void {
  checkUint('xfrm_user_report.proto', v.proto, 0xff);
  view.setUint8(offset, v.proto);
  encodeXfrmSelector(view, offset + 4, v.sel, le);
}

/**
 * Decode a `struct xfrm_user_report` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 60 bytes remain.
 */
export function decodeXfrmUserReport(view: DataView, offset: number, le: boolean): XfrmUserReport {
  need(view, offset, XFRM_USER_REPORT_SIZE, 'xfrm_user_report');
  return {
    proto: view.getUint8(offset),
    sel: decodeXfrmSelector(view, offset + 4, le),
  };
}

/** {@link Codec} of `struct xfrm_user_report` from `<linux/xfrm.h>`. */
export const xfrmUserReportCodec: Codec<XfrmUserReport> = fixedCodec(
  'xfrm_user_report',
  XFRM_USER_REPORT_SIZE,
  encodeXfrmUserReport,
  decodeXfrmUserReport,
);

/**
 * @internal Byte ranges of `struct xfrm_user_report` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_USER_REPORT_PADDING: ReadonlyArray<readonly [number, number]> = [
  [1, 4],
  [49, 52], // sel
];
