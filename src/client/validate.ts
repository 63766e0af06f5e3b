/**
 * Input checks of {@link XfrmClient}'s public methods: every field a caller passes is
 * checked for its type and range before anything is built or sent, and contradictions the
 * kernel would accept as garbage (an IPv4 source with an IPv6 destination, SPI 0) are
 * refused. Each failure is a {@link NetlinkEncodeError} whose `what` is the path of the field
 * as the caller wrote it (`state.aead.key`, `policy.templates[1].saddr`) and whose reason
 * says what is wrong — never the value, which may be key material.
 *
 * These run on the bulk paths (`addStates` of 100k SAs), so they are plain `typeof` and
 * integer comparisons on the values in place: no allocation, closures or regular
 * expressions unless a check fails (the path string is built only then).
 * @module
 */
import { NetlinkEncodeError } from '../netlink/errors.js';
import {
  AF_INET,
  AF_INET6,
  IPPROTO_AH,
  IPPROTO_COMP,
  IPPROTO_ESP,
  XFRM_MODE_ROUTEOPTIMIZATION,
  XFRM_MODE_TRANSPORT,
  XFRM_STATE_AF_UNSPEC,
  XFRMA_PAD,
} from '../xfrm/constants.js';
import { parseXfrmAddress } from '../xfrm/structs/address.js';

/** @internal The largest u8. */
export const U8 = 0xff;
/** @internal The largest u16. */
export const U16 = 0xffff;
/** @internal The largest u32. */
export const U32 = 0xffffffff;
const U64 = 0xffffffffffffffffn;

/** The reason for an integer field out of range, per maximum (no value in it). */
function intReason(max: number): string {
  return max === U8 ? 'expected an integer from 0 to 255' : max === U16 ? 'expected an integer from 0 to 65535' : 'expected an integer from 0 to 4294967295';
}


function path(prefix: string, index: number, field: string): string {
  return index < 0 ? prefix + field : `${prefix}[${index}]${field}`;
}

/** Throw the error for `prefix[index]field`. */
export function fail(prefix: string, index: number, field: string, reason: string, sub = ''): never {
  throw new NetlinkEncodeError(path(prefix, index, field + sub), reason);
}

/** A plain object (not null, not an array). */
export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An integer from 0 to `max`. */
export function isUint(v: unknown, max: number): boolean {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;
}

/** Check an integer field `0..max`. */
export function uint(v: unknown, max: number, prefix: string, index: number, field: string, sub = ''): void {
  if (!isUint(v, max)) fail(prefix, index, field, intReason(max), sub);
}

/** Check an optional integer field. */
export function optUint(v: unknown, max: number, prefix: string, index: number, field: string, sub = ''): void {
  if (v !== undefined && !isUint(v, max)) fail(prefix, index, field, intReason(max), sub);
}

function u64(v: unknown, prefix: string, index: number, field: string, sub = ''): void {
  if (typeof v !== 'bigint' || v < 0n || v > U64) fail(prefix, index, field, 'expected a bigint from 0 to 2^64-1', sub);
}

/** @internal Optional integer fields of one object: `[name, maximum]`, checked in this order. */
export type UintFields = readonly (readonly [string, number])[];

/**
 * @internal Check the optional integer fields `fields` of `v` (`prefix` + `sub.name` in errors).
 * A module-level table and an indexed loop: no allocation unless a check fails.
 */
export function optUints(v: Record<string, unknown>, fields: UintFields, prefix: string, index = -1, sub = ''): void {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const x = v[f[0]];
    if (x !== undefined && !isUint(x, f[1])) fail(prefix, index, sub + '.' + f[0], intReason(f[1]));
  }
}

/** Check a string field. */
export function str(v: unknown, prefix: string, index: number, field: string, sub = ''): void {
  if (typeof v !== 'string') fail(prefix, index, field, 'expected a string', sub);
}

function bool(v: unknown, prefix: string, index: number, field: string): void {
  if (v !== undefined && typeof v !== 'boolean') fail(prefix, index, field, 'expected a boolean');
}

/** Family of an address string (the notation decides: a `:` means IPv6). */
function familyOfText(addr: string): number {
  return addr.includes(':') ? AF_INET6 : AF_INET;
}

/** `AF_INET`, `AF_INET6` or `family N`, for messages. */
export function familyName(f: number): string {
  return f === AF_INET ? 'AF_INET' : f === AF_INET6 ? 'AF_INET6' : `family ${f}`;
}

