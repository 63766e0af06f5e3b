/**
 * The kernel defaults the client writes for what a user leaves out, each in one place: the
 * unspecified address of a family (an SA id without `saddr`, an address filter with one side,
 * a template) and the main policy type (not sent: the kernel assumes it).
 * @module
 */
import { attrsLength, encodeAttrs } from '../netlink/nlattr.js';
import { type NlmsgWriter } from '../netlink/writer.js';
import { type XfrmAttrName, type XfrmAttribute, type XfrmAttrValues, xfrmAttrSpace, xfrmAttrSpec } from '../xfrm/attributes.js';
import { AF_INET6, XFRM_POLICY_TYPE_MAIN } from '../xfrm/constants.js';
import { type XfrmUserpolicyType } from '../xfrm/structs/userpolicy-type.js';

/** `0.0.0.0`: the unspecified IPv4 address. */
export const INADDR_ANY_TEXT = '0.0.0.0';
/** `::`: the unspecified IPv6 address. */
export const IN6ADDR_ANY_TEXT = '::';

/** The unspecified address of `family` (`AF_INET6` → `::`, anything else → `0.0.0.0`). */
export function zeroAddress(family: number): string {
  return family === AF_INET6 ? IN6ADDR_ANY_TEXT : INADDR_ANY_TEXT;
}

/** The `XFRMA_POLICY_TYPE` value to send for `type`: none when absent or main (the kernel's default). */
export function policyTypeValue(type: number | undefined): XfrmUserpolicyType | undefined {
  return type !== undefined && type !== XFRM_POLICY_TYPE_MAIN ? { type, reserved1: 0, reserved2: 0 } : undefined;
}

/** Append `XFRMA_POLICY_TYPE` unless `type` is absent or main (the kernel's default). */
export function pushPolicyType(out: XfrmAttribute[], type: number | undefined): void {
  const value = policyTypeValue(type);
  if (value !== undefined) out.push({ type: 'XFRMA_POLICY_TYPE', value });
}

/**
 * Where a request's attributes go, so that the one function that says which attributes a
 * request carries, in which order, serves both paths: a list of attribute objects
 * ({@link pushAttr}, for a message object) or the message being written ({@link writeAttr},
 * for bulk writers).
 */
export type AttrSink<C> = <K extends XfrmAttrName>(ctx: C, name: K, value: XfrmAttrValues[K]) => void;

/** {@link AttrSink} appending `{ type: name, value }` to a list. */
export const pushAttr: AttrSink<XfrmAttribute[]> = (out, name, value) => {
  out.push({ type: name, value } as XfrmAttribute);
};

/** Specs by name, looked up once each: a bulk load writes hundreds of thousands of attributes. */
const specCache = new Map<string, ReturnType<typeof xfrmAttrSpec>>();

/** {@link AttrSink} writing the attribute into the message being written. */
export const writeAttr: AttrSink<NlmsgWriter> = (w, name, value) => {
  let spec = specCache.get(name);
  if (spec === undefined) specCache.set(name, (spec = xfrmAttrSpec(name)));
  w.typedAttr(spec as ReturnType<typeof xfrmAttrSpec<typeof name>>, value);
};

/** Append attribute objects (a user's raw `extraAttrs`) to the message being written, as a message object's `attrs` would be. */
export function writeAttrList(w: NlmsgWriter, attrs: readonly XfrmAttribute[]): void {
  if (attrs.length === 0) return;
  w.align();
  const off = w.alloc(attrsLength(attrs, xfrmAttrSpace));
  encodeAttrs(w.view, off, attrs, xfrmAttrSpace, w.le);
}
