/**
 * Walk the messages of one datagram without copying (`NLMSG_OK` / `NLMSG_NEXT`).
 * @module
 */
import { nlmsgAlign, NLMSG_HDRLEN } from './align.js';
import { NetlinkDecodeError } from './errors.js';
import { type Nlmsghdr } from './nlmsghdr.js';

/** A message header plus where the message sits in the datagram. */
export interface NlmsgLocation extends Nlmsghdr {
  /** Offset of the `nlmsghdr` in the view. */
  offset: number;
}

/**
 * Iterate the messages in `view`, checking `16 ≤ nlmsg_len ≤ remaining` for each.
 * @throws {@link NetlinkDecodeError} (`what` = `'nlmsghdr'`) for a short header, a length
 *   below 16 or a length running past the end of the datagram (e.g. a truncated receive).
 */
export function* nlmsgIterate(view: DataView, le: boolean, start = 0, end = view.byteLength): Generator<NlmsgLocation> {
  let off = start;
  while (off < end) {
    const rem = end - off;
    if (rem < NLMSG_HDRLEN) {
      throw new NetlinkDecodeError('nlmsghdr', off, `truncated: need 16 bytes, have ${rem}`);
    }
    const len = view.getUint32(off, le);
    if (len < NLMSG_HDRLEN) throw new NetlinkDecodeError('nlmsghdr', off, `nlmsg_len ${len} is below 16`);
    if (len > rem) throw new NetlinkDecodeError('nlmsghdr', off, `nlmsg_len ${len} runs past the end (${rem} bytes left)`);
    yield {
      offset: off,
      len,
      type: view.getUint16(off + 4, le),
      flags: view.getUint16(off + 6, le),
      seq: view.getUint32(off + 8, le),
      pid: view.getUint32(off + 12, le),
    };
    off += Math.min(nlmsgAlign(len), rem);
  }
}
