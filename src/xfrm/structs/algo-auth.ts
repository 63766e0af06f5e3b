/**
 * `struct xfrm_algo_auth` from `<linux/xfrm.h>`: an authentication algorithm with an explicit ICV
 * truncation length, the payload of `XFRMA_ALG_AUTH_TRUNC`. The key follows the 72-byte header.
 * @module
 */
import { checkUint, type Codec } from '../../netlink/codec.js';
import { bytesForWrite, need } from '../../netlink/view.js';
import { decodeXfrmAlgKey, decodeXfrmAlgName, decodeXfrmAlgTail, encodeXfrmAlgName, xfrmAlgKeyBits } from './algo.js';

/** `sizeof(struct xfrm_algo_auth)` from `<linux/xfrm.h>`: the header before the flexible `alg_key`. */
export const XFRM_ALGO_AUTH_SIZE = 72;

/**
 * `struct xfrm_algo_auth` from `<linux/xfrm.h>`: an authentication algorithm, its key and its ICV truncation.
 *
 * The bytes of `alg_name` after its NUL terminator are padding: written as zero, ignored when
 * decoding (their position depends on the name, so they are not in a padding table).
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 64 | `alg_name` | | NUL-terminated crypto API name |
 * | 64 | 4 | `alg_key_len` | host | key length in BITS |
 * | 68 | 4 | `alg_trunc_len` | host | ICV bits; 0 = default |
 * | 72 | ⌈alg_key_len/8⌉ | `alg_key` | | raw key bytes |
 */
export interface XfrmAlgoAuth {
  /** `alg_name`: crypto API algorithm name, at most 63 bytes of UTF-8. */
  algName: string;
  /**
   * `alg_key_len`: key length in BITS (host order). Optional when encoding: defaults to
   * `algKey.length * 8`; if given, `⌈algKeyLen / 8⌉` must equal `algKey.length`. Always set by
   * the decoder.
   */
  algKeyLen?: number;
  /** `alg_trunc_len`: ICV truncation in BITS (host order); 0 = the algorithm default, must not exceed the full ICV. */
  algTruncLen: number;
  /** `alg_key`: the raw key bytes (⌈alg_key_len/8⌉ of them); an `XfrmKey` when decoded, any `Uint8Array` when encoding. */
  algKey: Uint8Array;
}

/**
 * Bytes {@link encodeXfrmAlgoAuth} writes for `v`: the `struct xfrm_algo_auth` (`<linux/xfrm.h>`)
 * header plus the key.
 */
export function xfrmAlgoAuthLength(v: XfrmAlgoAuth): number {
  return XFRM_ALGO_AUTH_SIZE + v.algKey.length;
}

/**
 * Encode a `struct xfrm_algo_auth` (`<linux/xfrm.h>`) and its key at `offset` into zeroed memory
 * ({@link xfrmAlgoAuthLength} bytes).
 * @throws {@link NetlinkEncodeError} for a bad name (`xfrm_algo_auth.alg_name`), a key that is not a
 * `Uint8Array` (`xfrm_algo_auth.alg_key`), an `algKeyLen` out of range or inconsistent with the key
 * (`xfrm_algo_auth.alg_key_len`), or `algTruncLen` outside u32 (`xfrm_algo_auth.alg_trunc_len`).
 */
export function encodeXfrmAlgoAuth(view: DataView, offset: number, v: XfrmAlgoAuth, le: boolean): void {
  encodeXfrmAlgName(view, offset, v.algName, 'xfrm_algo_auth.alg_name');
  const bits = xfrmAlgKeyBits('xfrm_algo_auth', v.algKeyLen, v.algKey);
  checkUint('xfrm_algo_auth.alg_trunc_len', v.algTruncLen, 0xffffffff);
  view.setUint32(offset + 64, bits, le);
  view.setUint32(offset + 68, v.algTruncLen, le);
  bytesForWrite(view, offset + XFRM_ALGO_AUTH_SIZE, v.algKey.length, 'xfrm_algo_auth.alg_key').set(v.algKey);
}

/**
 * Decode a `struct xfrm_algo_auth` (`<linux/xfrm.h>`) and its key from the `available` bytes at
 * `offset`. Uses exactly 72 + ⌈alg_key_len/8⌉ bytes; callers keep any further bytes.
 * @throws {@link NetlinkDecodeError} (`what` = `'xfrm_algo_auth'`) if fewer than 72 bytes are
 * available, `alg_name` has no NUL or is not UTF-8, or the key is cut short.
 */
export function decodeXfrmAlgoAuth(view: DataView, offset: number, available: number, le: boolean): XfrmAlgoAuth {
  const end = Math.min(view.byteLength, offset + (available > 0 ? available : 0));
  need(view, offset, XFRM_ALGO_AUTH_SIZE, 'xfrm_algo_auth', end);
  const algName = decodeXfrmAlgName(view, offset, 'xfrm_algo_auth');
  const algKeyLen = view.getUint32(offset + 64, le);
  const algTruncLen = view.getUint32(offset + 68, le);
  const algKey = decodeXfrmAlgKey(view, offset, XFRM_ALGO_AUTH_SIZE, end, algKeyLen, 'xfrm_algo_auth');
  return { algName, algKeyLen, algTruncLen, algKey };
}

/** {@link Codec} of `struct xfrm_algo_auth` from `<linux/xfrm.h>` including the key that follows it. */
export const xfrmAlgoAuthCodec: Codec<XfrmAlgoAuth> = {
  name: 'xfrm_algo_auth',
  length: xfrmAlgoAuthLength,
  encode: encodeXfrmAlgoAuth,
  decode: decodeXfrmAlgoAuth,
  decodeTail: decodeXfrmAlgTail,
};

/**
 * @internal Byte ranges of `struct xfrm_algo_auth` (`<linux/xfrm.h>`) that are always padding: none.
 * The bytes of `alg_name` after its NUL are padding too, but their position depends on the name.
 */
export const XFRM_ALGO_AUTH_PADDING: ReadonlyArray<readonly [number, number]> = [];
