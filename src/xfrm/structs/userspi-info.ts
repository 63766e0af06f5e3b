/**
 * `struct xfrm_userspi_info` from `<linux/xfrm.h>`: the fixed header of `XFRM_MSG_ALLOCSPI`,
 * which reserves an SPI from a range by creating a larval SA.
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmUsersaInfo, encodeXfrmUsersaInfo, type XfrmUsersaInfo } from './usersa-info.js';

/**
 * `sizeof(struct xfrm_userspi_info)` from `<linux/xfrm.h>` on x86_64 (i386: 228, with `min`/`max`
 * at 220/224).
 */
export const XFRM_USERSPI_INFO_SIZE = 232;

/**
 * `struct xfrm_userspi_info` from `<linux/xfrm.h>`: the SA to reserve and the SPI range.
 *
 * Byte-order trap: unlike every `spi` field, `min` and `max` are HOST order; the kernel
 * converts the chosen SPI to network order itself.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 224 | `info` | mixed | `struct xfrm_usersa_info` |
 * | 224 | 4 | `min` | host | not big-endian |
 * | 228 | 4 | `max` | host | not big-endian |
 */
export interface XfrmUserspiInfo {
  /**
   * `info`: the larval SA; the kernel uses `id.daddr`, `id.proto`, `saddr`, `family`, `mode`,
   * `reqid` and `seq` (an ACQUIRE sequence to match).
   */
  info: XfrmUsersaInfo;
  /** `min`: lowest acceptable SPI, HOST order (not `__be32`). */
  min: number;
  /** `max`: highest acceptable SPI, HOST order; `min ≤ max`, for IPCOMP `max < 0x10000`. */
  max: number;
}

/**
 * Encode a `struct xfrm_userspi_info` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * The codec does not require `min ≤ max`, so that requests the kernel rejects can be built.
 * @throws {@link NetlinkEncodeError} for an out-of-range field (errors inside `info` name the
 * nested struct).
 */
export function encodeXfrmUserspiInfo(view: DataView, offset: number, v: XfrmUserspiInfo, le: boolean): void {
  encodeXfrmUsersaInfo(view, offset, v.info, le);
  checkUint('xfrm_userspi_info.min', v.min, 0xffffffff);
  checkUint('xfrm_userspi_info.max', v.max, 0xffffffff);
  view.setUint32(offset + 224, v.min, le);
  view.setUint32(offset + 228, v.max, le);
}

/**
 * Decode a `struct xfrm_userspi_info` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 232 bytes remain.
 */
export function decodeXfrmUserspiInfo(view: DataView, offset: number, le: boolean): XfrmUserspiInfo {
  need(view, offset, XFRM_USERSPI_INFO_SIZE, 'xfrm_userspi_info');
  return {
    info: decodeXfrmUsersaInfo(view, offset, le),
    min: view.getUint32(offset + 224, le),
    max: view.getUint32(offset + 228, le),
  };
}

/** {@link Codec} of `struct xfrm_userspi_info` from `<linux/xfrm.h>`. */
export const xfrmUserspiInfoCodec: Codec<XfrmUserspiInfo> = fixedCodec(
  'xfrm_userspi_info',
  XFRM_USERSPI_INFO_SIZE,
  encodeXfrmUserspiInfo,
  decodeXfrmUserspiInfo,
);

/**
 * @internal Byte ranges of `struct xfrm_userspi_info` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode): the holes of the nested `info`.
 */
export const XFRM_USERSPI_INFO_PADDING: ReadonlyArray<readonly [number, number]> = [
  [45, 48], // info.sel
  [77, 80], // info.id
  [217, 224], // info tail
];
