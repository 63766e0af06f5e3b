/**
 * Small helpers shared by every codec: a `DataView` over a byte array, and the bounds check
 * that turns "would read past the end" into a typed {@link NetlinkDecodeError}.
 * @module
 */
import { NetlinkDecodeError } from './errors.js';

/** A `DataView` over exactly the bytes of `bytes` (respecting its offset into the buffer). */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The bytes `[offset, offset + length)` of `view` as a `Uint8Array` sharing its memory. */
export function bytesOf(view: DataView, offset: number, length: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + offset, length);
}

/** A fresh copy of the bytes `[offset, offset + length)`: decoded values never alias a buffer that may be reused. */
export function copyBytes(view: DataView, offset: number, length: number): Uint8Array {
  // Every ACK has an empty payload: skip the ArrayBuffer allocation for those.
  if (length === 0) return new Uint8Array(0);
  return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + length));
}

/**
 * @internal Throw a {@link NetlinkDecodeError} unless `size` bytes are available at `offset`
 * before `end` (default: the end of the view).
 */
export function need(view: DataView, offset: number, size: number, what: string, end = view.byteLength): void {
  if (offset < 0 || offset + size > end) {
    throw new NetlinkDecodeError(what, offset, `truncated: need ${size} bytes, have ${Math.max(0, end - offset)}`);
  }
}
