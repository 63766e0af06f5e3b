/**
 * `struct nlmsgerr` (the body of `NLMSG_ERROR`), the `int` body of `NLMSG_DONE`, and the
 * extended-ACK TLVs (`enum nlmsgerr_attrs`) that may follow either.
 * @module
 */
import { nlaAlign } from './align.js';
import { bytes, nulString, u32, s64, u64, empty } from './codec.js';
import * as C from './constants.js';
import { NLA_F_NESTED, NLM_F_ACK_TLVS, NLM_F_CAPPED } from './constants.js';
import { NetlinkDecodeError } from './errors.js';
import { decodeAttrs, defineAttrSpace, findAttr, nestedCodec, type AttrCodecs, type AttrSpace, type NlAttribute } from './nlattr.js';
import { decodeNlmsghdr, encodeNlmsghdr, type Nlmsghdr } from './nlmsghdr.js';
import { checkSpan, copyBytes, need } from './view.js';

/** `sizeof(struct nlmsgerr)`: `int error` + the echoed `struct nlmsghdr`. */
export const NLMSGERR_SIZE = 20;

/** Value type of each `NL_POLICY_TYPE_ATTR_*` attribute, keyed by its kernel name. */
export interface NlPolicyTypeAttrValues {
  /** u32 `enum netlink_attribute_type`. */
  NL_POLICY_TYPE_ATTR_TYPE: number;
  /** s64: smallest value allowed. */
  NL_POLICY_TYPE_ATTR_MIN_VALUE_S: bigint;
  /** s64: largest value allowed. */
  NL_POLICY_TYPE_ATTR_MAX_VALUE_S: bigint;
  /** u64: smallest value allowed. */
  NL_POLICY_TYPE_ATTR_MIN_VALUE_U: bigint;
  /** u64: largest value allowed. */
  NL_POLICY_TYPE_ATTR_MAX_VALUE_U: bigint;
  /** u32: shortest payload allowed. */
  NL_POLICY_TYPE_ATTR_MIN_LENGTH: number;
  /** u32: longest payload allowed. */
  NL_POLICY_TYPE_ATTR_MAX_LENGTH: number;
  /** u32: index of a nested policy. */
  NL_POLICY_TYPE_ATTR_POLICY_IDX: number;
  /** u32: largest attribute type of that nested policy. */
  NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE: number;
  /** u32: valid bits of a bitfield32. */
  NL_POLICY_TYPE_ATTR_BITFIELD32_MASK: number;
  /** Padding before 64-bit values. */
  NL_POLICY_TYPE_ATTR_PAD: null;
  /** u64: valid bits of a masked integer. */
  NL_POLICY_TYPE_ATTR_MASK: bigint;
}

/** Attribute space of `NLMSGERR_ATTR_POLICY`'s nested `NL_POLICY_TYPE_ATTR_*` (`enum netlink_policy_type_attr`). */
export const nlPolicyTypeAttrSpace: AttrSpace = defineAttrSpace('netlink_policy_type_attr', C, {
  NL_POLICY_TYPE_ATTR_TYPE: u32,
  NL_POLICY_TYPE_ATTR_MIN_VALUE_S: s64,
  NL_POLICY_TYPE_ATTR_MAX_VALUE_S: s64,
  NL_POLICY_TYPE_ATTR_MIN_VALUE_U: u64,
  NL_POLICY_TYPE_ATTR_MAX_VALUE_U: u64,
  NL_POLICY_TYPE_ATTR_MIN_LENGTH: u32,
  NL_POLICY_TYPE_ATTR_MAX_LENGTH: u32,
  NL_POLICY_TYPE_ATTR_POLICY_IDX: u32,
  NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE: u32,
  NL_POLICY_TYPE_ATTR_BITFIELD32_MASK: u32,
  NL_POLICY_TYPE_ATTR_PAD: empty,
  NL_POLICY_TYPE_ATTR_MASK: u64,
} satisfies AttrCodecs<NlPolicyTypeAttrValues>);

/** Value type of each extended-ACK TLV (`NLMSGERR_ATTR_*`), keyed by its kernel name. */
export interface NlmsgerrAttrValues {
  /** NUL-terminated error text. */
  NLMSGERR_ATTR_MSG: string;
  /** u32 byte offset, in the echoed request, of the attribute that caused the error. */
  NLMSGERR_ATTR_OFFS: number;
  /** Opaque cookie bytes. */
  NLMSGERR_ATTR_COOKIE: Uint8Array;
  /** The policy the offending attribute failed (nested `NL_POLICY_TYPE_ATTR_*`). */
  NLMSGERR_ATTR_POLICY: NlAttribute[];
  /** u32 type of a missing attribute. */
  NLMSGERR_ATTR_MISS_TYPE: number;
  /** u32 offset of the nest that lacks it. */
  NLMSGERR_ATTR_MISS_NEST: number;
}

