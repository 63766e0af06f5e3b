/**
 * The shape of one XFRM message kind: its type number and name, its fixed header, its
 * attribute space, and which attributes the kernel reads and writes (for documentation and
 * for clients that warn about attributes a kernel would ignore).
 * @module
 */
import { type Codec } from '../../netlink/codec.js';
import { type AttrSpace } from '../../netlink/nlattr.js';

/** Description of one `XFRM_MSG_*` type. @typeParam B the decoded fixed header. */
export interface XfrmMessageSpec<B = unknown> {
  /** `XFRM_MSG_*` number. */
  readonly type: number;
  /** Kernel name, e.g. `'XFRM_MSG_NEWSA'`. */
  readonly name: string;
  /** Codec of the fixed header (`xfrm_msg_min[type]` bytes), or `null` when the message has none. */
  readonly body: Codec<B> | null;
  /** Attribute space of what follows the header. */
  readonly attrs: AttrSpace;
  /** `GETSA`/`GETPOLICY`: with `NLM_F_DUMP` bits the header may be absent (attributes start right after `nlmsghdr`). */
  readonly dumpable?: boolean;
  /** Attributes the kernel's handler reads when userspace sends this type. */
  readonly requestAttrs: readonly string[];
  /** Attributes the kernel puts in messages of this type it sends (replies, dumps, notifications). */
  readonly kernelAttrs: readonly string[];
  /** Multicast group (`XFRMNLGRP_*` number) on which the kernel sends this type, if any. */
  readonly group?: number;
  /** One-line description. */
  readonly summary: string;
}
