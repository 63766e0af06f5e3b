/**
 * Netlink core constants from `<linux/netlink.h>`, spelled as in the kernel header so
 * that `grep` finds them across the kernel, iproute2 and this library.
 *
 * Values are checked against the C compiler by `test/layout.test.ts`.
 * @module
 */

/** `AF_NETLINK` address family (= `PF_NETLINK`). */
export const AF_NETLINK = 16;
/** `SOL_NETLINK` socket option level. */
export const SOL_NETLINK = 270;

/** `NETLINK_ROUTE` protocol (rtnetlink). */
export const NETLINK_ROUTE = 0;
/** `NETLINK_XFRM` protocol: IPsec SAs, policies and events. */
export const NETLINK_XFRM = 6;
/** `NETLINK_GENERIC` protocol. */
export const NETLINK_GENERIC = 16;

/** `NLMSG_NOOP`: message to be ignored. */
export const NLMSG_NOOP = 0x1;
/** `NLMSG_ERROR`: error or acknowledgement (`struct nlmsgerr`). */
export const NLMSG_ERROR = 0x2;
/** `NLMSG_DONE`: end of a multipart (dump) reply; carries an `int` error. */
export const NLMSG_DONE = 0x3;
/** `NLMSG_OVERRUN`: defined by the header, never sent by the kernel (overruns surface as `ENOBUFS`). */
export const NLMSG_OVERRUN = 0x4;
/** `NLMSG_MIN_TYPE`: first type number owned by a protocol family; lower ones are control messages. */
export const NLMSG_MIN_TYPE = 0x10;

/** `NLM_F_REQUEST`: the message is a request; the kernel ignores messages without it. */
export const NLM_F_REQUEST = 0x01;
/** `NLM_F_MULTI`: part of a multipart reply terminated by `NLMSG_DONE`. */
export const NLM_F_MULTI = 0x02;
/** `NLM_F_ACK`: ask for an acknowledgement (`NLMSG_ERROR` with error 0 on success). */
export const NLM_F_ACK = 0x04;
/** `NLM_F_ECHO`: echo this request (ignored by XFRM). */
export const NLM_F_ECHO = 0x08;
/** `NLM_F_DUMP_INTR`: the dump was inconsistent because the table changed (never set by XFRM). */
export const NLM_F_DUMP_INTR = 0x10;
/** `NLM_F_DUMP_FILTERED`: the dump was filtered as requested. */
export const NLM_F_DUMP_FILTERED = 0x20;

/** `NLM_F_ROOT` (GET requests): return the whole table. */
export const NLM_F_ROOT = 0x100;
/** `NLM_F_MATCH` (GET requests): return all matching entries. */
export const NLM_F_MATCH = 0x200;
/** `NLM_F_ATOMIC` (GET requests): atomic snapshot. */
export const NLM_F_ATOMIC = 0x400;
/** `NLM_F_DUMP` = `NLM_F_ROOT | NLM_F_MATCH`. Either bit alone already makes XFRM dump. */
export const NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

/** `NLM_F_REPLACE` (NEW requests): replace an existing object; required by `XFRM_MSG_NEWAE`. */
export const NLM_F_REPLACE = 0x100;
/** `NLM_F_EXCL` (NEW requests): do not touch an existing object. */
export const NLM_F_EXCL = 0x200;
/** `NLM_F_CREATE` (NEW requests): create if it does not exist. */
export const NLM_F_CREATE = 0x400;
/** `NLM_F_APPEND` (NEW requests): add to the end of a list. */
export const NLM_F_APPEND = 0x800;

/** `NLM_F_NONREC` (DELETE requests): do not delete recursively. */
export const NLM_F_NONREC = 0x100;
/** `NLM_F_BULK` (DELETE requests): bulk delete. */
export const NLM_F_BULK = 0x200;

/** `NLM_F_CAPPED` (on `NLMSG_ERROR`): the request payload was not echoed. */
export const NLM_F_CAPPED = 0x100;
/** `NLM_F_ACK_TLVS` (on `NLMSG_ERROR` / `NLMSG_DONE`): extended-ACK TLVs follow. */
export const NLM_F_ACK_TLVS = 0x200;

/** `NLA_F_NESTED`: the attribute payload is a list of attributes. */
export const NLA_F_NESTED = 1 << 15;
/** `NLA_F_NET_BYTEORDER`: the payload is in network byte order (XFRM ignores this bit). */
export const NLA_F_NET_BYTEORDER = 1 << 14;
/** `NLA_TYPE_MASK`: the low 14 bits of `nla_type` hold the type. */
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

