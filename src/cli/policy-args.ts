/**
 * Parsers of the `policy …` command lines: pure functions from words to
 * {@link XfrmPolicyInput}, {@link XfrmPolicyId} and the SPD settings.
 * @module
 */
import { quoteSafe } from '../netlink/secret.js';
import { type XfrmPolicyId } from '../client/client.js';
import { template, type XfrmPolicyInput } from '../client/policy.js';
import { familyOf, unlimitedLifetime } from '../client/state.js';
import { AF_INET, XFRM_MAX_DEPTH, XFRM_POLICY_TYPE_MAIN } from '../xfrm/constants.js';
import { POLICY_ACTION_NAMES, POLICY_DEFAULT_NAMES, POLICY_FLAG_NAMES, POLICY_TYPE_NAMES } from '../xfrm/names.js';
import { type XfrmLifetimeCfg } from '../xfrm/structs/lifetime-cfg.js';
import { type XfrmuSpdhthresh } from '../xfrm/structs/spdhthresh.js';
import { type XfrmUserTmpl } from '../xfrm/structs/user-tmpl.js';
import { type XfrmUserpolicyDefault } from '../xfrm/structs/userpolicy-default.js';
import {
  isLimitWord,
  parseAddr,
  parseMode,
  parsePolicyDir,
  parseSaProto,
  parseUint,
  SelectorWords,
  takeLimits,
  takeMark,
  Words,
} from './args.js';
import { USAGE } from './usage.js';

/** `ptype main|sub`. */
export function parsePtype(v: string, usage: string, w?: Words): number {
  const n = POLICY_TYPE_NAMES.numberOf(v);
  if (n !== undefined) return n;
  const msg = `ptype: ${quoteSafe(v)} is not main or sub`;
  if (w) w.fail(msg);
  throw new Words([], usage).fail(msg);
}

/** Consume `tmpl` words (the keyword already taken) into one template. */
function takeTemplate(w: Words): XfrmUserTmpl {
  let src: string | undefined;
  let dst: string | undefined;
  let proto: number | undefined;
  const t: { spi?: number; reqid?: number; mode?: number; optional?: boolean } = {};
  const TMPL_WORDS = ['src', 'dst', 'proto', 'spi', 'reqid', 'mode', 'level'];
  while (!w.done && TMPL_WORDS.includes(w.peek()!)) {
    const kw = w.take();
    switch (kw) {
      case 'src':
        src = parseAddr(w.value(kw), 'tmpl src', w.usage);
        break;
      case 'dst':
        dst = parseAddr(w.value(kw), 'tmpl dst', w.usage);
        break;
      case 'proto':
        proto = parseSaProto(w.value(kw), w.usage);
        break;
      case 'spi':
        t.spi = parseUint(w.value(kw), 'tmpl spi', w.usage);
        break;
      case 'reqid':
        t.reqid = parseUint(w.value(kw), 'tmpl reqid', w.usage);
        break;
      case 'mode':
        t.mode = parseMode(w.value(kw), w.usage);
        break;
      case 'level': {
        const l = w.value(kw);
        if (l === 'use') t.optional = true;
        else if (l === 'required') t.optional = false;
        else w.fail(`level: ${quoteSafe(l)} is not required or use`);
        break;
      }
    }
  }
  if (proto === undefined) w.fail('tmpl: missing "proto esp|ah|comp"');
  if ((src === undefined) !== (dst === undefined)) w.fail('tmpl: give both "src" and "dst" (tunnel endpoints), or neither');
  if (src !== undefined && dst !== undefined && src.includes(':') !== dst.includes(':')) {
    w.fail('tmpl: src and dst must be of the same address family');
  }
  return template({
    proto,
    ...(dst !== undefined ? { daddr: dst, saddr: src!, family: familyOf(dst) } : {}),
    ...t,
  });
}

/** Parse `policy add|update` words. Only fields the words set are present besides selector and dir. */
export function parsePolicyAdd(words: readonly string[]): XfrmPolicyInput {
  const w: Words = new Words(words, USAGE['policy add']);
  const sel = new SelectorWords();
  const p: Partial<XfrmPolicyInput> = {};
  let dir: number | undefined;
  const templates: XfrmUserTmpl[] = [];
  const limits: Partial<XfrmLifetimeCfg> = {};
  while (!w.done) {
    const kw = w.take();
    if (sel.take(kw, w)) continue;
    if (kw === 'limit' || isLimitWord(kw)) {
      takeLimits(kw, w, limits);
      continue;
    }
    switch (kw) {
      case 'dir':
        dir = parsePolicyDir(w.value(kw), w.usage);
        break;
      case 'priority':
        p.priority = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'action': {
        const a = w.value(kw);
        p.action = POLICY_ACTION_NAMES.numberOf(a) ?? w.fail(`action: ${quoteSafe(a)} is not allow or block`);
        break;
      }
      case 'index':
        p.index = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'ptype':
        p.type = parsePtype(w.value(kw), w.usage, w);
        break;
      case 'mark':
        p.mark = takeMark(w, kw);
        break;
      case 'if_id':
        p.ifId = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'flag': {
        let flags = 0;
        const one = (f: string): number => POLICY_FLAG_NAMES.numberOf(f) ?? (/^(0x[0-9a-fA-F]+|\d+)$/.test(f) ? parseUint(f, kw, w.usage, 8) : w.fail(`flag: unknown policy flag ${quoteSafe(f)} (${POLICY_FLAG_NAMES.names.join(', ')})`));
        flags |= one(w.value(kw));
        while (w.peek() !== undefined && POLICY_FLAG_NAMES.numberOf(w.peek()!) !== undefined) flags |= one(w.take());
        p.flags = (p.flags ?? 0) | flags;
        break;
      }
      case 'tmpl':
        templates.push(takeTemplate(w));
        break;
      default:
        w.unknown(kw);
    }
  }
  if (dir === undefined) w.fail('missing "dir in|out|fwd"');
  if (templates.length > XFRM_MAX_DEPTH) w.fail(`at most ${XFRM_MAX_DEPTH} templates`);
  if (p.index !== undefined && p.index !== 0 && (p.index & 7) !== dir) w.fail('index: the kernel requires index & 7 == dir');
  const fallback = templates.find((t) => t.family !== 0)?.family ?? AF_INET;
  const out: XfrmPolicyInput = { selector: sel.build(fallback, w.usage), dir, ...p };
  if (templates.length > 0) out.templates = templates;
  if (Object.keys(limits).length > 0) out.lifetime = { ...unlimitedLifetime(), ...limits };
  return out;
}

