/**
 * The type of key material in decoded XFRM values: {@link XfrmKey}.
 * @module
 */
import { SecretBytes, sealSecretClass, wrapAs } from '../netlink/secret.js';

/**
 * Key bytes of an XFRM algorithm (`alg_key` of `struct xfrm_algo`, `xfrm_algo_auth`,
 * `xfrm_algo_aead`, the bytes after it in an `XFRMA_ALG_*` attribute, and the client's
 * `key` fields). Every decoder that produces key material returns one.
 *
 * It is a `Uint8Array` (a {@link SecretBytes}): encoders, `Buffer.from(key)` and comparisons
 * with plain arrays work unchanged, and encoders accept plain `Uint8Array` keys as well. What
 * would print it by accident is redacted: `console.log` / `util.inspect` and `String(key)` give
 * `XfrmKey(20) <redacted>`, `JSON.stringify` gives `"<redacted>"`.
 *
 * To get the bytes, ask for them: `key.bytes()` (a plain copy), `key.hex()`,
 * `Uint8Array.from(key)` or `Buffer.from(key)`. `structuredClone(key)` also gives a plain
 * `Uint8Array`.
 * @group Keys
 */
export class XfrmKey extends SecretBytes {
  static {
    sealSecretClass(this);
  }

  /** `XfrmKey` in the redacted text. */
  protected override get redactedLabel(): string {
    return 'XfrmKey';
  }

  /**
   * An `XfrmKey` holding `bytes`: a view on the same memory when `bytes` spans a whole
   * `ArrayBuffer` of its own (no copy), else a copy.
   */
  static override wrap(bytes: Uint8Array): XfrmKey {
    return wrapAs(XfrmKey, bytes);
  }
}