/** Attribute space of the extended-ACK TLVs (`enum nlmsgerr_attrs`). */
export const nlmsgerrAttrSpace: AttrSpace = defineAttrSpace(
  'nlmsgerr_attrs',
  C,
  {
    NLMSGERR_ATTR_MSG: nulString,
    NLMSGERR_ATTR_OFFS: u32,
    NLMSGERR_ATTR_COOKIE: bytes,
    NLMSGERR_ATTR_POLICY: nestedCodec(nlPolicyTypeAttrSpace),
    NLMSGERR_ATTR_MISS_TYPE: u32,
    NLMSGERR_ATTR_MISS_NEST: u32,
  } satisfies AttrCodecs<NlmsgerrAttrValues>,
  { flags: { NLMSGERR_ATTR_POLICY: NLA_F_NESTED } },
);

/** The decoded body of an `NLMSG_ERROR` message. */
export interface Nlmsgerr {
  /** `error`: 0 for an ACK, else a negative errno. */
  error: number;
  /** `msg`: the request's header, echoed verbatim. */
  msg: Nlmsghdr;
  /** The request's payload as echoed by the kernel (empty when `NLM_F_CAPPED`). */
  payload: Uint8Array;
  /** Extended-ACK TLVs, in order (present when `NLM_F_ACK_TLVS`). */
  attrs: NlAttribute[];
}

/** The extended-ACK fields found in a TLV list, for convenience. */
export interface Extack {
  /** `NLMSGERR_ATTR_MSG`: error text, or a warning on success. */
  message?: string;
  /** `NLMSGERR_ATTR_OFFS`: offset of the offending attribute from the start of the request. */
  offset?: number;
  /** `NLMSGERR_ATTR_COOKIE`. */
  cookie?: Uint8Array;
  /** `NLMSGERR_ATTR_POLICY`: the violated policy (`NL_POLICY_TYPE_ATTR_*`). */
  policy?: NlAttribute[];
  /** `NLMSGERR_ATTR_MISS_TYPE`. */
  missingType?: number;
  /** `NLMSGERR_ATTR_MISS_NEST`. */
  missingNest?: number;
}

/** Collect the extended-ACK fields of a TLV list. */
export function extackOf(attrs: readonly NlAttribute[]): Extack {
  const e: Extack = {};
  const message = findAttr<string>(attrs, 'NLMSGERR_ATTR_MSG');
  if (message !== undefined) e.message = message;
  const offset = findAttr<number>(attrs, 'NLMSGERR_ATTR_OFFS');
  if (offset !== undefined) e.offset = offset;
  const cookie = findAttr<Uint8Array>(attrs, 'NLMSGERR_ATTR_COOKIE');
  if (cookie !== undefined) e.cookie = cookie;
  const policy = findAttr<NlAttribute[]>(attrs, 'NLMSGERR_ATTR_POLICY');
  if (policy !== undefined) e.policy = policy;
  const missingType = findAttr<number>(attrs, 'NLMSGERR_ATTR_MISS_TYPE');
  if (missingType !== undefined) e.missingType = missingType;
  const missingNest = findAttr<number>(attrs, 'NLMSGERR_ATTR_MISS_NEST');
  if (missingNest !== undefined) e.missingNest = missingNest;
  return e;
}

/**
 * Decode the body of an `NLMSG_ERROR` message occupying `[offset, end)` (after its nlmsghdr).
 * `flags` are the `NLMSG_ERROR` header's flags: `NLM_F_CAPPED` says the request payload is
 * absent, `NLM_F_ACK_TLVS` that TLVs follow it.
 * @throws {@link NetlinkDecodeError} (`what` = `'nlmsgerr'`) for a body shorter than 20 bytes or malformed TLVs.
 */
export function decodeNlmsgerr(view: DataView, offset: number, end: number, flags: number, le: boolean): Nlmsgerr {
  checkSpan(view, offset, end, 'nlmsgerr');
  need(view, offset, NLMSGERR_SIZE, 'nlmsgerr', end);
  const error = view.getInt32(offset, le);
  const msg = decodeNlmsghdr(view, offset + 4, le);
  const after = offset + NLMSGERR_SIZE;
  if ((flags & NLM_F_ACK_TLVS) === 0) {
    return { error, msg, payload: copyBytes(view, after, end - after, 'nlmsgerr'), attrs: [] };
  }
  let plen = 0;
  if ((flags & NLM_F_CAPPED) === 0) {
    // The echoed nlmsg_len is a u32 the sender chose: compare it with what is left as plain
    // numbers (nlaAlign is exact up to 2^53), so no length can wrap and pass.
    plen = msg.len - 16;
    if (plen < 0 || nlaAlign(plen) > end - after) {
      throw new NetlinkDecodeError('nlmsgerr', offset + 4, `echoed nlmsg_len ${msg.len} does not fit the message`);
    }
  }
  const tlvStart = after + nlaAlign(plen);
  return {
    error,
    msg,
    payload: copyBytes(view, after, plen, 'nlmsgerr'),
    attrs: decodeAttrs(view, tlvStart, end, nlmsgerrAttrSpace, le),
  };
}

/** Encode the fixed part of an `NLMSG_ERROR` body (error + echoed header) at `offset`. */
export function encodeNlmsgerrHead(view: DataView, offset: number, e: Nlmsgerr, le: boolean): void {
  view.setInt32(offset, e.error, le);
  encodeNlmsghdr(view, offset + 4, e.msg, le);
}
