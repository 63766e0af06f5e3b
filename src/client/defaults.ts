/**
 * The kernel defaults the client writes for what a user leaves out, each in one place: the
 * unspecified address of a family (an SA id without `saddr`, an address filter with one side,
 * a template) and the main policy type (not sent: the kernel assumes it).
 * @module
 */
import { type XfrmAttribute } from '../xfrm/attributes.js';
import { AF_INET6, XFRM_POLICY_TYPE_MAIN } from '../xfrm/constants.js';

/** `0.0.0.0`: the unspecified IPv4 address. */
export const INADDR_ANY_TEXT = '0.0.0.0';
/** `::`: the unspecified IPv6 address. */
export const IN6ADDR_ANY_TEXT = '::';

/** The unspecified address of `family` (`AF_INET6` → `::`, anything else → `0.0.0.0`). */
export function zeroAddress(family: number): string {
  return family === AF_INET6 ? IN6ADDR_ANY_TEXT : INADDR_ANY_TEXT;
}

/** Append `XFRMA_POLICY_TYPE` unless `type` is absent or main (the kernel's default). */
export function pushPolicyType(out: XfrmAttribute[], type: number | undefined): void {
  if (type !== undefined && type !== XFRM_POLICY_TYPE_MAIN) out.push({ type: 'XFRMA_POLICY_TYPE', value: { type, reserved1: 0, reserved2: 0 } });
}
