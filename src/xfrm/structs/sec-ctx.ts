/**
 * `struct xfrm_sec_ctx` from `<linux/xfrm.h>`: the kernel's in-memory security context (an LSM
 * label such as an SELinux context). It is not what `XFRMA_SEC_CTX` carries (that is
 * `xfrm_user_sec_ctx`), despite the header comment; it is provided for completeness.
 * @module
 */
import { checkUint, type Codec } from '../../netlink/codec.js';
import { NetlinkDecodeError, NetlinkEncodeError } from '../../netlink/errors.js';
import { bytesForWrite, bytesOf, need } from '../../netlink/view.js';

/** `sizeof(struct xfrm_sec_ctx)` from `<linux/xfrm.h>`: the header before the flexible `ctx_str`. */
export const XFRM_SEC_CTX_SIZE = 8;

/**
 * @internal Write a security context string of `struct xfrm_sec_ctx`/`xfrm_user_sec_ctx`
 * (`<linux/xfrm.h>`): one byte per character (latin1), so any byte string round-trips.
 * @throws {@link NetlinkEncodeError} naming `what` for a non-string or a character above U+00FF.
 */
export function encodeXfrmCtxString(view: DataView, offset: number, ctx: string, what: string): void {
  if (typeof ctx !== 'string') throw new NetlinkEncodeError(what, 'expected a string');
  const b = bytesForWrite(view, offset, ctx.length, what);
  for (let i = 0; i < ctx.length; i++) {
    const c = ctx.charCodeAt(i);
    if (c > 0xff) {
      const u = c.toString(16).padStart(4, '0');
      throw new NetlinkEncodeError(what, `character ${i} (U+${u}) is not a byte: use one char per byte (latin1)`);
    }
    b[i] = c;
  }
}

/**
 * @internal Read `length` bytes of a `struct xfrm_sec_ctx`/`xfrm_user_sec_ctx` (`<linux/xfrm.h>`)
 * context as a string of chars 0..255 (latin1, lossless; NULs are kept).
 * @throws {@link NetlinkDecodeError} (`what`) if the bytes are not all inside the view.
 */
export function decodeXfrmCtxString(view: DataView, offset: number, length: number, what = 'ctx_str'): string {
  const b = bytesOf(view, offset, length, what);
  let s = '';
  // Chunked so long contexts do not exceed the argument limit of fromCharCode.
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}

/**
 * `struct xfrm_sec_ctx` from `<linux/xfrm.h>`: DOI, algorithm, LSM secid and the context string.
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 1 | `ctx_doi` | | `XFRM_SC_DOI_*` |
 * | 1 | 1 | `ctx_alg` | | `XFRM_SC_ALG_*` |
 * | 2 | 2 | `ctx_len` | host | derived from `ctx` |
 * | 4 | 4 | `ctx_sid` | host | |
 * | 8 | `ctx_len` | `ctx_str` | | context string |
 */
export interface XfrmSecCtx {
  /** `ctx_doi`: domain of interpretation, `XFRM_SC_DOI_LSM` 1. */
  ctxDoi: number;
  /** `ctx_alg`: `XFRM_SC_ALG_SELINUX` 1. */
  ctxAlg: number;
  /** `ctx_sid`: LSM security id (host order). */
  ctxSid: number;
  /**
   * `ctx_str`: the context, one char per byte (latin1, lossless); its length is `ctx_len` in
   * bytes, derived when encoding.
   */
  ctx: string;
}

/**
 * Bytes {@link encodeXfrmSecCtx} writes for `v`: the `struct xfrm_sec_ctx` (`<linux/xfrm.h>`) header
 * plus the string.
 */
export function xfrmSecCtxLength(v: XfrmSecCtx): number {
  return XFRM_SEC_CTX_SIZE + v.ctx.length;
}

/**
 * Encode a `struct xfrm_sec_ctx` (`<linux/xfrm.h>`) and its string at `offset` into zeroed memory;
 * `ctx_len` is `ctx.length`.
 * @throws {@link NetlinkEncodeError} for an out-of-range field, a context longer than 65535
 * bytes (`xfrm_sec_ctx.ctx_len`) or a char above U+00FF (`xfrm_sec_ctx.ctx_str`).
 */
export function encodeXfrmSecCtx(view: DataView, offset: number, v: XfrmSecCtx, le: boolean): void {
  checkUint('xfrm_sec_ctx.ctx_doi', v.ctxDoi, 0xff);
  checkUint('xfrm_sec_ctx.ctx_alg', v.ctxAlg, 0xff);
  checkUint('xfrm_sec_ctx.ctx_sid', v.ctxSid, 0xffffffff);
  if (typeof v.ctx !== 'string') throw new NetlinkEncodeError('xfrm_sec_ctx.ctx_str', 'expected a string');
  checkUint('xfrm_sec_ctx.ctx_len', v.ctx.length, 0xffff);
  encodeXfrmCtxString(view, offset + XFRM_SEC_CTX_SIZE, v.ctx, 'xfrm_sec_ctx.ctx_str');
  view.setUint8(offset, v.ctxDoi);
  view.setUint8(offset + 1, v.ctxAlg);
  view.setUint16(offset + 2, v.ctx.length, le);
  view.setUint32(offset + 4, v.ctxSid, le);
}

/**
 * Decode a `struct xfrm_sec_ctx` (`<linux/xfrm.h>`) and its string from the `available` bytes at
 * `offset`; uses exactly 8 + `ctx_len` bytes.
 * @throws {@link NetlinkDecodeError} (`what` = `'xfrm_sec_ctx'`) if fewer than 8 bytes, or fewer
 * than `ctx_len` bytes after them, are available.
 */
export function decodeXfrmSecCtx(view: DataView, offset: number, available: number, le: boolean): XfrmSecCtx {
  const end = Math.min(view.byteLength, offset + (available > 0 ? available : 0));
  need(view, offset, XFRM_SEC_CTX_SIZE, 'xfrm_sec_ctx', end);
  const ctxLen = view.getUint16(offset + 2, le);
  const have = end - offset - XFRM_SEC_CTX_SIZE;
  if (ctxLen > have) {
    const reason = `ctx_len ${ctxLen} exceeds the ${have} bytes after the header`;
    throw new NetlinkDecodeError('xfrm_sec_ctx', offset + 2, reason);
  }
  return {
    ctxDoi: view.getUint8(offset),
    ctxAlg: view.getUint8(offset + 1),
    ctxSid: view.getUint32(offset + 4, le),
    ctx: decodeXfrmCtxString(view, offset + XFRM_SEC_CTX_SIZE, ctxLen, 'xfrm_sec_ctx'),
  };
}

/** {@link Codec} of `struct xfrm_sec_ctx` from `<linux/xfrm.h>` including its string. */
export const xfrmSecCtxCodec: Codec<XfrmSecCtx> = {
  name: 'xfrm_sec_ctx',
  length: xfrmSecCtxLength,
  encode: encodeXfrmSecCtx,
  decode: decodeXfrmSecCtx,
};

/** @internal Byte ranges of `struct xfrm_sec_ctx` (`<linux/xfrm.h>`) that are padding: none. */
export const XFRM_SEC_CTX_PADDING: ReadonlyArray<readonly [number, number]> = [];