/**
 * Check that `addr` belongs to `family`. The unspecified address (`0.0.0.0`, `::`: 16 zero
 * bytes either way) belongs to both. Only a mismatch parses the address (slow path).
 */
export function addrInFamily(addr: string, family: number, prefix: string, index: number, field: string, whose: string, sub = ''): void {
  if (family !== AF_INET && family !== AF_INET6) return;
  const af = familyOfText(addr);
  if (af === family) return;
  const bytes = parseXfrmAddress(addr, path(prefix, index, field + sub));
  for (let i = 0; i < 16; i++) if (bytes[i] !== 0) fail(prefix, index, field, `an ${af === AF_INET ? 'IPv4' : 'IPv6'} address in ${whose} of ${familyName(family)}`, sub);
}

/** `AF_INET` or `AF_INET6`. */
export function ipFamily(v: unknown, prefix: string, index: number, field: string, sub = ''): void {
  if (v !== AF_INET && v !== AF_INET6) fail(prefix, index, field, 'expected AF_INET (2) or AF_INET6 (10)', sub);
}

/**
 * Check an `XfrmSelector`. `family` is the family its addresses must be in when the
 * selector's own family is 0 (the SA's, which the kernel fills in), or 0 for none.
 */
export function checkSelector(v: unknown, prefix: string, index: number, field: string, fallbackFamily: number): void {
  if (!isObj(v)) fail(prefix, index, field, 'expected an object');
  str(v.daddr, prefix, index, field, '.daddr');
  str(v.saddr, prefix, index, field, '.saddr');
  uint(v.dport, U16, prefix, index, field, '.dport');
  uint(v.dportMask, U16, prefix, index, field, '.dportMask');
  uint(v.sport, U16, prefix, index, field, '.sport');
  uint(v.sportMask, U16, prefix, index, field, '.sportMask');
  const fam = v.family;
  if (fam !== 0 && fam !== AF_INET && fam !== AF_INET6) fail(prefix, index, field + '.family', 'expected AF_UNSPEC (0), AF_INET (2) or AF_INET6 (10)');
  const max = fam === AF_INET || (fam === 0 && fallbackFamily === AF_INET) ? 32 : 128;
  if (!isUint(v.prefixlenD, max)) fail(prefix, index, field + '.prefixlenD', `expected an integer from 0 to ${max}`);
  if (!isUint(v.prefixlenS, max)) fail(prefix, index, field + '.prefixlenS', `expected an integer from 0 to ${max}`);
  uint(v.proto, U8, prefix, index, field, '.proto');
  if (!Number.isInteger(v.ifindex) || (v.ifindex as number) < -0x80000000 || (v.ifindex as number) > 0x7fffffff) {
    fail(prefix, index, field + '.ifindex', 'expected a 32-bit signed integer');
  }
  uint(v.user, U32, prefix, index, field, '.user');
  const af = fam === 0 ? fallbackFamily : (fam as number);
  addrInFamily(v.daddr as string, af, prefix, index, field, 'a selector', '.daddr');
  addrInFamily(v.saddr as string, af, prefix, index, field, 'a selector', '.saddr');
  // No family to check against (family 0 kept by XFRM_STATE_AF_UNSPEC): the kernel compares
  // both addresses in the packet's family, so they must at least be in one family together.
  if (af === 0) addrInFamily(v.saddr as string, familyOfText(v.daddr as string), prefix, index, field, 'a family-0 selector whose daddr is', '.saddr');
}

/** Check an `xfrm_lifetime_cfg`. */
export function checkLifetimeCfg(v: unknown, prefix: string, field: string): void {
  if (!isObj(v)) fail(prefix, -1, field, 'expected an object');
  u64(v.softByteLimit, prefix, -1, field, '.softByteLimit');
  u64(v.hardByteLimit, prefix, -1, field, '.hardByteLimit');
  u64(v.softPacketLimit, prefix, -1, field, '.softPacketLimit');
  u64(v.hardPacketLimit, prefix, -1, field, '.hardPacketLimit');
  u64(v.softAddExpiresSeconds, prefix, -1, field, '.softAddExpiresSeconds');
  u64(v.hardAddExpiresSeconds, prefix, -1, field, '.hardAddExpiresSeconds');
  u64(v.softUseExpiresSeconds, prefix, -1, field, '.softUseExpiresSeconds');
  u64(v.hardUseExpiresSeconds, prefix, -1, field, '.hardUseExpiresSeconds');
}