/** `NETLINK_ADD_MEMBERSHIP` socket option: join a multicast group (by number). */
export const NETLINK_ADD_MEMBERSHIP = 1;
/** `NETLINK_DROP_MEMBERSHIP` socket option: leave a multicast group. */
export const NETLINK_DROP_MEMBERSHIP = 2;
/** `NETLINK_PKTINFO` socket option. */
export const NETLINK_PKTINFO = 3;
/** `NETLINK_BROADCAST_ERROR` socket option. */
export const NETLINK_BROADCAST_ERROR = 4;
/** `NETLINK_NO_ENOBUFS` socket option: do not report receive-buffer overruns (messages are still lost). */
export const NETLINK_NO_ENOBUFS = 5;
/** `NETLINK_LISTEN_ALL_NSID` socket option. */
export const NETLINK_LISTEN_ALL_NSID = 8;
/** `NETLINK_LIST_MEMBERSHIPS` socket option (getsockopt only). */
export const NETLINK_LIST_MEMBERSHIPS = 9;
/** `NETLINK_CAP_ACK` socket option: error messages do not echo the request payload. */
export const NETLINK_CAP_ACK = 10;
/** `NETLINK_EXT_ACK` socket option: acknowledgements carry extended-ACK TLVs. */
export const NETLINK_EXT_ACK = 11;
/** `NETLINK_GET_STRICT_CHK` socket option (no effect on XFRM dumps). */
export const NETLINK_GET_STRICT_CHK = 12;

/** `NLMSGERR_ATTR_UNUSED`. */
export const NLMSGERR_ATTR_UNUSED = 0;
/** `NLMSGERR_ATTR_MSG`: NUL-terminated error or warning text. */
export const NLMSGERR_ATTR_MSG = 1;
/** `NLMSGERR_ATTR_OFFS`: u32 offset of the offending attribute from the start of the request's `nlmsghdr`. */
export const NLMSGERR_ATTR_OFFS = 2;
/** `NLMSGERR_ATTR_COOKIE`: opaque binary cookie. */
export const NLMSGERR_ATTR_COOKIE = 3;
/** `NLMSGERR_ATTR_POLICY`: nested description of the violated attribute policy. */
export const NLMSGERR_ATTR_POLICY = 4;
/** `NLMSGERR_ATTR_MISS_TYPE`: u32 type of a missing required attribute. */
export const NLMSGERR_ATTR_MISS_TYPE = 5;
/** `NLMSGERR_ATTR_MISS_NEST`: u32 offset of the nest that misses an attribute. */
export const NLMSGERR_ATTR_MISS_NEST = 6;

/** `NL_POLICY_TYPE_ATTR_TYPE`: u32 `enum netlink_attribute_type`. */
export const NL_POLICY_TYPE_ATTR_TYPE = 1;
/** `NL_POLICY_TYPE_ATTR_MIN_VALUE_S`: s64 minimum. */
export const NL_POLICY_TYPE_ATTR_MIN_VALUE_S = 2;
/** `NL_POLICY_TYPE_ATTR_MAX_VALUE_S`: s64 maximum. */
export const NL_POLICY_TYPE_ATTR_MAX_VALUE_S = 3;
/** `NL_POLICY_TYPE_ATTR_MIN_VALUE_U`: u64 minimum. */
export const NL_POLICY_TYPE_ATTR_MIN_VALUE_U = 4;
/** `NL_POLICY_TYPE_ATTR_MAX_VALUE_U`: u64 maximum. */
export const NL_POLICY_TYPE_ATTR_MAX_VALUE_U = 5;
/** `NL_POLICY_TYPE_ATTR_MIN_LENGTH`: u32 minimum payload length. */
export const NL_POLICY_TYPE_ATTR_MIN_LENGTH = 6;
/** `NL_POLICY_TYPE_ATTR_MAX_LENGTH`: u32 maximum payload length. */
export const NL_POLICY_TYPE_ATTR_MAX_LENGTH = 7;
/** `NL_POLICY_TYPE_ATTR_POLICY_IDX`: u32 index of a nested policy. */
export const NL_POLICY_TYPE_ATTR_POLICY_IDX = 8;
/** `NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE`: u32 highest attribute type of a nested policy. */
export const NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE = 9;
/** `NL_POLICY_TYPE_ATTR_BITFIELD32_MASK`: u32 valid bits of a bitfield32. */
export const NL_POLICY_TYPE_ATTR_BITFIELD32_MASK = 10;
/** `NL_POLICY_TYPE_ATTR_PAD`: padding before 64-bit values. */
export const NL_POLICY_TYPE_ATTR_PAD = 11;
/** `NL_POLICY_TYPE_ATTR_MASK`: u64 valid bits of an integer. */
export const NL_POLICY_TYPE_ATTR_MASK = 12;
