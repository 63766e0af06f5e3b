/**
 * Walk the messages of one datagram without copying (`NLMSG_OK` / `NLMSG_NEXT`).
 * @module
 */
import { nlmsgAlign, NLMSG_HDRLEN } from './align.js';
import { NetlinkDecodeError } from './errors.js';
import { type Nlmsghdr } from './nlmsghdr.js';
import { checkSpan } from './view.js';

/** A message header plus where the message sits in the datagram. */
export interface NlmsgLocation extends Nlmsghdr {
  /** Offset of the `nlmsghdr` in the view. */
  offset: number;
}

/**
 * The message at `offset` of `view`, whose bytes end at `end`, checking
 * `16 ≤ nlmsg_len ≤ end − offset`. The next message starts at
 * `offset + min(NLMSG_ALIGN(len), end − offset)`.
 * @throws {@link NetlinkDecodeError} (`what` = `'nlmsghdr'`) for `[offset, end)` not inside
 *   the view, a short header, a length below 16 or a length running past `end`.
 */
export function nlmsgAt(view: DataView, offset: number, end: number, le: boolean): NlmsgLocation {
  checkSpan(view, offset, end, 'nlmsghdr');
  const rem = end - offset;
  if (rem < NLMSG_HDRLEN) {
    throw new NetlinkDecodeError('nlmsghdr', offset, `truncated: need 16 bytes, have ${rem}`);
  }
  const len = view.getUint32(offset, le);
  if (len < NLMSG_HDRLEN) throw new NetlinkDecodeError('nlmsghdr', offset, `nlmsg_len ${len} is below 16`);
  if (len > rem) throw new NetlinkDecodeError('nlmsghdr', offset, `nlmsg_len ${len} runs past the end (${rem} bytes left)`);
  return {
    offset,
    len,
    type: view.getUint16(offset + 4, le),
    flags: view.getUint16(offset + 6, le),
    seq: view.getUint32(offset + 8, le),
    pid: view.getUint32(offset + 12, le),
  };
}

/**
 * Iterate the messages in `view` (see {@link nlmsgAt} for the checks).
 * @throws {@link NetlinkDecodeError} (`what` = `'nlmsghdr'`) for a short header, a length
 *   below 16 or a length running past the end of the datagram (e.g. a truncated receive).
 */
export function* nlmsgIterate(view: DataView, le: boolean, start = 0, end = view.byteLength): Generator<NlmsgLocation> {
  let off = start;
  while (off < end) {
    const loc = nlmsgAt(view, off, end, le);
    yield loc;
    off += Math.min(nlmsgAlign(loc.len), end - off);
  }
}
