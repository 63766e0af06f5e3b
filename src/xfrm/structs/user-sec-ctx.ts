/**
 * `struct xfrm_user_sec_ctx` from `<linux/xfrm.h>`: the payload of `XFRMA_SEC_CTX`, an 8-byte
 * header followed by the security context string (e.g. an SELinux label).
 * @module
 */
import { checkUint, type Codec } from '../../netlink/codec.js';
import { NetlinkDecodeError, NetlinkEncodeError } from '../../netlink/errors.js';
import { need } from '../../netlink/view.js';
import { decodeXfrmCtxString, encodeXfrmCtxString } from './sec-ctx.js';

/** `sizeof(struct xfrm_user_sec_ctx)` from `<linux/xfrm.h>`: the header before the string (alignment 2). */
export const XFRM_USER_SEC_CTX_SIZE = 8;

/**
 * `struct xfrm_user_sec_ctx` from `<linux/xfrm.h>`: security context of an SA or policy.
 *
 * The two length fields are derived from `ctx` when encoding (`ctx_len` = `ctx.length`,
 * `len` = 8 + `ctx_len`), and checked when decoding, as the kernel does.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 2 | `len` | host | 8 + `ctx_len` |
 * | 2 | 2 | `exttype` | host | `XFRMA_SEC_CTX` on output |
 * | 4 | 1 | `ctx_alg` | | `XFRM_SC_ALG_*` |
 * | 5 | 1 | `ctx_doi` | | `XFRM_SC_DOI_*` |
 * | 6 | 2 | `ctx_len` | host | string length in bytes |
 * | 8 | `ctx_len` | (string) | | the context |
 * @group Kernel structs
 */
export interface XfrmUserSecCtx {
  /** `exttype`: extension type; the kernel writes `XFRMA_SEC_CTX` (8) on output (host order). */
  exttype: number;
  /** `ctx_alg`: `XFRM_SC_ALG_SELINUX` 1. */
  ctxAlg: number;
  /** `ctx_doi`: domain of interpretation, `XFRM_SC_DOI_LSM` 1. */
  ctxDoi: number;
  /**
   * The context string after the header, one char per byte (latin1, lossless; a trailing NUL,
   * if sent, is kept as `'\0'`). Its length in bytes is `ctx_len`.
   */
  ctx: string;
}

/**
 * Bytes {@link encodeXfrmUserSecCtx} writes for `v`: the `struct xfrm_user_sec_ctx` (`<linux/xfrm.h>`)
 * header plus the string.
 */
export function xfrmUserSecCtxLength(v: XfrmUserSecCtx): number {
  return XFRM_USER_SEC_CTX_SIZE + v.ctx.length;
}

/**
 * Encode a `struct xfrm_user_sec_ctx` (`<linux/xfrm.h>`) and its string at `offset` into zeroed
 * memory, deriving `len` and `ctx_len`.
 * @throws {@link NetlinkEncodeError} for an out-of-range field, a context longer than 65527 bytes
 * (`len` would overflow u16: `xfrm_user_sec_ctx.ctx_len`) or a char above U+00FF (`xfrm_user_sec_ctx.ctx`).
 */
export function encodeXfrmUserSecCtx(view: DataView, offset: number, v: XfrmUserSecCtx, le: boolean): void {
  checkUint('xfrm_user_sec_ctx.exttype', v.exttype, 0xffff);
  checkUint('xfrm_user_sec_ctx.ctx_alg', v.ctxAlg, 0xff);
  checkUint('xfrm_user_sec_ctx.ctx_doi', v.ctxDoi, 0xff);
  if (typeof v.ctx !== 'string') throw new NetlinkEncodeError('xfrm_user_sec_ctx.ctx', 'expected a string');
  checkUint('xfrm_user_sec_ctx.ctx_len', v.ctx.length, 0xffff - XFRM_USER_SEC_CTX_SIZE);
  encodeXfrmCtxString(view, offset + XFRM_USER_SEC_CTX_SIZE, v.ctx, 'xfrm_user_sec_ctx.ctx');
  view.setUint16(offset, XFRM_USER_SEC_CTX_SIZE + v.ctx.length, le);
  view.setUint16(offset + 2, v.exttype, le);
  view.setUint8(offset + 4, v.ctxAlg);
  view.setUint8(offset + 5, v.ctxDoi);
  view.setUint16(offset + 6, v.ctx.length, le);
}

/**
 * Decode a `struct xfrm_user_sec_ctx` (`<linux/xfrm.h>`) and its string from the `available`
 * bytes at `offset`; uses exactly 8 + `ctx_len` bytes.
 * @throws {@link NetlinkDecodeError} (`what` = `'xfrm_user_sec_ctx'`) if fewer than 8 bytes are
 * available, `len` ≠ 8 + `ctx_len`, or `ctx_len` exceeds the bytes after the header.
 */
export function decodeXfrmUserSecCtx(view: DataView, offset: number, available: number, le: boolean): XfrmUserSecCtx {
  const end = Math.min(view.byteLength, offset + (available > 0 ? available : 0));
  need(view, offset, XFRM_USER_SEC_CTX_SIZE, 'xfrm_user_sec_ctx', end);
  const len = view.getUint16(offset, le);
  const ctxLen = view.getUint16(offset + 6, le);
  if (len !== XFRM_USER_SEC_CTX_SIZE + ctxLen) {
    throw new NetlinkDecodeError('xfrm_user_sec_ctx', offset, `len ${len} is not 8 + ctx_len ${ctxLen}`);
  }
  const have = end - offset - XFRM_USER_SEC_CTX_SIZE;
  if (ctxLen > have) {
    const reason = `ctx_len ${ctxLen} exceeds the ${have} bytes after the header`;
    throw new NetlinkDecodeError('xfrm_user_sec_ctx', offset + 6, reason);
  }
  return {
    exttype: view.getUint16(offset + 2, le),
    ctxAlg: view.getUint8(offset + 4),
    ctxDoi: view.getUint8(offset + 5),
    ctx: decodeXfrmCtxString(view, offset + XFRM_USER_SEC_CTX_SIZE, ctxLen, 'xfrm_user_sec_ctx'),
  };
}

/** {@link Codec} of `struct xfrm_user_sec_ctx` from `<linux/xfrm.h>` including its string. */
export const xfrmUserSecCtxCodec: Codec<XfrmUserSecCtx> = {
  name: 'xfrm_user_sec_ctx',
  length: xfrmUserSecCtxLength,
  encode: encodeXfrmUserSecCtx,
  decode: decodeXfrmUserSecCtx,
};

/** @internal Byte ranges of `struct xfrm_user_sec_ctx` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRM_USER_SEC_CTX_PADDING: ReadonlyArray<readonly [number, number]> = [];
