/**
 * `struct xfrm_algo_aead` from `<linux/xfrm.h>`: an AEAD algorithm with its ICV length, the payload
 * of `XFRMA_ALG_AEAD`. The key follows the 72-byte header.
 * @module
 */
import { checkUint, type Codec } from '../../netlink/codec.js';
import { bytesForWrite, need } from '../../netlink/view.js';
import { decodeXfrmAlgKey, decodeXfrmAlgName, decodeXfrmAlgTail, encodeXfrmAlgName, xfrmAlgKeyBits } from './algo.js';

/** `sizeof(struct xfrm_algo_aead)` from `<linux/xfrm.h>`: the header before the flexible `alg_key`. */
export const XFRM_ALGO_AEAD_SIZE = 72;

/**
 * `struct xfrm_algo_aead` from `<linux/xfrm.h>`: an AEAD algorithm, its key (including any salt) and its ICV length.
 *
 * The bytes of `alg_name` after its NUL terminator are padding: written as zero, ignored when
 * decoding (their position depends on the name, so they are not in a padding table).
 * @remarks
 * | offset | size | field | order | notes |
 * |---|---|---|---|---|
 * | 0 | 64 | `alg_name` | | NUL-terminated crypto API name |
 * | 64 | 4 | `alg_key_len` | host | key length in BITS, salt included |
 * | 68 | 4 | `alg_icv_len` | host | ICV bits |
 * | 72 | ⌈alg_key_len/8⌉ | `alg_key` | | raw key bytes |
 */
export interface XfrmAlgoAead {
  /** `alg_name`: crypto API algorithm name, at most 63 bytes of UTF-8. */
  algName: string;
  /**
   * `alg_key_len`: key length in BITS (host order). Optional when encoding: defaults to
   * `algKey.length * 8`; if given, `⌈algKeyLen / 8⌉` must equal `algKey.length`. Always set by
   * the decoder.
   */
  algKeyLen?: number;
  /** `alg_icv_len`: ICV length in BITS (host order), e.g. 128 for `rfc4106(gcm(aes))`. */
  algIcvLen: number;
  /**
   * `alg_key`: the raw key bytes (⌈alg_key_len/8⌉ of them), including the salt/nonce, e.g. 20 bytes
   * for rfc4106 AES-128. An `XfrmKey` when decoded, any `Uint8Array` when encoding.
   */
  algKey: Uint8Array;
}

/**
 * Bytes {@link encodeXfrmAlgoAead} writes for `v`: the `struct xfrm_algo_aead` (`<linux/xfrm.h>`)
 * header plus the key.
 */
export function xfrmAlgoAeadLength(v: XfrmAlgoAead): number {
  return XFRM_ALGO_AEAD_SIZE + v.algKey.length;
}

/**
 * Encode a `struct xfrm_algo_aead` (`<linux/xfrm.h>`) and its key at `offset` into zeroed memory
 * ({@link xfrmAlgoAeadLength} bytes).
 * @throws {@link NetlinkEncodeError} for a bad name (`xfrm_algo_aead.alg_name`), a key that is not a
 * `Uint8Array` (`xfrm_algo_aead.alg_key`), an `algKeyLen` out of range or inconsistent with the key
 * (`xfrm_algo_aead.alg_key_len`), or `algIcvLen` outside u32 (`xfrm_algo_aead.alg_icv_len`).
 */
export function encodeXfrmAlgoAead(view: DataView, offset: number, v: XfrmAlgoAead, le: boolean): void {
  encodeXfrmAlgName(view, offset, v.algName, 'xfrm_algo_aead.alg_name');
  const bits = xfrmAlgKeyBits('xfrm_algo_aead', v.algKeyLen, v.algKey);
  checkUint('xfrm_algo_aead.alg_icv_len', v.algIcvLen, 0xffffffff);
  view.setUint32(offset + 64, bits, le);
  view.setUint32(offset + 68, v.algIcvLen, le);
  bytesForWrite(view, offset + XFRM_ALGO_AEAD_SIZE, v.algKey.length, 'xfrm_algo_aead.alg_key').set(v.algKey);
}

/**
 * Decode a `struct xfrm_algo_aead` (`<linux/xfrm.h>`) and its key from the `available` bytes at
 * `offset`. Uses exactly 72 + ⌈alg_key_len/8⌉ bytes; callers keep any further bytes.
 * @throws {@link NetlinkDecodeError} (`what` = `'xfrm_algo_aead'`) if fewer than 72 bytes are
 * available, `alg_name` has no NUL or is not UTF-8, or the key is cut short.
 */
export function decodeXfrmAlgoAead(view: DataView, offset: number, available: number, le: boolean): XfrmAlgoAead {
  const end = Math.min(view.byteLength, offset + (available > 0 ? available : 0));
  need(view, offset, XFRM_ALGO_AEAD_SIZE, 'xfrm_algo_aead', end);
  const algName = decodeXfrmAlgName(view, offset, 'xfrm_algo_aead');
  const algKeyLen = view.getUint32(offset + 64, le);
  const algIcvLen = view.getUint32(offset + 68, le);
  const algKey = decodeXfrmAlgKey(view, offset, XFRM_ALGO_AEAD_SIZE, end, algKeyLen, 'xfrm_algo_aead');
  return { algName, algKeyLen, algIcvLen, algKey };
}

/** {@link Codec} of `struct xfrm_algo_aead` from `<linux/xfrm.h>` including the key that follows it. */
export const xfrmAlgoAeadCodec: Codec<XfrmAlgoAead> = {
  name: 'xfrm_algo_aead',
  length: xfrmAlgoAeadLength,
  encode: encodeXfrmAlgoAead,
  decode: decodeXfrmAlgoAead,
  decodeTail: decodeXfrmAlgTail,
};

/**
 * @internal Byte ranges of `struct xfrm_algo_aead` (`<linux/xfrm.h>`) that are always padding: none.
 * The bytes of `alg_name` after its NUL are padding too, but their position depends on the name.
 */
export const XFRM_ALGO_AEAD_PADDING: ReadonlyArray<readonly [number, number]> = [];
