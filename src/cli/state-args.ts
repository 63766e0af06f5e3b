/**
 * Parsers of the `state …` and `replay …` command lines: pure functions from words to the
 * client's request types ({@link XfrmStateInput}, {@link XfrmSaId}, {@link XfrmStateFilter},
 * {@link AllocSpiInput}). No I/O here, so every form is unit-tested.
 * @module
 */
import { quoteSafe } from '../netlink/secret.js';
import { type AllocSpiInput, type XfrmSaId, type XfrmStateFilter } from '../client/client.js';
import {
  familyOf,
  unlimitedLifetime,
  type XfrmAeadAlgorithm,
  type XfrmAuthAlgorithm,
  type XfrmKeyedAlgorithm,
  type XfrmStateInput,
} from '../client/state.js';
import { IPPROTO_AH, IPPROTO_COMP, IPPROTO_ESP, XFRMA_REPLAY_ESN_MAX, XFRM_STATE_ESN } from '../xfrm/constants.js';
import { ENCAP_TYPE_NAMES, STATE_EXTRA_FLAG_NAMES, STATE_FLAG_NAMES, type NameTable } from '../xfrm/names.js';
import { XFRM_LEGACY_REPLAY_WINDOW_MAX } from '../xfrm/replay.js';
import { type XfrmLifetimeCfg } from '../xfrm/structs/lifetime-cfg.js';
import {
  isLimitWord,
  parseAddr,
  parseKey,
  parseMode,
  parsePrefix,
  parseSaDir,
  parseSaProto,
  parseUint,
  SelectorWords,
  takeLimits,
  takeMark,
  Words,
  type Prefix,
} from './args.js';
import { USAGE } from './usage.js';

/** Consume a flag list (`flag noecn esn`, or `flag 0x81`) after the keyword. */
function takeFlagList(w: Words, kw: string, table: NameTable): number {
  let flags = 0;
  const first = w.value(kw);
  const one = (f: string): number => {
    const n = table.numberOf(f);
    if (n !== undefined) return n;
    if (/^(0x[0-9a-fA-F]+|\d+)$/.test(f)) return parseUint(f, kw, w.usage);
    return w.fail(`${kw}: unknown flag ${quoteSafe(f)} (known: ${table.names.join(', ')})`);
  };
  flags |= one(first);
  while (w.peek() !== undefined && table.numberOf(w.peek()!) !== undefined) flags |= one(w.take());
  return flags >>> 0;
}

/** The SA identity words common to `state get/delete` and `replay get/set`. */
interface IdWords {
  src?: string;
  dst?: string;
  proto?: number;
  spi?: number;
  mark?: { v: number; m: number };
}

function takeIdWord(kw: string, w: Words, id: IdWords): boolean {
  switch (kw) {
    case 'src':
      id.src = parseAddr(w.value(kw), 'src', w.usage);
      return true;
    case 'dst':
      id.dst = parseAddr(w.value(kw), 'dst', w.usage);
      return true;
    case 'proto':
      id.proto = parseSaProto(w.value(kw), w.usage);
      return true;
    case 'spi':
      id.spi = parseUint(w.value(kw), 'spi', w.usage);
      return true;
    case 'mark':
      id.mark = takeMark(w, kw);
      return true;
    default:
      return false;
  }
}

function isIpsecProto(p: number): boolean {
  return p === IPPROTO_ESP || p === IPPROTO_AH || p === IPPROTO_COMP;
}

function finishId(id: IdWords, w: Words): XfrmSaId {
  if (id.dst === undefined) w.fail('missing "dst ADDR"');
  if (id.proto === undefined) w.fail('missing "proto esp|ah|comp"');
  if (id.spi === undefined && isIpsecProto(id.proto)) w.fail('missing "spi SPI"');
  const out: XfrmSaId = { daddr: id.dst, spi: id.spi ?? 0, proto: id.proto };
  if (id.mark) out.mark = id.mark;
  // The source address identifies only non-SPI SAs (MIPv6); ESP/AH/IPComp look up by SPI.
  if (id.src !== undefined && !isIpsecProto(id.proto)) out.saddr = id.src;
  return out;
}

/** Parse `state get|delete` and `replay get` words: the SA identity. */
export function parseSaId(words: readonly string[], usage: string = USAGE['state get']): XfrmSaId {
  const w: Words = new Words(words, usage);
  const id: IdWords = {};
  while (!w.done) {
    const kw = w.take();
    if (!takeIdWord(kw, w, id)) w.unknown(kw);
  }
  return finishId(id, w);
}

