/**
 * Parsers of the `state …` and `replay …` command lines: pure functions from words to the
 * client's request types ({@link XfrmStateInput}, {@link XfrmSaId}, {@link XfrmStateFilter},
 * {@link AllocSpiInput}), each a keyword table ({@link Grammar}) walked by the one engine of
 * `grammar.ts`, then a check of what the words mean together. No I/O here, so every form is
 * unit-tested.
 * @module
 */
import { quoteSafe } from '../netlink/secret.js';
import { type AllocSpiInput, type XfrmSaId, type XfrmStateFilter } from '../client/client.js';
import { type XfrmReplayStateChange } from '../client/ae.js';
import {
  familyOf,
  unlimitedLifetime,
  type XfrmAeadAlgorithm,
  type XfrmAuthAlgorithm,
  type XfrmKeyedAlgorithm,
  type XfrmStateInput,
} from '../client/state.js';
import { XFRMA_REPLAY_ESN_MAX, XFRM_STATE_ESN } from '../xfrm/constants.js';
import { ENCAP_TYPE_NAMES, SA_DIR_NAMES, STATE_EXTRA_FLAG_NAMES, STATE_FLAG_NAMES } from '../xfrm/names.js';
import { XFRM_LEGACY_REPLAY_WINDOW_MAX } from '../xfrm/replay.js';
import { type XfrmEncapTmpl } from '../xfrm/structs/encap-tmpl.js';
import { parseAddr, parseKey, parseMode, parseSaProto, parseUint, parseWordList, Words, type Prefix } from './args.js';
import {
  buildSelector,
  finishId,
  ID_WORDS,
  limitWords,
  markValue,
  selectorEmpty,
  selValue,
  SELECTOR_WORDS,
  type IdBag,
  type LimitsBag,
  type SelectorBag,
} from './common-words.js';
import { addr, flagList, nameRow, need, parseKeywords, prefix, uint, word, type Grammar, type Value } from './grammar.js';
import { USAGE } from './usage.js';

/** Parse `state get|delete` and `replay get` words: the SA identity. */
export function parseSaId(words: readonly string[], usage: string = USAGE['state get']): XfrmSaId {
  const w: Words = new Words(words, usage);
  return finishId(parseKeywords<IdBag>(ID_WORDS, w, {}), w);
}

interface FilterBag {
  src?: Prefix;
  dst?: Prefix;
  proto?: number;
}

const FILTER_WORDS = {
  src: { field: 'src', value: prefix(), arg: 'PREFIX' },
  dst: { field: 'dst', value: prefix(), arg: 'PREFIX' },
  proto: { field: 'proto', value: word(parseSaProto), arg: 'esp|ah|comp' },
} as const satisfies Grammar<FilterBag>;

/** Parse `state list` / `snapshot` filter words. */
export function parseStateFilter(words: readonly string[], usage: string = USAGE['state list']): XfrmStateFilter {
  const w: Words = new Words(words, usage);
  const { src, dst, proto } = parseKeywords<FilterBag>(FILTER_WORDS, w, {});
  if (src && dst && src.family !== dst.family) w.fail('src and dst must be of the same address family');
  const f: XfrmStateFilter = {};
  if (proto !== undefined) f.proto = proto;
  if (src) f.src = { addr: src.addr, prefixlen: src.prefixlen };
  if (dst) f.dst = { addr: dst.addr, prefixlen: dst.prefixlen };
  return f;
}

const FLUSH_WORDS = {
  // "any" is the flush wildcard: an SA itself never has it.
  proto: { field: 'proto', value: word((v, usage) => parseSaProto(v, usage, true)), arg: 'esp|ah|comp|any' },
} as const satisfies Grammar<{ proto?: number }>;

/** Parse `state flush [proto P]`: the protocol (default: any). */
export function parseStateFlush(words: readonly string[]): number | undefined {
  return parseKeywords<{ proto?: number }>(FLUSH_WORDS, new Words(words, USAGE['state flush']), {}).proto;
}

