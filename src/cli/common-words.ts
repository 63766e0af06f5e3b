/**
 * The keyword groups several commands share, as {@link Grammar} tables: the SA identity
 * (`src dst proto spi mark`), the selector (`src dst proto sport dport type code ifindex`),
 * the lifetime limits (`limit time-soft N …`) and the mark value; with the functions that
 * turn their bags into the client's types.
 * @module
 */
import { type XfrmSaId } from '../client/client.js';
import { zeroAddress } from '../client/defaults.js';
import { IPPROTO_AH, IPPROTO_COMP, IPPROTO_ESP } from '../xfrm/constants.js';
import { type XfrmLifetimeCfg } from '../xfrm/structs/lifetime-cfg.js';
import { type XfrmMark } from '../xfrm/structs/mark.js';
import { type XfrmSelector } from '../xfrm/structs/selector.js';
import { parseMark, parseSaProto, parseUint, parseUpperProto, usageError, type Prefix, type Words } from './args.js';
import { addr, need, nested, prefix, takeWhile, u64, uint, word, type Grammar, type Rule, type Value } from './grammar.js';

/** `mark V[/M] [mask M]`: the value, and a mask after the slash or the `mask` word. */
export const markValue: Value<XfrmMark> = (w, kw) => {
  const mark = parseMark(w.value(kw), kw, w.usage);
  if (w.accept('mask')) mark.m = parseUint(w.value('mask'), `${kw} mask`, w.usage);
  return mark;
};

/** The SA identity words as given (`src` only matters for SAs without an SPI). */
export interface IdBag {
  /** `src ADDR`. */
  src?: string;
  /** `dst ADDR`. */
  dst?: string;
  /** `proto esp|ah|comp|…` (number). */
  proto?: number;
  /** `spi SPI`. */
  spi?: number;
  /** `mark V[/M]`. */
  mark?: XfrmMark;
}

/** `src ADDR dst ADDR proto esp|ah|comp spi SPI [mark V[/M]]`. */
export const ID_WORDS = {
  src: { field: 'src', value: addr(), arg: 'ADDR' },
  dst: { field: 'dst', value: addr(), arg: 'ADDR' },
  proto: { field: 'proto', value: word(parseSaProto), arg: 'esp|ah|comp' },
  spi: { field: 'spi', value: uint(), arg: 'SPI' },
  mark: { field: 'mark', value: markValue, arg: 'V[/M]' },
} as const satisfies Grammar<IdBag>;

function isIpsecProto(p: number): boolean {
  return p === IPPROTO_ESP || p === IPPROTO_AH || p === IPPROTO_COMP;
}

/** The {@link XfrmSaId} of an identity bag: `dst`, `proto` and (for ESP/AH/IPComp) `spi` are needed. */
export function finishId(id: IdBag, w: Words): XfrmSaId {
  need(ID_WORDS, w, id, 'dst');
  need(ID_WORDS, w, id, 'proto');
  if (isIpsecProto(id.proto)) need(ID_WORDS, w, id, 'spi');
  const out: XfrmSaId = { daddr: id.dst, spi: id.spi ?? 0, proto: id.proto };
  if (id.mark) out.mark = id.mark;
  // The source address identifies only non-SPI SAs (MIPv6); ESP/AH/IPComp look up by SPI.
  if (id.src !== undefined && !isIpsecProto(id.proto)) out.saddr = id.src;
  return out;
}

/** Selector words as given. */
export interface SelectorBag {
  /** `src PREFIX`. */
  src?: Prefix;
  /** `dst PREFIX`. */
  dst?: Prefix;
  /** `proto P`: the upper-layer protocol. */
  proto?: number;
  /** `sport N`. */
  sport?: number;
  /** `dport N`. */
  dport?: number;
  /** ICMP type (goes into `sport`). */
  type?: number;
  /** ICMP code (goes into `dport`). */
  code?: number;
  /** Interface index (`dev` is not resolved: give `ifindex N`). */
  ifindex?: number;
}

