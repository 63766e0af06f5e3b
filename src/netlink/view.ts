/**
 * Small helpers shared by every codec: a `DataView` over a byte array, and the bounds checks
 * that turn "would read past the end" into a typed {@link NetlinkDecodeError}.
 *
 * Every helper here refuses a range outside `[0, view.byteLength)` of the view it is given,
 * whatever the caller computed: a `DataView` getter stops at the view's end by itself, but a
 * `Uint8Array` or `ArrayBuffer.slice` made from `view.buffer` does not, and the buffer is
 * often larger than the view (Node's pooled `Buffer`s, a receive buffer, a sub-view of a
 * datagram). Lengths are compared as numbers, never with 32-bit operators, so a u32 length
 * of 2^31 or more cannot wrap into a negative value that passes.
 * @module
 */
import { NetlinkDecodeError, NetlinkEncodeError } from './errors.js';

/** A `DataView` over exactly the bytes of `bytes` (respecting its offset into the buffer). */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * @internal Throw a {@link NetlinkDecodeError} naming `what` and `offset` unless
 * `0 ≤ offset ≤ offset + length ≤ view.byteLength`.
 * Written as negated `>=`/`<=` tests so that `NaN` fails them too.
 */
export function checkRange(view: DataView, offset: number, length: number, what: string): void {
  if (!(offset >= 0 && length >= 0 && length <= view.byteLength - offset)) {
    throw new NetlinkDecodeError(what, offset, rangeReason(view, offset, length));
  }
}

function rangeReason(view: DataView, offset: number, length: number): string {
  if (!(offset >= 0 && offset <= view.byteLength)) return `offset outside the ${view.byteLength}-byte buffer`;
  if (!(length >= 0)) return `negative length ${length}`;
  return `truncated: need ${length} bytes, have ${view.byteLength - offset}`;
}

/**
 * The bytes `[offset, offset + length)` of `view` as a `Uint8Array` sharing its memory.
 * @throws {@link NetlinkDecodeError} (`what`, default `'bytes'`) if the range is not inside the view.
 */
export function bytesOf(view: DataView, offset: number, length: number, what = 'bytes'): Uint8Array {
  checkRange(view, offset, length, what);
  return new Uint8Array(view.buffer, view.byteOffset + offset, length);
}

/**
 * A fresh copy of the bytes `[offset, offset + length)`: decoded values never alias a buffer that may be reused.
 * @throws {@link NetlinkDecodeError} (`what`, default `'bytes'`) if the range is not inside the view.
 */
export function copyBytes(view: DataView, offset: number, length: number, what = 'bytes'): Uint8Array {
  checkRange(view, offset, length, what);
  // Every ACK has an empty payload: skip the ArrayBuffer allocation for those.
  if (length === 0) return new Uint8Array(0);
  return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + length));
}

/**
 * The bytes `[offset, offset + length)` of `view` as a `Uint8Array` to write into (an encoder's
 * counterpart of {@link bytesOf}): a value longer than the room its codec was given must not
 * overwrite whatever shares the buffer after the view.
 * @throws {@link NetlinkEncodeError} (`what`) if the range is not inside the view.
 */
export function bytesForWrite(view: DataView, offset: number, length: number, what: string): Uint8Array {
  if (!(offset >= 0 && length >= 0 && length <= view.byteLength - offset)) {
    throw new NetlinkEncodeError(what, `${length} bytes at offset ${offset} do not fit the ${view.byteLength}-byte buffer`);
  }
  return new Uint8Array(view.buffer, view.byteOffset + offset, length);
}

/**
 * @internal Throw a {@link NetlinkDecodeError} unless `size` bytes are available at `offset`
 * before `end` (default: the end of the view). An `end` beyond the view counts as the view's end.
 */
export function need(view: DataView, offset: number, size: number, what: string, end = view.byteLength): void {
  const limit = end > view.byteLength ? view.byteLength : end;
  if (!(offset >= 0 && size <= limit - offset)) {
    const have = limit - offset > 0 ? limit - offset : 0;
    throw new NetlinkDecodeError(what, offset, `truncated: need ${size} bytes, have ${have}`);
  }
}

/**
 * @internal Throw a {@link NetlinkDecodeError} naming `what` unless `[start, end)` is a range
 * inside the view (`0 ≤ start ≤ end ≤ view.byteLength`): the check every public decoder that
 * takes a `(start, end)` pair makes before trusting it.
 */
export function checkSpan(view: DataView, start: number, end: number, what: string): void {
  if (!(start >= 0 && start <= end && end <= view.byteLength)) {
    throw new NetlinkDecodeError(what, start, `range [${start}, ${end}) is not inside the ${view.byteLength}-byte buffer`);
  }
}
