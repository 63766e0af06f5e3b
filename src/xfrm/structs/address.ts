/**
 * `xfrm_address_t` from `<linux/xfrm.h>`: a 16-byte union of an IPv4 (`a4`) and an IPv6
 * (`a6`/`in6`) address, always in network byte order.
 * @module
 */
import { NetlinkEncodeError } from '../../netlink/errors.js';
import { quoteSafe } from '../../netlink/secret.js';
import { bytesForWrite, bytesOf, need } from '../../netlink/view.js';
import { AF_INET, AF_INET6 } from '../constants.js';

/** `sizeof(xfrm_address_t)`. */
export const XFRM_ADDRESS_SIZE = 16;

/**
 * An address as text: `'192.0.2.1'` or `'2001:db8::1'`.
 *
 * The text form only chooses the presentation; the 16 bytes are always kept exactly: an
 * IPv4 string fills bytes 0–3 and leaves 4–15 zero, and any 16-byte value whose bytes 4–15
 * are not all zero is shown in IPv6 notation even when the family says IPv4. So decoding
 * and encoding any 16 bytes gives them back unchanged.
 */
export type XfrmAddress = string;

/** `'0'` … `'255'`. */
const DECIMAL: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));
/** `'0.'` … `'255.'`. */
const DOTTED: readonly string[] = DECIMAL.map((d) => `${d}.`);

/** Slots of the cache of IPv4 /24 prefixes (a power of two), direct-mapped by prefix. */
const PREFIX_SLOTS = 256;
/** The prefix (the address's top 24 bits) each slot holds; -1 for none. */
const PREFIX_KEY = new Int32Array(PREFIX_SLOTS).fill(-1);
/** Its text with the trailing dot: `'198.18.7.'`. */
const PREFIX_TEXT: string[] = new Array<string>(PREFIX_SLOTS).fill('');

const IPV4_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv4(text: string, out: Uint8Array, at: number): boolean {
  const m = IPV4_RE.exec(text);
  if (!m) return false;
  for (let i = 0; i < 4; i++) {
    const n = Number(m[i + 1]);
    if (n > 255 || (m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0'))) return false;
    out[at + i] = n;
  }
  return true;
}

function parseIpv6(text: string, out: Uint8Array): boolean {
  let s = text;
  const pct = s.indexOf('%');
  if (pct >= 0) return false; // zone ids have no place in xfrm_address_t
  const words: number[] = [];
  let tailV4: Uint8Array | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    tailV4 = new Uint8Array(4);
    if (!parseIpv4(s.slice(lastColon + 1), tailV4, 0)) return false;
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return false;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const gs = part.split(':');
    const r: number[] = [];
    for (const g of gs) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      r.push(parseInt(g, 16));
    }
    return r;
  };
  if (dbl >= 0) {
    const head = parseGroups(s.slice(0, dbl));
    const tail = parseGroups(s.slice(dbl + 2));
    if (!head || !tail || head.length + tail.length > 7) return false;
    words.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  } else {
    const all = parseGroups(s);
    if (!all || all.length !== 8) return false;
    words.push(...all);
  }
  for (let i = 0; i < 8; i++) {
    out[i * 2] = words[i]! >> 8;
    out[i * 2 + 1] = words[i]! & 0xff;
  }
  if (tailV4) out.set(tailV4, 12);
  return true;
}

/**
 * Parse an address string into 16 bytes (IPv4 into bytes 0–3).
 * @throws {@link NetlinkEncodeError} for text that is neither an IPv4 nor an IPv6 address.
 */
export function parseXfrmAddress(text: XfrmAddress, what = 'xfrm_address_t'): Uint8Array {
  const out = new Uint8Array(16);
  if (typeof text === 'string') {
    if (text.includes(':') ? parseIpv6(text, out) : parseIpv4(text, out, 0)) return out;
  }
  // quoteSafe: a key pasted (or fuzzed) into an address field must not be echoed.
  throw new NetlinkEncodeError(what, `not an IPv4 or IPv6 address: ${quoteSafe(text)}`);
}

/** Format 16 address bytes; `family` picks the notation as described at {@link XfrmAddress}. */
export function formatXfrmAddress(b: Uint8Array, family?: number): XfrmAddress {
  let tailZero = true;
  for (let i = 4; i < 16; i++) if (b[i] !== 0) tailZero = false;
  if (family !== AF_INET6 && tailZero) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[i * 2]! << 8) | b[i * 2 + 1]!);
  // RFC 5952: compress the longest run (≥ 2) of zero groups, the first one on a tie.
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]): string => a.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(w);
  return `${hex(w.slice(0, bestAt))}::${hex(w.slice(bestAt + bestLen))}`;
}

