/**
 * `struct xfrm_user_acquire` from `<linux/xfrm.h>`: the fixed header of `XFRM_MSG_ACQUIRE`, the
 * kernel's request to a key manager to negotiate an SA (and the user-space way to trigger one).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmAddress, encodeXfrmAddress, familyHint, type XfrmAddress } from './address.js';
import { decodeXfrmId, encodeXfrmId, type XfrmId } from './id.js';
import { decodeXfrmSelector, encodeXfrmSelector, type XfrmSelector } from './selector.js';
import { decodeXfrmUserpolicyInfo, encodeXfrmUserpolicyInfo, type XfrmUserpolicyInfo } from './userpolicy-info.js';

/**
 * `sizeof(struct xfrm_user_acquire)` from `<linux/xfrm.h>` on x86_64. i386 uses 276, with
 * `aalgos..seq` 4 bytes earlier.
 */
export const XFRM_USER_ACQUIRE_SIZE = 280;

/**
 * `struct xfrm_user_acquire` from `<linux/xfrm.h>`: the SA wanted, the packet's selector, the
 * policy that triggered it, acceptable algorithms and the acquire sequence.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 24 | `id` | mixed | `struct xfrm_id` |
 * | 24 | 16 | `saddr` | BE | |
 * | 40 | 56 | `sel` | mixed | `struct xfrm_selector` |
 * | 96 | 168 | `policy` | mixed | `struct xfrm_userpolicy_info` (incl. its 4 bytes tail padding) |
 * | 264 | 4 | `aalgos` | host | |
 * | 268 | 4 | `ealgos` | host | |
 * | 272 | 4 | `calgos` | host | |
 * | 276 | 4 | `seq` | host | acquire sequence |
 * @group Kernel structs
 */
export interface XfrmUserAcquire {
  /** `id`: destination, SPI and protocol of the SA to negotiate; address notation from `policy.sel.family`. */
  id: XfrmId;
  /** `saddr`: source address of the SA (network order on the wire; notation from `policy.sel.family`). */
  saddr: XfrmAddress;
  /** `sel`: selector of the packet that triggered the acquire. */
  sel: XfrmSelector;
  /** `policy`: the policy that triggered it; its `dir` is always OUT in kernel messages. */
  policy: XfrmUserpolicyInfo;
  /** `aalgos`: bitmask of acceptable SADB authentication algorithm ids (host order). */
  aalgos: number;
  /** `ealgos`: bitmask of acceptable SADB encryption algorithm ids (host order). */
  ealgos: number;
  /** `calgos`: bitmask of acceptable SADB compression algorithm ids (host order). */
  calgos: number;
  /**
   * `seq`: acquire sequence number (host order); pass it back in `xfrm_usersa_info.seq` or
   * `xfrm_userspi_info.info.seq` so the kernel matches the larval SA.
   */
  seq: number;
}

/**
 * Encode a `struct xfrm_user_acquire` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for an invalid address or out-of-range field; errors in
 * nested structs name the nested struct.
 */
export function encodeXfrmUserAcquire(view: DataView, offset: number, v: XfrmUserAcquire, le: boolean): void {
  encodeXfrmId(view, offset, v.id, le);
  encodeXfrmAddress(view, offset + 24, v.saddr, 'xfrm_user_acquire.saddr');
  encodeXfrmSelector(view, offset + 40, v.sel, le);
  encodeXfrmUserpolicyInfo(view, offset + 96, v.policy, le);
  checkUint('xfrm_user_acquire.aalgos', v.aalgos, 0xffffffff);
  checkUint('xfrm_user_acquire.ealgos', v.ealgos, 0xffffffff);
  checkUint('xfrm_user_acquire.calgos', v.calgos, 0xffffffff);
  checkUint('xfrm_user_acquire.seq', v.seq, 0xffffffff);
  view.setUint32(offset + 264, v.aalgos, le);
  view.setUint32(offset + 268, v.ealgos, le);
  view.setUint32(offset + 272, v.calgos, le);
  view.setUint32(offset + 276, v.seq, le);
}

/**
 * Decode a `struct xfrm_user_acquire` (`<linux/xfrm.h>`) at `offset`. The struct has no family
 * of its own; `policy.sel.family` picks the notation of `id.daddr` and `saddr`.
 * @throws {@link NetlinkDecodeError} if fewer than 280 bytes remain.
 */
export function decodeXfrmUserAcquire(view: DataView, offset: number, le: boolean): XfrmUserAcquire {
  need(view, offset, XFRM_USER_ACQUIRE_SIZE, 'xfrm_user_acquire');
  const policy = decodeXfrmUserpolicyInfo(view, offset + 96, le);
  const hint = familyHint(policy.sel.family);
  return {
    id: decodeXfrmId(view, offset, le, hint),
    saddr: decodeXfrmAddress(view, offset + 24, hint),
    sel: decodeXfrmSelector(view, offset + 40, le),
    policy,
    aalgos: view.getUint32(offset + 264, le),
    ealgos: view.getUint32(offset + 268, le),
    calgos: view.getUint32(offset + 272, le),
    seq: view.getUint32(offset + 276, le),
  };
}

/** {@link Codec} of `struct xfrm_user_acquire` from `<linux/xfrm.h>`. */
export const xfrmUserAcquireCodec: Codec<XfrmUserAcquire> = fixedCodec(
  'xfrm_user_acquire',
  XFRM_USER_ACQUIRE_SIZE,
  encodeXfrmUserAcquire,
  decodeXfrmUserAcquire,
);

/**
 * @internal Byte ranges of `struct xfrm_user_acquire` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_USER_ACQUIRE_PADDING: ReadonlyArray<readonly [number, number]> = [
  [21, 24], // id
  [85, 88], // sel
  [141, 144], // policy.sel
  [260, 264], // policy tail
];