/** Parse `state list` / `snapshot` filter words. */
export function parseStateFilter(words: readonly string[], usage: string = USAGE['state list']): XfrmStateFilter {
  const w: Words = new Words(words, usage);
  const f: XfrmStateFilter = {};
  let src: Prefix | undefined;
  let dst: Prefix | undefined;
  while (!w.done) {
    const kw = w.take();
    if (kw === 'src') src = parsePrefix(w.value(kw), 'src', usage);
    else if (kw === 'dst') dst = parsePrefix(w.value(kw), 'dst', usage);
    else if (kw === 'proto') f.proto = parseSaProto(w.value(kw), usage);
    else w.unknown(kw);
  }
  if (src && dst && src.family !== dst.family) w.fail('src and dst must be of the same address family');
  if (src) f.src = { addr: src.addr, prefixlen: src.prefixlen };
  if (dst) f.dst = { addr: dst.addr, prefixlen: dst.prefixlen };
  return f;
}

/** Parse `state flush [proto P]`: the protocol (default: any). */
export function parseStateFlush(words: readonly string[]): number | undefined {
  const w: Words = new Words(words, USAGE['state flush']);
  let proto: number | undefined;
  while (!w.done) {
    const kw = w.take();
    if (kw === 'proto') proto = parseSaProto(w.value(kw), w.usage, true);
    else w.unknown(kw);
  }
  return proto;
}

/** Parse `state allocspi …`. */
export function parseAllocSpi(words: readonly string[]): AllocSpiInput {
  const w: Words = new Words(words, USAGE['state allocspi']);
  const id: IdWords = {};
  const out: Partial<AllocSpiInput> = {};
  while (!w.done) {
    const kw = w.take();
    // src, dst, proto and mark as for every SA identity; the SPI is what the kernel picks.
    if (kw !== 'spi' && takeIdWord(kw, w, id)) continue;
    switch (kw) {
      case 'min':
        out.min = parseUint(w.value(kw), 'min', w.usage);
        break;
      case 'max':
        out.max = parseUint(w.value(kw), 'max', w.usage);
        break;
      case 'mode':
        out.mode = parseMode(w.value(kw), w.usage);
        break;
      case 'reqid':
        out.reqid = parseUint(w.value(kw), 'reqid', w.usage);
        break;
      case 'seq':
        out.acquireSeq = parseUint(w.value(kw), 'seq', w.usage);
        break;
      case 'if_id':
        out.ifId = parseUint(w.value(kw), 'if_id', w.usage);
        break;
      case 'dir':
        out.dir = parseSaDir(w.value(kw), w.usage);
        break;
      default:
        w.unknown(kw);
    }
  }
  if (id.src === undefined) w.fail('missing "src ADDR"');
  if (id.dst === undefined) w.fail('missing "dst ADDR"');
  if (id.proto === undefined) w.fail('missing "proto esp|ah|comp"');
  if (id.mark) out.mark = id.mark;
  if ((out.min === undefined) !== (out.max === undefined)) w.fail('give both "min" and "max"');
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) w.fail('min must not be above max');
  return { saddr: id.src, daddr: id.dst, proto: id.proto, ...out };
}

/**
 * Parse `state add|update` words into the SA to send. Only fields the words set are present
 * (the client fills the defaults). Replay: `replay-window N` with `flag esn` — or a window
 * above 32, which the legacy state cannot hold — becomes `replayEsn` with
 * `bmpLen = ceil(N / 32)`; otherwise `replayWindow` (+ `replay` when a sequence is given).
 */