/**
 * Encode an `xfrm_address_t` at `offset` (16 bytes, network order).
 * @throws {@link NetlinkEncodeError} for an invalid address string.
 */
export function encodeXfrmAddress(view: DataView, offset: number, addr: XfrmAddress, what?: string): void {
  // IPv4 is the common case in bulk loads: parse it without a regex or allocations. The
  // memory is zeroed by the writer, but callers may encode over used buffers: clear 4..15.
  if (typeof addr === 'string' && putIpv4(view, offset, addr)) return;
  bytesForWrite(view, offset, XFRM_ADDRESS_SIZE, what ?? 'xfrm_address_t').set(parseXfrmAddress(addr, what));
}

/**
 * Write a canonical dotted quad (no leading zeros, each part ≤ 255) as 16 address bytes at
 * `offset` (bytes 4–15 zero) and return `true`; `false` (nothing written) for other text.
 * The value is stored here rather than returned: above 2^30 it is no small integer, and a
 * returned one would be a heap number allocated per address (bulk loads write 4 per policy).
 */
function putIpv4(view: DataView, offset: number, s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return false;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) return false;
      part = part * 10 + (c - 48);
      if (part > 255 || ++digits > 3) return false;
    } else {
      return false;
    }
  }
  if (dots !== 3 || digits === 0) return false;
  view.setUint32(offset, value * 256 + part, false);
  view.setUint32(offset + 4, 0);
  view.setUint32(offset + 8, 0);
  view.setUint32(offset + 12, 0);
  return true;
}

/**
 * Decode an `xfrm_address_t` at `offset`; `family` (`AF_INET`/`AF_INET6`) picks the notation.
 * @throws {@link NetlinkDecodeError} if fewer than 16 bytes remain.
 */
export function decodeXfrmAddress(view: DataView, offset: number, family?: number): XfrmAddress {
  need(view, offset, XFRM_ADDRESS_SIZE, 'xfrm_address_t');
  if (family !== AF_INET6 && view.getUint32(offset + 4) === 0 && view.getUint32(offset + 8) === 0 && view.getUint32(offset + 12) === 0) {
    return ipv4Text(view.getUint32(offset, false));
  }
  return formatXfrmAddress(bytesOf(view, offset, XFRM_ADDRESS_SIZE, 'xfrm_address_t'), family);
}

/**
 * @internal The dotted quad of `a` (an IPv4 address as a host-order u32), as
 * {@link formatXfrmAddress} writes it. The first three parts come from a small cache of /24
 * prefixes (`'198.18.7.'`): tables hold runs of neighbouring addresses, so most addresses cost
 * one concatenation instead of three (each `+` of short strings copies into a new flat string).
 */
export function ipv4Text(a: number): string {
  const key = a >>> 8;
  const slot = (key ^ (key >>> 8)) & (PREFIX_SLOTS - 1);
  let prefix = PREFIX_TEXT[slot]!;
  if (PREFIX_KEY[slot] !== key) {
    prefix = DOTTED[a >>> 24]! + DOTTED[(a >>> 16) & 255]! + DOTTED[key & 255]!;
    PREFIX_KEY[slot] = key;
    PREFIX_TEXT[slot] = prefix;
  }
  return prefix + DECIMAL[a & 255]!;
}

/**
 * An address as seen by a kernel that knows its family: for `AF_INET` only bytes 0–3 count
 * (the kernel compares only those, and some messages — MAPPING on 6.1 — carry uninitialised
 * bytes after them); for `AF_INET6` the IPv6 notation even when bytes 4–15 are zero (so
 * `2001:db8::` does not print as `32.1.13.184`). Other families leave it unchanged. Use it
 * where an address field has no family of its own (`encap_oa`) or may carry junk; the
 * codecs themselves keep all 16 bytes so that re-encoding is exact.
 * @throws {@link NetlinkEncodeError} if `addr` is not an address.
 */
export function addressInFamily(addr: XfrmAddress, family: number): XfrmAddress {
  if (family !== AF_INET && family !== AF_INET6) return addr;
  const b = parseXfrmAddress(addr);
  if (family === AF_INET) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  return formatXfrmAddress(b, AF_INET6);
}

/** @internal Family to use when a struct's own family field is not `AF_INET`/`AF_INET6`. */
export function familyHint(family: number): number | undefined {
  return family === AF_INET || family === AF_INET6 ? family : undefined;
}