/** Keywords of `state allocspi` and `state add` beyond the identity. */
type SaCommon = Pick<XfrmStateInput, 'mode' | 'reqid' | 'acquireSeq' | 'ifId' | 'dir'>;

const SA_COMMON_WORDS = {
  mode: { field: 'mode', value: word(parseMode), arg: 'transport|tunnel|beet' },
  reqid: { field: 'reqid', value: uint(), arg: 'R' },
  seq: { field: 'acquireSeq', value: uint(), arg: 'ACQSEQ' },
  if_id: { field: 'ifId', value: uint(), arg: 'N' },
  dir: nameRow('dir', SA_DIR_NAMES),
} as const satisfies Grammar<SaCommon>;

type AllocSpiBag = Omit<IdBag, 'spi'> & SaCommon & { min?: number; max?: number };

const ALLOCSPI_WORDS: Grammar<AllocSpiBag> = {
  // src, dst, proto and mark as for every SA identity; the SPI is what the kernel picks.
  src: ID_WORDS.src,
  dst: ID_WORDS.dst,
  proto: ID_WORDS.proto,
  mark: ID_WORDS.mark,
  ...SA_COMMON_WORDS,
  min: { field: 'min', value: uint(), arg: 'N' },
  max: { field: 'max', value: uint(), arg: 'N' },
};

/** Parse `state allocspi …`. */
export function parseAllocSpi(words: readonly string[]): AllocSpiInput {
  const w: Words = new Words(words, USAGE['state allocspi']);
  const { src, dst, proto, mark, ...out } = parseKeywords<AllocSpiBag>(ALLOCSPI_WORDS, w, {});
  const id = { src, dst, proto };
  need(ALLOCSPI_WORDS, w, id, 'src');
  need(ALLOCSPI_WORDS, w, id, 'dst');
  need(ALLOCSPI_WORDS, w, id, 'proto');
  if ((out.min === undefined) !== (out.max === undefined)) w.fail('give both "min" and "max"');
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) w.fail('min must not be above max');
  return { saddr: id.src, daddr: id.dst, proto: id.proto, ...out, ...(mark ? { mark } : {}) };
}

/** `NAME KEY`: an algorithm and its key; errors name `<kw> key`. */
const keyed: Value<XfrmKeyedAlgorithm> = (w, kw) => {
  const name = w.value(kw);
  return { name, key: parseKey(w.value(name), `${kw} key`, w.usage) };
};

/** `NAME KEY BITS`: an algorithm, its key and a bit count (`bitsWhat` names it in errors). */
const keyedWithBits =
  (bitsWhat: string): Value<XfrmKeyedAlgorithm & { bits: number }> =>
  (w, kw) => {
    const alg = keyed(w, kw);
    return { ...alg, bits: parseUint(w.value(`${kw} key`), `${kw} ${bitsWhat}`, w.usage) };
  };

const encapValue: Value<XfrmEncapTmpl> = (w, kw) => {
  const t = w.value(kw);
  const encapType = ENCAP_TYPE_NAMES.numberOf(t) ?? w.fail(`encap: unknown type ${quoteSafe(t)} (${ENCAP_TYPE_NAMES.names.join(', ')})`);
  const encapSport = parseUint(w.value(t), 'encap sport', w.usage, 16);
  const encapDport = parseUint(w.value('encap sport'), 'encap dport', w.usage, 16);
  const encapOa = parseAddr(w.value('encap dport'), 'encap oaddr', w.usage);
  return { encapType, encapSport, encapDport, encapOa };
};

/** The words of `state add|update` as given, before their meaning together is checked. */
type SaBag = IdBag &
  SaCommon &
  LimitsBag &
  Pick<XfrmStateInput, 'flags' | 'extraFlags' | 'crypt' | 'auth' | 'aead' | 'comp' | 'encap' | 'outputMark' | 'tfcpad' | 'pcpu' | 'coaddr'> & {
    window?: number;
    replaySeq?: number;
    replayOseq?: number;
    replaySeqHi?: number;
    replayOseqHi?: number;
    sel?: SelectorBag;
  };