export function parseStateAdd(words: readonly string[]): XfrmStateInput {
  const w: Words = new Words(words, USAGE['state add']);
  const id: IdWords = {};
  const s: Partial<XfrmStateInput> = {};
  let flags: number | undefined;
  let window: number | undefined;
  const rs: { seq?: number; oseq?: number; seqHi?: number; oseqHi?: number } = {};
  const limits: Partial<XfrmLifetimeCfg> = {};
  let sel: SelectorWords | undefined;
  const once = (have: unknown, kw: string): void => {
    if (have !== undefined) w.fail(`"${kw}" given twice`);
  };
  while (!w.done) {
    const kw = w.take();
    if (takeIdWord(kw, w, id)) continue;
    if (kw === 'limit' || isLimitWord(kw)) {
      takeLimits(kw, w, limits);
      continue;
    }
    switch (kw) {
      case 'mode':
        s.mode = parseMode(w.value(kw), w.usage);
        break;
      case 'reqid':
        s.reqid = parseUint(w.value(kw), 'reqid', w.usage);
        break;
      case 'seq':
        s.acquireSeq = parseUint(w.value(kw), 'seq', w.usage);
        break;
      case 'replay-window':
        window = parseUint(w.value(kw), 'replay-window', w.usage);
        break;
      case 'replay-seq':
        rs.seq = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'replay-oseq':
        rs.oseq = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'replay-seq-hi':
        rs.seqHi = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'replay-oseq-hi':
        rs.oseqHi = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'flag':
        flags = (flags ?? 0) | takeFlagList(w, kw, STATE_FLAG_NAMES);
        break;
      case 'extra-flag':
        s.extraFlags = (s.extraFlags ?? 0) | takeFlagList(w, kw, STATE_EXTRA_FLAG_NAMES);
        break;
      case 'enc': {
        once(s.crypt, kw);
        const name = w.value(kw);
        s.crypt = { name, key: parseKey(w.value(name), 'enc key', w.usage) } satisfies XfrmKeyedAlgorithm;
        break;
      }
      case 'auth': {
        once(s.auth, 'auth/auth-trunc');
        const name = w.value(kw);
        s.auth = { name, key: parseKey(w.value(name), 'auth key', w.usage) } satisfies XfrmAuthAlgorithm;
        break;
      }
      case 'auth-trunc': {
        once(s.auth, 'auth/auth-trunc');
        const name = w.value(kw);
        const key = parseKey(w.value(name), 'auth-trunc key', w.usage);
        s.auth = { name, key, truncLen: parseUint(w.value('auth-trunc key'), 'auth-trunc bits', w.usage) } satisfies XfrmAuthAlgorithm;
        break;
      }
      case 'aead': {
        once(s.aead, kw);
        const name = w.value(kw);
        const key = parseKey(w.value(name), 'aead key', w.usage);
        s.aead = { name, key, icvLen: parseUint(w.value('aead key'), 'aead icv bits', w.usage) } satisfies XfrmAeadAlgorithm;
        break;
      }
      case 'comp':
        once(s.comp, kw);
        s.comp = w.value(kw);
        break;
      case 'encap': {
        const t = w.value(kw);
        const encapType = ENCAP_TYPE_NAMES.numberOf(t);
        if (encapType === undefined) w.fail(`encap: unknown type ${quoteSafe(t)} (${ENCAP_TYPE_NAMES.names.join(', ')})`);
        const encapSport = parseUint(w.value(t), 'encap sport', w.usage, 16);
        const encapDport = parseUint(w.value('encap sport'), 'encap dport', w.usage, 16);
        const encapOa = parseAddr(w.value('encap dport'), 'encap oaddr', w.usage);
        s.encap = { encapType, encapSport, encapDport, encapOa };
        break;
      }
      case 'output-mark': {
        const m = takeMark(w, kw);
        s.outputMark = { value: m.v, mask: m.m };
        break;
      }
      case 'if_id':
        s.ifId = parseUint(w.value(kw), 'if_id', w.usage);
        break;
      case 'dir':
        s.dir = parseSaDir(w.value(kw), w.usage);
        break;
      case 'tfcpad':
        s.tfcpad = parseUint(w.value(kw), 'tfcpad', w.usage);
        break;
      case 'pcpu':
        s.pcpu = parseUint(w.value(kw), 'pcpu', w.usage);
        break;
      case 'coa':
        s.coaddr = parseAddr(w.value(kw), 'coa', w.usage);
        break;
      case 'sel': {
        sel = new SelectorWords();
        // Like ip: the selector takes every selector word that follows "sel".
        while (!w.done && SelectorWords.isKeyword(w.peek()!)) sel.take(w.take(), w);
        break;
      }
      default:
        w.unknown(kw);
    }
  }
  if (id.src === undefined) w.fail('missing "src ADDR"');
  if (id.dst === undefined) w.fail('missing "dst ADDR"');
  if (id.proto === undefined) w.fail('missing "proto esp|ah|comp"');
  if (id.spi === undefined) w.fail('missing "spi SPI"');
  if (familyOf(id.src) !== familyOf(id.dst)) {
    w.fail('src and dst must be of the same address family');
  }
  if (s.aead && (s.auth || s.crypt)) w.fail('"aead" cannot be combined with "enc" or "auth"');

  const out: XfrmStateInput = { saddr: id.src, daddr: id.dst, spi: id.spi, proto: id.proto, ...s };
  if (id.mark) out.mark = id.mark;
  if (sel) {
    if (sel.empty) w.fail('"sel" needs at least one of src, dst, proto, sport, dport, type, code');
    out.selector = sel.build(familyOf(id.dst), w.usage);
  }
  if (Object.keys(limits).length > 0) out.lifetime = { ...unlimitedLifetime(), ...limits };

  const esn = ((flags ?? 0) & XFRM_STATE_ESN) !== 0;
  const hasHi = rs.seqHi !== undefined || rs.oseqHi !== undefined;
  if (esn || (window ?? 0) > XFRM_LEGACY_REPLAY_WINDOW_MAX) {
    const win = window ?? 0;
    if (win > XFRMA_REPLAY_ESN_MAX) w.fail(`replay-window: at most ${XFRMA_REPLAY_ESN_MAX}`);
    if (hasHi && !esn) w.fail('replay-seq-hi/replay-oseq-hi need "flag esn"');
    const bmpLen = Math.ceil(win / 32);
    out.replayEsn = {
      bmpLen,
      oseq: rs.oseq ?? 0,
      seq: rs.seq ?? 0,
      oseqHi: rs.oseqHi ?? 0,
      seqHi: rs.seqHi ?? 0,
      replayWindow: win,
      bmp: new Array<number>(bmpLen).fill(0),
    };
    // Explicit flags: a large window without "flag esn" stays in BMP mode (no ESN).
    out.flags = flags ?? 0;
  } else {
    if (hasHi) w.fail('replay-seq-hi/replay-oseq-hi need "flag esn"');
    if (flags !== undefined) out.flags = flags;
    if (window !== undefined) out.replayWindow = window;
    if (rs.seq !== undefined || rs.oseq !== undefined) out.replay = { oseq: rs.oseq ?? 0, seq: rs.seq ?? 0, bitmap: 0 };
  }
  return out;
}