/** Parse `policy get|delete` words: by index, or by selector and direction. */
export function parsePolicyId(words: readonly string[], usage: string = USAGE['policy get']): XfrmPolicyId {
  const w: Words = new Words(words, usage);
  const sel = new SelectorWords();
  let dir: number | undefined;
  let index: number | undefined;
  const extra: { type?: number; mark?: { v: number; m: number }; ifId?: number } = {};
  while (!w.done) {
    const kw = w.take();
    if (sel.take(kw, w)) continue;
    switch (kw) {
      case 'dir':
        dir = parsePolicyDir(w.value(kw), w.usage);
        break;
      case 'index':
        index = parseUint(w.value(kw), kw, w.usage);
        break;
      case 'ptype':
        extra.type = parsePtype(w.value(kw), w.usage, w);
        break;
      case 'mark':
        extra.mark = takeMark(w, kw);
        break;
      case 'if_id':
        extra.ifId = parseUint(w.value(kw), kw, w.usage);
        break;
      default:
        w.unknown(kw);
    }
  }
  if (dir === undefined) w.fail('missing "dir in|out|fwd"');
  if (index !== undefined) {
    if (!sel.empty) w.fail('give either "index N" or a selector, not both');
    return { index, dir, ...extra };
  }
  if (sel.empty) w.fail('give a selector (src PREFIX dst PREFIX ...) or "index N"');
  return { selector: sel.build(AF_INET, w.usage), dir, ...extra };
}

/** Parse `policy list [dir D]`: the direction filter. */
export function parsePolicyList(words: readonly string[]): { dir?: number } {
  const w: Words = new Words(words, USAGE['policy list']);
  const out: { dir?: number } = {};
  while (!w.done) {
    const kw = w.take();
    if (kw === 'dir') out.dir = parsePolicyDir(w.value(kw), w.usage);
    else w.unknown(kw);
  }
  return out;
}

/** Parse `policy flush [ptype P]`: the policy type. */
export function parsePolicyFlush(words: readonly string[]): number {
  const w: Words = new Words(words, USAGE['policy flush']);
  let type = XFRM_POLICY_TYPE_MAIN;
  while (!w.done) {
    const kw = w.take();
    if (kw === 'ptype') type = parsePtype(w.value(kw), w.usage, w);
    else w.unknown(kw);
  }
  return type;
}

/** Parse `policy default …`; `undefined` = show. */
export function parsePolicyDefault(words: readonly string[]): Partial<XfrmUserpolicyDefault> | undefined {
  if (words.length === 0) return undefined;
  const w: Words = new Words(words, USAGE['policy default']);
  const out: Partial<XfrmUserpolicyDefault> = {};
  while (!w.done) {
    const kw = w.take();
    if (kw !== 'in' && kw !== 'fwd' && kw !== 'out') w.unknown(kw);
    const v = w.value(kw);
    out[kw] = POLICY_DEFAULT_NAMES.numberOf(v) ?? w.fail(`${kw}: ${quoteSafe(v)} is not accept or block`);
  }
  return out;
}

/** Parse `policy hthresh …`; `undefined` = show. */
export function parseHthresh(words: readonly string[]): { ipv4?: XfrmuSpdhthresh; ipv6?: XfrmuSpdhthresh } | undefined {
  if (words.length === 0) return undefined;
  const w: Words = new Words(words, USAGE['policy hthresh']);
  const out: { ipv4?: XfrmuSpdhthresh; ipv6?: XfrmuSpdhthresh } = {};
  while (!w.done) {
    const kw = w.take();
    const v6 = kw === '6' || kw === 'hthresh6';
    if (!v6 && kw !== '4' && kw !== 'hthresh4') w.unknown(kw);
    const max = v6 ? 128 : 32;
    const lbits = parseUint(w.value(kw), 'lbits', w.usage, 8);
    const rbits = parseUint(w.value('lbits'), 'rbits', w.usage, 8);
    if (lbits > max || rbits > max) w.fail(`hthresh${v6 ? 6 : 4}: prefix lengths are at most ${max}`);
    out[v6 ? 'ipv6' : 'ipv4'] = { lbits, rbits };
  }
  return out;
}