const STATE_ADD_WORDS: Grammar<SaBag> = {
  ...ID_WORDS,
  ...SA_COMMON_WORDS,
  ...limitWords<SaBag>(),
  'replay-window': { field: 'window', value: uint(), arg: 'N' },
  'replay-seq': { field: 'replaySeq', value: uint(), arg: 'N' },
  'replay-oseq': { field: 'replayOseq', value: uint(), arg: 'N' },
  'replay-seq-hi': { field: 'replaySeqHi', value: uint(), arg: 'N' },
  'replay-oseq-hi': { field: 'replayOseqHi', value: uint(), arg: 'N' },
  flag: { field: 'flags', value: flagList(STATE_FLAG_NAMES), combine: 'or', arg: 'FLAG...' },
  'extra-flag': { field: 'extraFlags', value: flagList(STATE_EXTRA_FLAG_NAMES), combine: 'or', arg: 'FLAG...' },
  enc: { field: 'crypt', value: keyed, once: true, arg: 'NAME KEY' },
  auth: { field: 'auth', value: keyed, once: 'auth/auth-trunc', arg: 'NAME KEY' },
  'auth-trunc': {
    field: 'auth',
    value: (w, kw) => {
      const { bits, ...alg } = keyedWithBits('bits')(w, kw);
      return { ...alg, truncLen: bits } satisfies XfrmAuthAlgorithm;
    },
    once: 'auth/auth-trunc',
    arg: 'NAME KEY BITS',
  },
  aead: {
    field: 'aead',
    value: (w, kw) => {
      const { bits, ...alg } = keyedWithBits('icv bits')(w, kw);
      return { ...alg, icvLen: bits } satisfies XfrmAeadAlgorithm;
    },
    once: true,
    arg: 'NAME KEY ICVBITS',
  },
  comp: { field: 'comp', value: (w, kw) => w.value(kw), once: true, arg: 'NAME' },
  encap: { field: 'encap', value: encapValue, arg: 'TYPE SPORT DPORT OADDR' },
  'output-mark': {
    field: 'outputMark',
    value: (w, kw) => {
      const m = markValue(w, kw);
      return { value: m.v, mask: m.m };
    },
    arg: 'V[/M]',
  },
  tfcpad: { field: 'tfcpad', value: uint(), arg: 'N' },
  pcpu: { field: 'pcpu', value: uint(), arg: 'N' },
  coa: { field: 'coaddr', value: addr(), arg: 'ADDR' },
  sel: { field: 'sel', value: selValue, arg: 'SELECTOR...' },
};

/**
 * Parse `state add|update` words into the SA to send. Only fields the words set are present
 * (the client fills the defaults). Replay: `replay-window N` with `flag esn` — or a window
 * above 32, which the legacy state cannot hold — becomes `replayEsn` with
 * `bmpLen = ceil(N / 32)`; otherwise `replayWindow` (+ `replay` when a sequence is given).
 */