/** What `replay set` asks for, before the SA's kind is known. */
export interface ReplaySetRequest {
  /** The SA. */
  id: XfrmSaId;
  /** Sequence fields to change (the others keep the SA's current values). */
  oseq?: number;
  seq?: number;
  oseqHi?: number;
  seqHi?: number;
  /** Legacy 32-bit bitmap. */
  bitmap?: number;
  /** ESN/BMP bitmap words (padded with zeros to the SA's bmpLen). */
  bmp?: number[];
  /** `XFRMA_REPLAY_THRESH` (packets). */
  replayThresh?: number;
  /** `XFRMA_ETIMER_THRESH` (jiffies when written). */
  etimerThresh?: number;
}

/** Parse `replay set …`. */
export function parseReplaySet(words: readonly string[]): ReplaySetRequest {
  const w: Words = new Words(words, USAGE['replay set']);
  const id: IdWords = {};
  const r: Omit<ReplaySetRequest, 'id'> = {};
  while (!w.done) {
    const kw = w.take();
    if (takeIdWord(kw, w, id)) continue;
    switch (kw) {
      case 'oseq':
        r.oseq = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'seq':
        r.seq = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'oseq-hi':
        r.oseqHi = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'seq-hi':
        r.seqHi = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'bitmap':
        r.bitmap = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'bmp':
        r.bmp = parseWordListOrFail(w.value(kw), w);
        break;
      case 'replay-thresh':
        r.replayThresh = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'etimer-thresh':
        r.etimerThresh = parseUint(w.value(kw), kw, w.usage);
        break;
      default:
        w.unknown(kw);
    }
  }
  if (Object.keys(r).length === 0) w.fail('nothing to set');
  if (r.bitmap !== undefined && r.bmp !== undefined) w.fail('"bitmap" (legacy SAs) and "bmp" (ESN/BMP SAs) exclude each other');
  return { id: finishId(id, w), ...r };
}

function parseWordListOrFail(v: string, w: Words): number[] {
  const words = v.split(',').map((x) => parseUint(x.trim(), 'bmp', w.usage));
  if (words.length > XFRMA_REPLAY_ESN_MAX / 32) w.fail(`bmp: at most ${XFRMA_REPLAY_ESN_MAX / 32} words`);
  return words;
}