/** Check an `xfrm_lifetime_cur`. */
export function checkLifetimeCur(v: unknown, prefix: string, field: string): void {
  if (!isObj(v)) fail(prefix, -1, field, 'expected an object');
  u64(v.bytes, prefix, -1, field, '.bytes');
  u64(v.packets, prefix, -1, field, '.packets');
  u64(v.addTime, prefix, -1, field, '.addTime');
  u64(v.useTime, prefix, -1, field, '.useTime');
}

/** Check an `XfrmMark` (`{ v, m }`). */
export function checkMark(v: unknown, prefix: string, index: number, field: string): void {
  if (!isObj(v)) fail(prefix, index, field, 'expected an object');
  uint(v.v, U32, prefix, index, field, '.v');
  uint(v.m, U32, prefix, index, field, '.m');
}

/** Check an `xfrm_encap_tmpl`, its OA read in `family`. */
export function checkEncap(v: unknown, family: number, prefix: string, field: string, whose: string): void {
  if (!isObj(v)) fail(prefix, -1, field, 'expected an object');
  uint(v.encapType, U16, prefix, -1, field, '.encapType');
  uint(v.encapSport, U16, prefix, -1, field, '.encapSport');
  uint(v.encapDport, U16, prefix, -1, field, '.encapDport');
  str(v.encapOa, prefix, -1, field, '.encapOa');
  // encap_oa has no family field: the kernel reads it in the SA's family.
  addrInFamily(v.encapOa as string, family, prefix, -1, field, whose, '.encapOa');
}

/** Check a security context. */
export function checkSecCtx(v: unknown, prefix: string, field: string): void {
  if (!isObj(v)) fail(prefix, -1, field, 'expected an object');
  uint(v.exttype, U16, prefix, -1, field, '.exttype');
  uint(v.ctxAlg, U8, prefix, -1, field, '.ctxAlg');
  uint(v.ctxDoi, U8, prefix, -1, field, '.ctxDoi');
  str(v.ctx, prefix, -1, field, '.ctx');
}

/** Check an offload device. */
export function checkOffload(v: unknown, prefix: string, field: string): void {
  if (!isObj(v)) fail(prefix, -1, field, 'expected an object');
  if (!Number.isInteger(v.ifindex) || (v.ifindex as number) < -0x80000000 || (v.ifindex as number) > 0x7fffffff) {
    fail(prefix, -1, field + '.ifindex', 'expected a 32-bit signed integer');
  }
  uint(v.flags, U8, prefix, -1, field, '.flags');
}

/** Check raw attributes: each a known or numeric type with a value; the codec checks the value when encoding. */
export function checkExtraAttrs(v: unknown, prefix: string, field: string): void {
  if (!Array.isArray(v)) fail(prefix, -1, field, 'expected an array');
  for (let i = 0; i < v.length; i++) {
    const a: unknown = v[i];
    if (!isObj(a)) fail(prefix + field, i, '', 'expected an attribute object');
    if (typeof a.type !== 'string' && typeof a.type !== 'number') fail(prefix + field, i, '.type', 'expected an attribute name or number');
    // The attribute codecs check the value against the attribute's type; a missing value
    // (only XFRMA_PAD has none) would reach them as a null struct.
    if (a.value === undefined || (a.value === null && a.type !== 'XFRMA_PAD' && a.type !== XFRMA_PAD)) {
      fail(prefix + field, i, '.value', 'expected the attribute value');
    }
  }
}

/** Check a keyed algorithm (`name`, `key`, optional `keyBits`). The key is never shown. */
function checkAlg(v: unknown, prefix: string, field: string): void {
  if (!isObj(v)) fail(prefix, -1, field, 'expected an object');
  str(v.name, prefix, -1, field, '.name');
  if (!(v.key instanceof Uint8Array)) fail(prefix, -1, field + '.key', 'expected a Uint8Array');
  optUint(v.keyBits, U32, prefix, -1, field, '.keyBits');
  // alg_key_len (bits) decides how many key bytes the kernel reads: they must be exactly the key.
  if (v.keyBits !== undefined && Math.ceil((v.keyBits as number) / 8) !== v.key.length) {
    fail(prefix, -1, field + '.keyBits', 'does not match the key length (ceil(keyBits / 8) must equal key.length)');
  }
}