/** The selector keywords (of `policy …`, and of `state add … sel …`). */
export const SELECTOR_WORDS = {
  src: { field: 'src', value: prefix('sel src'), arg: 'PREFIX' },
  dst: { field: 'dst', value: prefix('sel dst'), arg: 'PREFIX' },
  proto: { field: 'proto', value: word(parseUpperProto), arg: 'P' },
  sport: { field: 'sport', value: uint('sport', 16), arg: 'N' },
  dport: { field: 'dport', value: uint('dport', 16), arg: 'N' },
  type: { field: 'type', value: uint('type', 8), arg: 'N' },
  code: { field: 'code', value: uint('code', 8), arg: 'N' },
  ifindex: { field: 'ifindex', value: uint('ifindex', 31), arg: 'N' },
} as const satisfies Grammar<SelectorBag>;

/** `sel …`: a fresh selector of every selector word that follows (like ip). */
export const selValue: Value<SelectorBag> = (w) => takeWhile<SelectorBag>(SELECTOR_WORDS, w, {});

/** True when no selector word was given. */
export function selectorEmpty(sel: SelectorBag | undefined): boolean {
  return sel === undefined || Object.keys(sel).length === 0;
}

/** The selector of the bag; `fallbackFamily` is used when no address was given. */
export function buildSelector(sel: SelectorBag, fallbackFamily: number, usage: string): XfrmSelector {
  const family = sel.src?.family ?? sel.dst?.family ?? fallbackFamily;
  if (sel.src && sel.dst && sel.src.family !== sel.dst.family) {
    throw usageError('selector src and dst must be of the same address family', usage);
  }
  if ((sel.sport !== undefined || sel.dport !== undefined) && (sel.type !== undefined || sel.code !== undefined)) {
    throw usageError('sport/dport and type/code cannot be combined', usage);
  }
  const zero = zeroAddress(family);
  const sport = sel.sport ?? sel.type;
  const dport = sel.dport ?? sel.code;
  return {
    daddr: sel.dst?.addr ?? zero,
    saddr: sel.src?.addr ?? zero,
    dport: dport ?? 0,
    dportMask: dport !== undefined ? 0xffff : 0,
    sport: sport ?? 0,
    sportMask: sport !== undefined ? 0xffff : 0,
    family,
    prefixlenD: sel.dst?.prefixlen ?? 0,
    prefixlenS: sel.src?.prefixlen ?? 0,
    proto: sel.proto ?? 0,
    ifindex: sel.ifindex ?? 0,
    user: 0,
  };
}

/** A limit keyword: `NAME VALUE` into one lifetime field. */
const limit = (field: keyof XfrmLifetimeCfg): Rule<Partial<XfrmLifetimeCfg>> => ({ field, value: u64(), arg: 'N' });

/** The lifetime limit keywords (`time-soft 60`, `packet-hard inf`). */
export const LIMIT_WORDS = {
  'time-soft': limit('softAddExpiresSeconds'),
  'time-hard': limit('hardAddExpiresSeconds'),
  'time-use-soft': limit('softUseExpiresSeconds'),
  'time-use-hard': limit('hardUseExpiresSeconds'),
  'byte-soft': limit('softByteLimit'),
  'byte-hard': limit('hardByteLimit'),
  'packet-soft': limit('softPacketLimit'),
  'packet-hard': limit('hardPacketLimit'),
} as const satisfies Grammar<Partial<XfrmLifetimeCfg>>;

/** A bag with lifetime limits. */
export interface LimitsBag {
  /** The limits given, by lifetime field. */
  limits?: Partial<XfrmLifetimeCfg>;
}

/**
 * The limit words of a command: each bare limit keyword, and `limit NAME VALUE [NAME VALUE]…`
 * (which must be followed by at least one limit keyword).
 */
export function limitWords<B extends LimitsBag>(): Grammar<B> {
  return {
    ...nested<B, 'limits', Partial<XfrmLifetimeCfg>>('limits', LIMIT_WORDS, () => ({})),
    limit: {
      arg: 'NAME VALUE ...',
      take: (w, bag) => {
        const first = w.peek();
        if (first === undefined || !Object.hasOwn(LIMIT_WORDS, first)) w.fail(`"limit" must be followed by ${Object.keys(LIMIT_WORDS).join(', ')}`);
        takeWhile(LIMIT_WORDS, w, (bag.limits ??= {}));
      },
    },
  };
}
