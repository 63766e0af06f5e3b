/**
 * `struct xfrm_user_tmpl` from `<linux/xfrm.h>`: one SA template of a policy (`XFRMA_TMPL`
 * carries an array of them), describing the SA a matching packet must use.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, familyHint, type XfrmAddress } from './address.js';
import { decodeXfrmId, encodeXfrmId, encodeXfrmIdChecked, type XfrmId } from './id.js';

/** `sizeof(struct xfrm_user_tmpl)` from `<linux/xfrm.h>`. */
export const XFRM_USER_TMPL_SIZE = 64;

/**
 * `struct xfrm_user_tmpl` from `<linux/xfrm.h>`: SA identity, endpoints, mode and acceptable
 * algorithms for one transform of a policy.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 24 | `id` | mixed | `struct xfrm_id`; `spi` 0 = any |
 * | 24 | 2 | `family` | host | 0 = the policy's family; 2 bytes padding follow |
 * | 28 | 16 | `saddr` | BE | |
 * | 44 | 4 | `reqid` | host | |
 * | 48 | 1 | `mode` | | `XFRM_MODE_*` |
 * | 49 | 1 | `share` | | `XFRM_SHARE_*` |
 * | 50 | 1 | `optional` | | 1 byte padding follows |
 * | 52 | 4 | `aalgos` | host | |
 * | 56 | 4 | `ealgos` | host | |
 * | 60 | 4 | `calgos` | host | |
 * @group Kernel structs
 */
export interface XfrmUserTmpl {
  /** `id`: destination, SPI (0 = any) and protocol of the SA; its address notation follows `family`. */
  id: XfrmId;
  /** `family`: `AF_INET` 2, `AF_INET6` 10, or 0 = use the policy's family (host order). */
  family: number;
  /** `saddr`: tunnel source address (network order on the wire). */
  saddr: XfrmAddress;
  /**
   * `reqid` (host order). 0 is a wildcard only for the inbound template check; the outbound
   * SA lookup requires it to equal the SA's reqid exactly.
   */
  reqid: number;
  /** `mode`: `XFRM_MODE_*`; the kernel requires it to be below `XFRM_MODE_MAX`. */
  mode: number;
  /** `share`: `XFRM_SHARE_*`. */
  share: number;
  /** `optional`: 1 = the transform may be skipped (not allowed for tunnel/BEET/IPTFS in an OUT policy). */
  optional: number;
  /** `aalgos`: bitmask of acceptable SADB authentication algorithm ids; all three masks ~0 = any (host order). */
  aalgos: number;
  /** `ealgos`: bitmask of acceptable SADB encryption algorithm ids (host order). */
  ealgos: number;
  /** `calgos`: bitmask of acceptable SADB compression algorithm ids (host order). */
  calgos: number;
}

/**
 * Encode a `struct xfrm_user_tmpl` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for an invalid address or an out-of-range field (errors
 * inside `id` name `xfrm_id.*`).
 */
export function encodeXfrmUserTmpl(view: DataView, offset: number, v: XfrmUserTmpl, le: boolean): void {
  encodeXfrmId(view, offset, v.id, le);
  checkUint('xfrm_user_tmpl.family', v.family, 0xffff);
  encodeXfrmAddress(view, offset + 28, v.saddr, 'xfrm_user_tmpl.saddr');
  checkUint('xfrm_user_tmpl.reqid', v.reqid, 0xffffffff);
  checkUint('xfrm_user_tmpl.mode', v.mode, 0xff);
  checkUint('xfrm_user_tmpl.share', v.share, 0xff);
  checkUint('xfrm_user_tmpl.optional', v.optional, 0xff);
  checkUint('xfrm_user_tmpl.aalgos', v.aalgos, 0xffffffff);
  checkUint('xfrm_user_tmpl.ealgos', v.ealgos, 0xffffffff);
  checkUint('xfrm_user_tmpl.calgos', v.calgos, 0xffffffff);
  writeXfrmUserTmplFields(view, offset, v, le);
}

/**
 * @internal {@link encodeXfrmUserTmpl} without its range checks, for templates checked field by
 * field before (the client's bulk writers, after `checkPolicyInput`): the one layout of the
 * struct. Both addresses are still parsed, in the same order, with the same errors.
 */
export function encodeXfrmUserTmplChecked(view: DataView, offset: number, v: XfrmUserTmpl, le: boolean): void {
  encodeXfrmIdChecked(view, offset, v.id.daddr, v.id.spi, v.id.proto);
  encodeXfrmAddress(view, offset + 28, v.saddr, 'xfrm_user_tmpl.saddr');
  writeXfrmUserTmplFields(view, offset, v, le);
}

/** The template's fields after `id` and `saddr`, already checked. */
function writeXfrmUserTmplFields(view: DataView, offset: number, v: XfrmUserTmpl, le: boolean): void {
  view.setUint16(offset + 24, v.family, le);
  view.setUint32(offset + 44, v.reqid, le);
  view.setUint8(offset + 48, v.mode);
  view.setUint8(offset + 49, v.share);
  view.setUint8(offset + 50, v.optional);
  view.setUint32(offset + 52, v.aalgos, le);
  view.setUint32(offset + 56, v.ealgos, le);
  view.setUint32(offset + 60, v.calgos, le);
}

/**
 * Decode a `struct xfrm_user_tmpl` (`<linux/xfrm.h>`) at `offset`; `family` picks the notation
 * of `id.daddr` and `saddr`.
 * @throws {@link NetlinkDecodeError} if fewer than 64 bytes remain.
 */
export function decodeXfrmUserTmpl(view: DataView, offset: number, le: boolean): XfrmUserTmpl {
  need(view, offset, XFRM_USER_TMPL_SIZE, 'xfrm_user_tmpl');
  const family = view.getUint16(offset + 24, le);
  const hint = familyHint(family);
  return {
    id: decodeXfrmId(view, offset, le, hint),
    family,
    saddr: decodeXfrmAddress(view, offset + 28, hint),
    reqid: view.getUint32(offset + 44, le),
    mode: view.getUint8(offset + 48),
    share: view.getUint8(offset + 49),
    optional: view.getUint8(offset + 50),
    aalgos: view.getUint32(offset + 52, le),
    ealgos: view.getUint32(offset + 56, le),
    calgos: view.getUint32(offset + 60, le),
  };
}

/** {@link Codec} of `struct xfrm_user_tmpl` from `<linux/xfrm.h>`. */
export const xfrmUserTmplCodec: Codec<XfrmUserTmpl> = fixedCodec(
  'xfrm_user_tmpl',
  XFRM_USER_TMPL_SIZE,
  encodeXfrmUserTmpl,
  decodeXfrmUserTmpl,
);

/**
 * @internal Byte ranges of `struct xfrm_user_tmpl` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_USER_TMPL_PADDING: ReadonlyArray<readonly [number, number]> = [
  [21, 24],
  [26, 28],
  [51, 52],
];
