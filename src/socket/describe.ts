/**
 * Names for what the socket sent, for error messages: the message type of an encoded
 * request, and a {@link NetlinkKernelError} for the kernel's error answer to it, whose
 * extended-ACK offset is mapped to the name of the attribute it points at. Pure.
 * @module
 */
import { nlaAlign, nlmsgAlign, NLA_HDRLEN, NLMSG_HDRLEN } from '../netlink/align.js';
import { NetlinkKernelError, type NetlinkKernelErrorInit } from '../netlink/errors.js';
import { controlTypeName, type NetlinkFamily, type NlMessageBase } from '../netlink/message.js';
import { type NlAttribute, nlaIterate } from '../netlink/nlattr.js';
import { extackOf } from '../netlink/nlmsgerr.js';
import { nlmsgIterate } from '../netlink/reader.js';
import { viewOf } from '../netlink/view.js';

/** Describes encoded requests of one family (or raw messages only, with `null`). */
export class RequestDescriber<M extends NlMessageBase> {
  constructor(
    private readonly family: NetlinkFamily<M> | null,
    private readonly le: boolean,
  ) {}

  /** Name of the message type of an encoded request (`undefined` if there is none). */
  typeName(sent: Uint8Array | undefined): string | undefined {
    if (!sent || sent.length < NLMSG_HDRLEN) return undefined;
    const type = viewOf(sent).getUint16(4, this.le);
    return this.family?.typeName(type) ?? controlTypeName(type) ?? `type ${type}`;
  }

  /** The {@link NetlinkKernelError} for the answer `error` (a negative errno) to `sent`. */
  kernelError(sent: Uint8Array, error: number, seq: number, attrs: readonly NlAttribute[]): NetlinkKernelError {
    const ext = extackOf(attrs);
    const init: NetlinkKernelErrorInit = { errno: -error, seq };
    const request = this.typeName(sent);
    if (request !== undefined) init.request = request;
    if (ext.message !== undefined) init.extackMessage = ext.message;
    if (ext.offset !== undefined) {
      init.extackOffset = ext.offset;
      const attribute = this.attributeAt(sent, ext.offset);
      if (attribute !== undefined) init.attribute = attribute;
    }
    return new NetlinkKernelError(init);
  }

  /**
   * Name of the attribute of the encoded request `sent` that starts at (or contains) byte
   * `offset` from the start of its `nlmsghdr`. The attributes start after the fixed header,
   * whose length the family gives ({@link NetlinkFamily.headerSize}); they are walked with
   * `nlaIterate` and matched by position with the decoded ones, which give the names
   * (nested lists are followed: `'OUTER.INNER'`).
   */
  attributeAt(sent: Uint8Array, offset: number): string | undefined {
    const family = this.family;
    if (!family) return undefined;
    try {
      const view = viewOf(sent);
      const first = nlmsgIterate(view, this.le).next();
      if (first.done) return undefined;
      const loc = first.value;
      if (offset < NLMSG_HDRLEN || offset >= loc.len) return undefined;
      const header = family.headerSize(loc.type, loc.flags);
      if (header === undefined) return undefined;
      const decoded = family.decode(view, loc, this.le) as (M & { attrs?: unknown }) | undefined;
      if (!decoded || !Array.isArray(decoded.attrs)) return undefined;
      const start = loc.offset + NLMSG_HDRLEN + nlmsgAlign(header);
      return findAttrName(view, start, loc.offset + loc.len, offset, decoded.attrs as NlAttribute[], this.le);
    } catch {
      return undefined;
    }
  }
}

/** Walk the attributes in `[start, end)`; return the name of the one containing `offset`. */
function findAttrName(
  view: DataView,
  start: number,
  end: number,
  offset: number,
  decoded: readonly NlAttribute[],
  le: boolean,
): string | undefined {
  let i = 0;
  for (const h of nlaIterate(view, start, end, le)) {
    const a = decoded[i++];
    if (offset < h.offset) return undefined;
    if (offset >= h.offset + nlaAlign(h.len)) continue;
    if (a === undefined) return `nla_type ${h.type}`;
    const name = typeof a.type === 'string' ? a.type : `nla_type ${a.type}`;
    const payload = h.offset + NLA_HDRLEN;
    if (offset >= payload && isAttrList(a.value)) {
      const inner = findAttrName(view, payload, h.offset + h.len, offset, a.value, le);
      if (inner !== undefined) return `${name}.${inner}`;
    }
    return name;
  }
  return undefined;
}

function isAttrList(v: unknown): v is NlAttribute[] {
  return Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object' && 'type' in x && 'value' in x);
}