/** The most `bmp` words the kernel accepts (`XFRMA_REPLAY_ESN_MAX` 4096 bits / 32). */
const BMP_LEN_MAX = 128;

function checkReplayEsn(v: unknown, prefix: string, field: string): void {
  if (!isObj(v)) fail(prefix, -1, field, 'expected an object');
  if (!isUint(v.bmpLen, BMP_LEN_MAX)) fail(prefix, -1, field + '.bmpLen', `expected an integer from 0 to ${BMP_LEN_MAX}`);
  uint(v.oseq, U32, prefix, -1, field, '.oseq');
  uint(v.seq, U32, prefix, -1, field, '.seq');
  uint(v.oseqHi, U32, prefix, -1, field, '.oseqHi');
  uint(v.seqHi, U32, prefix, -1, field, '.seqHi');
  uint(v.replayWindow, U32, prefix, -1, field, '.replayWindow');
  const bmp = v.bmp;
  if (!Array.isArray(bmp)) fail(prefix, -1, field + '.bmp', 'expected an array of u32 words');
  if (bmp.length > (v.bmpLen as number)) fail(prefix, -1, field + '.bmp', 'has more words than bmpLen');
  for (let i = 0; i < bmp.length; i++) if (!isUint(bmp[i], U32)) fail(prefix + field + '.bmp', i, '', intReason(U32));
}

function checkReplay(v: unknown, prefix: string, field: string): void {
  if (!isObj(v)) fail(prefix, -1, field, 'expected an object');
  uint(v.oseq, U32, prefix, -1, field, '.oseq');
  uint(v.seq, U32, prefix, -1, field, '.seq');
  uint(v.bitmap, U32, prefix, -1, field, '.bitmap');
}

// The optional integer fields of the inputs, in the order they are checked.
const SA_HEAD_UINTS: UintFields = [['mode', U8], ['reqid', U32], ['flags', U8], ['replayWindow', U8], ['acquireSeq', U32]];
const SA_ID_UINTS: UintFields = [['ifId', U32], ['dir', U8], ['pcpu', U32], ['tfcpad', U32], ['extraFlags', U32]];
const SA_TIMER_UINTS: UintFields = [['mtimerThresh', U32], ['natKeepaliveInterval', U32], ['replayThresh', U32], ['etimerThresh', U32]];
const ALLOCSPI_UINTS: UintFields = [['min', U32], ['max', U32], ['mode', U8], ['reqid', U32], ['acquireSeq', U32]];
const ALLOCSPI_ID_UINTS: UintFields = [['ifId', U32], ['dir', U8], ['pcpu', U32]];
const AE_UINTS: UintFields = [['replayThresh', U32], ['etimerThresh', U32]];
const IPTFS_HEAD_UINTS: UintFields = [['dropTime', U32], ['reorderWindow', U16]];
const IPTFS_TAIL_UINTS: UintFields = [['initDelay', U32], ['maxQsize', U32], ['pktSize', U32]];

/**
 * Check an `XfrmStateInput` (or a complete `XfrmState`) as given to addState, updateState,
 * addStates or completeState: types and ranges of every field, and that the addresses, the
 * family, the selector and the NAT-OA agree. SPI rules of a new SA are in {@link checkNewStateSpi}.
 * @throws {@link NetlinkEncodeError} naming the field (`prefix.field`).
 */
