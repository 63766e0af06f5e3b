/**
 * The shape of one XFRM message kind: its type number and name, its fixed header, its
 * attribute space, and which attributes the kernel reads and writes (for documentation and
 * for clients that warn about attributes a kernel would ignore).
 * @module
 */
import { type Codec } from '../../netlink/codec.js';
import { type AttrSpace } from '../../netlink/nlattr.js';
import { type XfrmAttrValuesOf, type XfrmMessageBodies, type XfrmMessageName } from '../family.js';

/**
 * Description of one `XFRM_MSG_*` type.
 * @typeParam B the decoded fixed header.
 * @typeParam A the names of the attributes it carries.
 */
export interface XfrmMessageSpec<B = unknown, A extends string = string> {
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
  readonly requestAttrs: readonly A[];
  /** Attributes the kernel puts in messages of this type it sends (replies, dumps, notifications). */
  readonly kernelAttrs: readonly A[];
  /** Multicast group (`XFRMNLGRP_*` number) on which the kernel sends this type, if any. */
  readonly group?: number;
  /** One-line description. */
  readonly summary: string;
}

/**
 * The spec message `K` must have, checked by the compiler: its own name, a codec of its body
 * type in {@link XfrmMessageBodies} (`null` where the message has no fixed header), and
 * attribute names from its space.
 */
export type XfrmMessageSpecOf<K extends XfrmMessageName> = XfrmMessageSpec<NonNullable<XfrmMessageBodies[K]>, keyof XfrmAttrValuesOf<K> & string> & {
  /** The message's own kernel name. */
  readonly name: K;
  /** Codec of the body type, or `null` for a message without a fixed header. */
  readonly body: [XfrmMessageBodies[K]] extends [null] ? null : Codec<NonNullable<XfrmMessageBodies[K]>>;
};
