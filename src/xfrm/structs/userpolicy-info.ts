/**
 * `struct xfrm_userpolicy_info` from `<linux/xfrm.h>`: the fixed header of
 * `XFRM_MSG_NEWPOLICY`/`XFRM_MSG_UPDPOLICY` and of every policy the kernel reports (also the
 * `XFRMA_POLICY` payload).
 * @module
 */
import { checkUint, fixedCodec, type Codec } from '../../netlink/codec.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmLifetimeCfg, encodeXfrmLifetimeCfg, encodeXfrmLifetimeCfgChecked, type XfrmLifetimeCfg } from './lifetime-cfg.js';
import { decodeXfrmLifetimeCur, encodeXfrmLifetimeCur, encodeXfrmLifetimeCurChecked, type XfrmLifetimeCur } from './lifetime-cur.js';
import { decodeXfrmSelector, encodeXfrmSelector, encodeXfrmSelectorChecked, type XfrmSelector } from './selector.js';

/**
 * `sizeof(struct xfrm_userpolicy_info)` from `<linux/xfrm.h>` on x86_64 (including 4 bytes of
 * tail padding). i386 uses 164.
 */
export const XFRM_USERPOLICY_INFO_SIZE = 168;

/**
 * `struct xfrm_userpolicy_info` from `<linux/xfrm.h>`: selector, lifetimes, priority, direction
 * and action of one policy. Templates travel in `XFRMA_TMPL`.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 56 | `sel` | mixed | `struct xfrm_selector`; family must be `AF_INET`/`AF_INET6` |
 * | 56 | 64 | `lft` | host | `struct xfrm_lifetime_cfg` |
 * | 120 | 32 | `curlft` | host | `struct xfrm_lifetime_cur`; ignored on input |
 * | 152 | 4 | `priority` | host | lower = preferred |
 * | 156 | 4 | `index` | host | 0 = kernel assigns |
 * | 160 | 1 | `dir` | | `XFRM_POLICY_IN`/`OUT`/`FWD` |
 * | 161 | 1 | `action` | | `XFRM_POLICY_ALLOW`/`BLOCK` |
 * | 162 | 1 | `flags` | | `XFRM_POLICY_LOCALOK`/`ICMP`/`CPU_ACQUIRE` |
 * | 163 | 1 | `share` | | ignored; 4 bytes tail padding follow (x86_64) |
 */
export interface XfrmUserpolicyInfo {
  /** `sel`: traffic selector; its `family` must be `AF_INET` or `AF_INET6` for a policy. */
  sel: XfrmSelector;
  /** `lft`: soft/hard limits (see the sentinels at {@link XfrmLifetimeCfg}). */
  lft: XfrmLifetimeCfg;
  /** `curlft`: current usage; ignored on input, filled on output. */
  curlft: XfrmLifetimeCur;
  /** `priority`: lower value = higher priority (host order). */
  priority: number;
  /** `index`: policy index, 0 = kernel assigns; if set, `index & 7` must equal `dir` (host order). */
  index: number;
  /** `dir`: `XFRM_POLICY_IN` 0, `XFRM_POLICY_OUT` 1, `XFRM_POLICY_FWD` 2. */
  dir: number;
  /** `action`: `XFRM_POLICY_ALLOW` 0 or `XFRM_POLICY_BLOCK` 1. */
  action: number;
  /** `flags`: `XFRM_POLICY_LOCALOK` 1, `XFRM_POLICY_ICMP` 2, `XFRM_POLICY_CPU_ACQUIRE` 4. */
  flags: number;
  /** `share`: `XFRM_SHARE_*`, validated (0..3) but otherwise ignored; always 0 on output. */
  share: number;
}

/**
 * Encode a `struct xfrm_userpolicy_info` (`<linux/xfrm.h>`) at `offset` into zeroed memory.
 * @throws {@link NetlinkEncodeError} for an invalid address or out-of-range field; errors in
 * nested structs name the nested struct.
 */
export function encodeXfrmUserpolicyInfo(view: DataView, offset: number, v: XfrmUserpolicyInfo, le: boolean): void {
  encodeXfrmUserpolicyInfoFields(view, offset, v.sel, v.lft, v.curlft, v.priority, v.index, v.dir, v.action, v.flags, v.share, le);
}

/**
 * @internal {@link encodeXfrmUserpolicyInfo} from the fields themselves, for writers that
 * encode a policy straight from a user's input without building the struct object (bulk
 * loads): the one layout of the struct, with the same checks and errors.
 */
