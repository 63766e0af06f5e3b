/**
 * The unspecified address of a family: the one default the client writes where an address
 * is optional (an SA id without `saddr`, an address filter with one side, a template).
 * @module
 */
import { AF_INET6 } from '../xfrm/constants.js';

/** `0.0.0.0`: the unspecified IPv4 address. */
export const INADDR_ANY_TEXT = '0.0.0.0';
/** `::`: the unspecified IPv6 address. */
export const IN6ADDR_ANY_TEXT = '::';

/** The unspecified address of `family` (`AF_INET6` → `::`, anything else → `0.0.0.0`). */
export function zeroAddress(family: number): string {
  return family === AF_INET6 ? IN6ADDR_ANY_TEXT : INADDR_ANY_TEXT;
}
