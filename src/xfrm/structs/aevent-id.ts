/**
 * `struct xfrm_aevent_id` from `<linux/xfrm.h>`: the fixed header of `XFRM_MSG_NEWAE` and
 * `XFRM_MSG_GETAE` (async events: replay state, lifetimes, thresholds of one SA).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, familyHint, type XfrmAddress } from './address.js';
import { decodeXfrmUsersaId, encodeXfrmUsersaId, type XfrmUsersaId } from './usersa-id.js';

/** `sizeof(struct xfrm_aevent_id)` from `<linux/xfrm.h>`. */
export const XFRM_AEVENT_ID_SIZE = 48;

/**
 * `struct xfrm_aevent_id` from `<linux/xfrm.h>`: which SA an AE request or event is about.
 *
 * On input only `sa_id` (with `XFRMA_MARK`) selects the SA; `saddr` and `reqid` are ignored
 * and filled on output, and GETAE echoes the request's `flags`.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 24 | `sa_id` | mixed | `struct xfrm_usersa_id` |
 * | 24 | 16 | `saddr` | BE | output only |
 * | 40 | 4 | `flags` | host | `XFRM_AE_*` |
 * | 44 | 4 | `reqid` | host | output only |
 * @group Kernel structs
 */
export interface XfrmAeventId {
  /** `sa_id`: SA lookup key (destination, SPI, family, protocol). */
  saId: XfrmUsersaId;
  /** `saddr`: SA source address, filled on output (network order on the wire; notation from `sa_id.family`). */
  saddr: XfrmAddress;
  /** `flags`: `XFRM_AE_*` bits: what to return (RTHR, ETHR) or why the event was sent (CR, CE, CU); host order. */
  flags: number;
  /** `reqid`: the SA's reqid, filled on output (host order). */
  reqid: number;
}

/**
 * Encode a `struct xfrm_aevent_id` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for an invalid address or out-of-range field (errors inside
 * `sa_id` name `xfrm_usersa_id.*`).
 */
export function encodeXfrmAeventId(view: DataView, offset: number, v: XfrmAeventId, le: boolean): void {
  encodeXfrmUsersaId(view, offset, v.saId, le);
  encodeXfrmAddress(view, offset + 24, v.saddr, 'xfrm_aevent_id.saddr');
  checkUint('xfrm_aevent_id.flags', v.flags, 0xffffffff);
  checkUint('xfrm_aevent_id.reqid', v.reqid, 0xffffffff);
  view.setUint32(offset + 40, v.flags, le);
  view.setUint32(offset + 44, v.reqid, le);
}

/**
 * Decode a `struct xfrm_aevent_id` (`<linux/xfrm.h>`) at `offset`; `sa_id.family` picks the
 * notation of both addresses.
 * @throws {@link NetlinkDecodeError} if fewer than 48 bytes remain.
 */
export function decodeXfrmAeventId(view: DataView, offset: number, le: boolean): XfrmAeventId {
  need(view, offset, XFRM_AEVENT_ID_SIZE, 'xfrm_aevent_id');
  const saId = decodeXfrmUsersaId(view, offset, le);
  return {
    saId,
    saddr: decodeXfrmAddress(view, offset + 24, familyHint(saId.family)),
    flags: view.getUint32(offset + 40, le),
    reqid: view.getUint32(offset + 44, le),
  };
}

/** {@link Codec} of `struct xfrm_aevent_id` from `<linux/xfrm.h>`. */
export const xfrmAeventIdCodec: Codec<XfrmAeventId> = fixedCodec(
  'xfrm_aevent_id',
  XFRM_AEVENT_ID_SIZE,
  encodeXfrmAeventId,
  decodeXfrmAeventId,
);

/**
 * @internal Byte ranges of `struct xfrm_aevent_id` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_AEVENT_ID_PADDING: ReadonlyArray<readonly [number, number]> = [[23, 24]];
