/**
 * The netlink core: framing, attributes, acknowledgements and the error hierarchy. It knows
 * nothing of XFRM, so other families can reuse it. Subpath `netlink-xfrm/netlink`.
 * @module netlink
 */
export {
  AF_NETLINK, NETLINK_ADD_MEMBERSHIP, NETLINK_BROADCAST_ERROR, NETLINK_CAP_ACK, NETLINK_DROP_MEMBERSHIP,
  NETLINK_EXT_ACK, NETLINK_GENERIC, NETLINK_GET_STRICT_CHK, NETLINK_LIST_MEMBERSHIPS, NETLINK_LISTEN_ALL_NSID,
  NETLINK_NO_ENOBUFS, NETLINK_PKTINFO, NETLINK_ROUTE, NETLINK_XFRM, NL_POLICY_TYPE_ATTR_BITFIELD32_MASK,
  NL_POLICY_TYPE_ATTR_MASK, NL_POLICY_TYPE_ATTR_MAX_LENGTH, NL_POLICY_TYPE_ATTR_MAX_VALUE_S,
  NL_POLICY_TYPE_ATTR_MAX_VALUE_U, NL_POLICY_TYPE_ATTR_MIN_LENGTH, NL_POLICY_TYPE_ATTR_MIN_VALUE_S,
  NL_POLICY_TYPE_ATTR_MIN_VALUE_U, NL_POLICY_TYPE_ATTR_PAD, NL_POLICY_TYPE_ATTR_POLICY_IDX,
  NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE, NL_POLICY_TYPE_ATTR_TYPE, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK,
  NLM_F_ACK, NLM_F_ACK_TLVS, NLM_F_APPEND, NLM_F_ATOMIC, NLM_F_BULK, NLM_F_CAPPED, NLM_F_CREATE, NLM_F_DUMP,
  NLM_F_DUMP_FILTERED, NLM_F_DUMP_INTR, NLM_F_ECHO, NLM_F_EXCL, NLM_F_MATCH, NLM_F_MULTI, NLM_F_NONREC,
  NLM_F_REPLACE, NLM_F_REQUEST, NLM_F_ROOT, NLMSG_DONE, NLMSG_ERROR, NLMSG_MIN_TYPE, NLMSG_NOOP, NLMSG_OVERRUN,
  NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS,
  NLMSGERR_ATTR_POLICY, NLMSGERR_ATTR_UNUSED, SOL_NETLINK,
} from './constants.js';
export {
  NLA_ALIGNTO, NLA_HDRLEN, nlaAlign, NLMSG_ALIGNTO, NLMSG_HDRLEN, nlmsgAlign, nlmsgLength, nlmsgSpace, rtaLength,
  rtaSpace,
} from './align.js';
export { HOST_LE } from './endian.js';
export { Errno, errnoName, type ErrnoName } from './errno.js';
export {
  NetlinkDecodeError, NetlinkDumpInterruptedError, NetlinkEncodeError, NetlinkError, NetlinkKernelError,
  type NetlinkKernelErrorInit, NetlinkProtocolError, type NetlinkProtocolReason, NetlinkSocketError,
} from './errors.js';
export { bytesForWrite, bytesOf, copyBytes, viewOf } from './view.js';
export { bytes, type Codec, empty, fixedCodec, flag, nulString, s32, s64, u16, u32, u64, u8 } from './codec.js';
export { decodeNlmsghdr, encodeNlmsghdr, type Nlmsghdr, NLMSGHDR_SIZE, nlmsghdrCodec } from './nlmsghdr.js';
export {
  type AttrCodecs, type AttrListRow, type AttrNumbers, attrPayloadLength, attrsLength, type AttrSpace,
  type AttrSpaceOptions, type AttrSpec, decodeAttrs, defineAttrSpace, encodeAttrs,
  findAttr, nestedCodec, type NestedCodec, NLA_LEN_MAX, nlaIterate, NLATTR_SIZE, type NlattrHeader,
  type NlAttribute, type UnknownAttribute,
} from './nlattr.js';
export {
  decodeNlmsgerr, encodeNlmsgerrHead, type Extack, extackOf, type Nlmsgerr, NLMSGERR_SIZE, nlmsgerrAttrSpace,
  nlPolicyTypeAttrSpace,
} from './nlmsgerr.js';
export { nlmsgAt, nlmsgIterate, type NlmsgLocation } from './reader.js';
export { NlmsgWriter } from './writer.js';
export {
  decodeMessage, decodeMessages, encodeMessage, encodeMessages, type HeaderOverride, type NetlinkFamily,
  type NetlinkMessage, type NlControlMessage, type NlMessageBase, type NlmsgDoneMessage, type NlmsgErrorMessage,
  type NlmsgRawMessage,
} from './message.js';
export {
  decodeSockaddrNl, encodeSockaddrNl, SOCKADDR_NL_SIZE, type SockaddrNl, sockaddrNlCodec,
} from './sockaddr-nl.js';
export { decodeNlPktinfo, encodeNlPktinfo, NL_PKTINFO_SIZE, type NlPktinfo, nlPktinfoCodec } from './nl-pktinfo.js';
export {
  decodeNlaBitfield32, encodeNlaBitfield32, NLA_BITFIELD32_SIZE, type NlaBitfield32, nlaBitfield32Codec,
} from './nla-bitfield32.js';
export { REDACTED, SecretBytes } from './secret.js';