export function checkStateInput(v: unknown, prefix: string): void {
  if (!isObj(v)) fail(prefix, -1, '', 'expected an SA object');
  str(v.saddr, prefix, -1, '.saddr');
  str(v.daddr, prefix, -1, '.daddr');
  uint(v.spi, U32, prefix, -1, '.spi');
  uint(v.proto, U8, prefix, -1, '.proto');
  let family: number;
  if (v.family === undefined) {
    family = familyOfText(v.daddr as string);
  } else {
    ipFamily(v.family, prefix, -1, '.family');
    family = v.family as number;
    addrInFamily(v.daddr as string, family, prefix, -1, '.daddr', 'an SA');
  }
  // The family comes from daddr when not given: saddr must agree with it, or its 16 bytes
  // would be read in the other family (192.0.2.1 → c000:201::).
  addrInFamily(v.saddr as string, family, prefix, -1, '.saddr', 'an SA');
  optUints(v, SA_HEAD_UINTS, prefix);
  if (v.selector !== undefined) {
    const flags = (v.flags as number | undefined) ?? 0;
    // A selector family of 0 is replaced by the SA's unless XFRM_STATE_AF_UNSPEC keeps it.
    checkSelector(v.selector, prefix, -1, '.selector', flags & XFRM_STATE_AF_UNSPEC ? 0 : family);
    const selFamily = (v.selector as { family: number }).family;
    const mode = (v.mode as number | undefined) ?? XFRM_MODE_TRANSPORT;
    // Only tunnel-type modes (tunnel, BEET, IP-TFS) carry inner traffic of another family
    // (the kernel: "Only tunnel modes can accommodate a change of family").
    if (selFamily !== 0 && selFamily !== family && (mode === XFRM_MODE_TRANSPORT || mode === XFRM_MODE_ROUTEOPTIMIZATION)) {
      fail(prefix, -1, '.selector.family', `${familyName(selFamily)} differs from the SA's ${familyName(family)}; only tunnel and BEET modes carry another family`);
    }
  }
  if (v.lifetime !== undefined) checkLifetimeCfg(v.lifetime, prefix, '.lifetime');
  if (v.current !== undefined) checkLifetimeCur(v.current, prefix, '.current');
  if (v.stats !== undefined) {
    const st = v.stats;
    if (!isObj(st)) fail(prefix, -1, '.stats', 'expected an object');
    uint(st.replayWindow, U32, prefix, -1, '.stats.replayWindow');
    uint(st.replay, U32, prefix, -1, '.stats.replay');
    uint(st.integrityFailed, U32, prefix, -1, '.stats.integrityFailed');
  }
  if (v.auth !== undefined) {
    checkAlg(v.auth, prefix, '.auth');
    optUint((v.auth as { truncLen?: unknown }).truncLen, U32, prefix, -1, '.auth.truncLen');
  }
  if (v.crypt !== undefined) checkAlg(v.crypt, prefix, '.crypt');
  if (v.aead !== undefined) {
    checkAlg(v.aead, prefix, '.aead');
    uint((v.aead as { icvLen?: unknown }).icvLen, U32, prefix, -1, '.aead.icvLen');
  }
  if (v.comp !== undefined) str(v.comp, prefix, -1, '.comp');
  if (v.encap !== undefined) checkEncap(v.encap, family, prefix, '.encap', 'an SA');
  if (v.replay !== undefined) checkReplay(v.replay, prefix, '.replay');
  if (v.replayEsn !== undefined) checkReplayEsn(v.replayEsn, prefix, '.replayEsn');
  if (v.mark !== undefined) checkMark(v.mark, prefix, -1, '.mark');
  if (v.outputMark !== undefined) {
    const om = v.outputMark;
    if (!isObj(om)) fail(prefix, -1, '.outputMark', 'expected an object');
    uint(om.value, U32, prefix, -1, '.outputMark.value');
    uint(om.mask, U32, prefix, -1, '.outputMark.mask');
  }
  optUints(v, SA_ID_UINTS, prefix);
  if (v.offload !== undefined) checkOffload(v.offload, prefix, '.offload');
  if (v.secCtx !== undefined) checkSecCtx(v.secCtx, prefix, '.secCtx');
  if (v.coaddr !== undefined) {
    str(v.coaddr, prefix, -1, '.coaddr');
    addrInFamily(v.coaddr as string, family, prefix, -1, '.coaddr', 'an SA');
  }
  if (v.lastUsed !== undefined && typeof v.lastUsed !== 'bigint') fail(prefix, -1, '.lastUsed', 'expected a bigint');
  optUints(v, SA_TIMER_UINTS, prefix);
  if (v.iptfs !== undefined) {
    const t = v.iptfs;
    if (!isObj(t)) fail(prefix, -1, '.iptfs', 'expected an object');
    optUints(t, IPTFS_HEAD_UINTS, prefix, -1, '.iptfs');
    bool(t.dontFrag, prefix, -1, '.iptfs.dontFrag');
    optUints(t, IPTFS_TAIL_UINTS, prefix, -1, '.iptfs');
  }
  if (v.extraAttrs !== undefined) checkExtraAttrs(v.extraAttrs, prefix, '.extraAttrs');
}