export function encodeXfrmUserpolicyInfoFields(
  view: DataView,
  offset: number,
  sel: XfrmSelector,
  lft: XfrmLifetimeCfg,
  curlft: XfrmLifetimeCur,
  priority: number,
  index: number,
  dir: number,
  action: number,
  flags: number,
  share: number,
  le: boolean,
): void {
  encodeXfrmSelector(view, offset, sel, le);
  encodeXfrmLifetimeCfg(view, offset + 56, lft, le);
  encodeXfrmLifetimeCur(view, offset + 120, curlft, le);
  checkUint('xfrm_userpolicy_info.priority', priority, 0xffffffff);
  checkUint('xfrm_userpolicy_info.index', index, 0xffffffff);
  checkUint('xfrm_userpolicy_info.dir', dir, 0xff);
  checkUint('xfrm_userpolicy_info.action', action, 0xff);
  checkUint('xfrm_userpolicy_info.flags', flags, 0xff);
  checkUint('xfrm_userpolicy_info.share', share, 0xff);
  writeXfrmUserpolicyInfoTail(view, offset, priority, index, dir, action, flags, share, le);
}

/**
 * @internal {@link encodeXfrmUserpolicyInfoFields} without its range checks, for a policy
 * checked field by field before (`checkPolicyInput`: the client's bulk writer): the one
 * layout of the struct. The selector's addresses are still parsed (bad text still throws,
 * naming the field); `curlft` is not written when it is `null` (the memory is zeroed).
 */
export function encodeXfrmUserpolicyInfoChecked(
  view: DataView,
  offset: number,
  sel: XfrmSelector,
  lft: XfrmLifetimeCfg,
  curlft: XfrmLifetimeCur | null,
  priority: number,
  index: number,
  dir: number,
  action: number,
  flags: number,
  share: number,
  le: boolean,
): void {
  encodeXfrmSelectorChecked(view, offset, sel, le);
  encodeXfrmLifetimeCfgChecked(view, offset + 56, lft, le);
  if (curlft !== null) encodeXfrmLifetimeCurChecked(view, offset + 120, curlft, le);
  writeXfrmUserpolicyInfoTail(view, offset, priority, index, dir, action, flags, share, le);
}

function writeXfrmUserpolicyInfoTail(view: DataView, offset: number, priority: number, index: number, dir: number, action: number, flags: number, share: number, le: boolean): void {
  view.setUint32(offset + 152, priority, le);
  view.setUint32(offset + 156, index, le);
  view.setUint8(offset + 160, dir);
  view.setUint8(offset + 161, action);
  view.setUint8(offset + 162, flags);
  view.setUint8(offset + 163, share);
}

/**
 * Decode a `struct xfrm_userpolicy_info` (`<linux/xfrm.h>`) at `offset`.
 * @throws {@link NetlinkDecodeError} if fewer than 168 bytes remain.
 */
export function decodeXfrmUserpolicyInfo(view: DataView, offset: number, le: boolean): XfrmUserpolicyInfo {
  need(view, offset, XFRM_USERPOLICY_INFO_SIZE, 'xfrm_userpolicy_info');
  return {
    sel: decodeXfrmSelector(view, offset, le),
    lft: decodeXfrmLifetimeCfg(view, offset + 56, le),
    curlft: decodeXfrmLifetimeCur(view, offset + 120, le),
    priority: view.getUint32(offset + 152, le),
    index: view.getUint32(offset + 156, le),
    dir: view.getUint8(offset + 160),
    action: view.getUint8(offset + 161),
    flags: view.getUint8(offset + 162),
    share: view.getUint8(offset + 163),
  };
}

/** {@link Codec} of `struct xfrm_userpolicy_info` from `<linux/xfrm.h>`. */
export const xfrmUserpolicyInfoCodec: Codec<XfrmUserpolicyInfo> = fixedCodec(
  'xfrm_userpolicy_info',
  XFRM_USERPOLICY_INFO_SIZE,
  encodeXfrmUserpolicyInfo,
  decodeXfrmUserpolicyInfo,
);

/**
 * @internal Byte ranges of `struct xfrm_userpolicy_info` (`<linux/xfrm.h>`) that are padding (zero on
 * encode, ignored on decode).
 */
export const XFRM_USERPOLICY_INFO_PADDING: ReadonlyArray<readonly [number, number]> = [
  [45, 48], // sel
  [164, 168],
];