export function parseStateAdd(words: readonly string[]): XfrmStateInput {
  const w: Words = new Words(words, USAGE['state add']);
  const bag = parseKeywords<SaBag>(STATE_ADD_WORDS, w, {});
  const { src, dst, proto, spi, mark, flags, window, replaySeq, replayOseq, replaySeqHi, replayOseqHi, sel, limits, ...s } = bag;
  const id = { src, dst, proto, spi };
  need(ID_WORDS, w, id, 'src');
  need(ID_WORDS, w, id, 'dst');
  need(ID_WORDS, w, id, 'proto');
  need(ID_WORDS, w, id, 'spi');
  if (familyOf(id.src) !== familyOf(id.dst)) w.fail('src and dst must be of the same address family');
  if (s.aead && (s.auth || s.crypt)) w.fail('"aead" cannot be combined with "enc" or "auth"');

  const out: XfrmStateInput = { saddr: id.src, daddr: id.dst, spi: id.spi, proto: id.proto, ...s };
  if (mark) out.mark = mark;
  if (sel) {
    if (selectorEmpty(sel)) w.fail(`"sel" needs at least one of ${Object.keys(SELECTOR_WORDS).join(', ')}`);
    out.selector = buildSelector(sel, familyOf(id.dst), w.usage);
  }
  if (limits) out.lifetime = { ...unlimitedLifetime(), ...limits };

  const esn = ((flags ?? 0) & XFRM_STATE_ESN) !== 0;
  const hasHi = replaySeqHi !== undefined || replayOseqHi !== undefined;
  if (esn || (window ?? 0) > XFRM_LEGACY_REPLAY_WINDOW_MAX) {
    const win = window ?? 0;
    if (win > XFRMA_REPLAY_ESN_MAX) w.fail(`replay-window: at most ${XFRMA_REPLAY_ESN_MAX}`);
    if (hasHi && !esn) w.fail('replay-seq-hi/replay-oseq-hi need "flag esn"');
    const bmpLen = Math.ceil(win / 32);
    out.replayEsn = {
      bmpLen,
      oseq: replayOseq ?? 0,
      seq: replaySeq ?? 0,
      oseqHi: replayOseqHi ?? 0,
      seqHi: replaySeqHi ?? 0,
      replayWindow: win,
      bmp: new Array<number>(bmpLen).fill(0),
    };
    // Explicit flags: a large window without "flag esn" stays in BMP mode (no ESN).
    out.flags = flags ?? 0;
  } else {
    if (hasHi) w.fail('replay-seq-hi/replay-oseq-hi need "flag esn"');
    if (flags !== undefined) out.flags = flags;
    if (window !== undefined) out.replayWindow = window;
    if (replaySeq !== undefined || replayOseq !== undefined) out.replay = { oseq: replayOseq ?? 0, seq: replaySeq ?? 0, bitmap: 0 };
  }
  return out;
}

/** What `replay set` asks for, before the SA's kind is known: the SA and the client's change. */
export interface ReplaySetRequest extends XfrmReplayStateChange {
  /** The SA. */
  id: XfrmSaId;
}

type ReplaySetBag = IdBag & Omit<ReplaySetRequest, 'id'>;

const REPLAY_SET_WORDS: Grammar<ReplaySetBag> = {
  ...ID_WORDS,
  oseq: { field: 'oseq', value: uint(), arg: 'N' },
  seq: { field: 'seq', value: uint(), arg: 'N' },
  bitmap: { field: 'bitmap', value: uint(), arg: '0xHEX' },
  'oseq-hi': { field: 'oseqHi', value: uint(), arg: 'N' },
  'seq-hi': { field: 'seqHi', value: uint(), arg: 'N' },
  bmp: { field: 'bmp', value: (w, kw) => parseWordListOrFail(w.value(kw), w), arg: '0xW,0xW,...' },
  'replay-thresh': { field: 'replayThresh', value: uint(), arg: 'N' },
  'etimer-thresh': { field: 'etimerThresh', value: uint(), arg: 'JIFFIES' },
};

/** Parse `replay set …`. */
export function parseReplaySet(words: readonly string[]): ReplaySetRequest {
  const w: Words = new Words(words, USAGE['replay set']);
  const { src, dst, proto, spi, mark, ...r } = parseKeywords<ReplaySetBag>(REPLAY_SET_WORDS, w, {});
  if (Object.keys(r).length === 0) w.fail('nothing to set');
  if (r.bitmap !== undefined && r.bmp !== undefined) w.fail('"bitmap" (legacy SAs) and "bmp" (ESN/BMP SAs) exclude each other');
  return { id: finishId({ src, dst, proto, spi, mark }, w), ...r };
}

function parseWordListOrFail(v: string, w: Words): number[] {
  const words = parseWordList(v, 'bmp', w.usage);
  if (words.length > XFRMA_REPLAY_ESN_MAX / 32) w.fail(`bmp: at most ${XFRMA_REPLAY_ESN_MAX / 32} words`);
  return words;
}