/**
 * The SPI of an SA being added or updated (already type-checked). The kernel installs an
 * ESP, AH or IPComp SA with SPI 0 but hashes SAs by SPI only when it is non-zero, so neither
 * GETSA/DELSA nor inbound packets can ever find it (larval ACQUIRE placeholders are the
 * only SAs with SPI 0). An IPComp CPI is 16 bits: the kernel refuses 0x10000 and above.
 */
export function checkNewStateSpi(v: { spi: number; proto: number }, prefix: string): void {
  const p = v.proto;
  if (v.spi === 0 && (p === IPPROTO_ESP || p === IPPROTO_AH || p === IPPROTO_COMP)) {
    fail(prefix, -1, '.spi', 'must not be 0 for ESP, AH or IPComp (the kernel cannot look such an SA up by SPI)');
  }
  if (p === IPPROTO_COMP && v.spi > 0xffff) fail(prefix, -1, '.spi', 'an IPComp CPI must be below 0x10000');
}

/**
 * Check an `XfrmSaId` (getState, deleteState(s), getReplayState(s), setReplayState,
 * expireState): daddr, SPI, protocol, and family/saddr agreeing with daddr.
 */
export function checkSaId(v: unknown, prefix: string, index = -1): void {
  if (!isObj(v)) fail(prefix, index, '', 'expected an SA id object ({ daddr, spi, proto })');
  str(v.daddr, prefix, index, '.daddr');
  uint(v.spi, U32, prefix, index, '.spi');
  uint(v.proto, U8, prefix, index, '.proto');
  let family: number;
  if (v.family === undefined) {
    family = familyOfText(v.daddr as string);
  } else {
    ipFamily(v.family, prefix, index, '.family');
    family = v.family as number;
    addrInFamily(v.daddr as string, family, prefix, index, '.daddr', 'an SA');
  }
  if (v.saddr !== undefined) {
    str(v.saddr, prefix, index, '.saddr');
    addrInFamily(v.saddr as string, family, prefix, index, '.saddr', 'an SA');
  }
  if (v.mark !== undefined) checkMark(v.mark, prefix, index, '.mark');
}

/** Check the input of allocSpi. */
export function checkAllocSpi(v: unknown, prefix: string): void {
  if (!isObj(v)) fail(prefix, -1, '', 'expected an object');
  str(v.saddr, prefix, -1, '.saddr');
  str(v.daddr, prefix, -1, '.daddr');
  uint(v.proto, U8, prefix, -1, '.proto');
  addrInFamily(v.saddr as string, familyOfText(v.daddr as string), prefix, -1, '.saddr', 'an SA');
  optUints(v, ALLOCSPI_UINTS, prefix);
  if (v.mark !== undefined) checkMark(v.mark, prefix, -1, '.mark');
  optUints(v, ALLOCSPI_ID_UINTS, prefix);
}

/** Check the second argument of setReplayState. */
export function checkAeInput(v: unknown, prefix: string): void {
  if (!isObj(v)) fail(prefix, -1, '', 'expected an object');
  if (v.replay !== undefined) checkReplay(v.replay, prefix, '.replay');
  if (v.replayEsn !== undefined) checkReplayEsn(v.replayEsn, prefix, '.replayEsn');
  if (v.current !== undefined) checkLifetimeCur(v.current, prefix, '.current');
  optUints(v, AE_UINTS, prefix);
}

/** Check a listStates filter. */
export function checkStateFilter(v: unknown, prefix: string): void {
  if (!isObj(v)) fail(prefix, -1, '', 'expected an object');
  optUint(v.proto, U8, prefix, -1, '.proto');
  let family = 0;
  for (const side of ['.src', '.dst'] as const) {
    const p = v[side === '.src' ? 'src' : 'dst'];
    if (p === undefined) continue;
    if (!isObj(p)) fail(prefix, -1, side, 'expected an object ({ addr, prefixlen })');
    str(p.addr, prefix, -1, side + '.addr');
    const af = familyOfText(p.addr as string);
    const max = af === AF_INET6 ? 128 : 32;
    if (!isUint(p.prefixlen, max)) fail(prefix, -1, side + '.prefixlen', `expected an integer from 0 to ${max}`);
    if (family === 0) family = af;
    else addrInFamily(p.addr as string, family, prefix, -1, side + '.addr', 'a filter');
  }
}

