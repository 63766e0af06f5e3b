/**
 * Parsers of the `policy …` command lines: pure functions from words to
 * {@link XfrmPolicyInput}, {@link XfrmPolicyId} and the SPD settings, each a keyword table
 * ({@link Grammar}) walked by the one engine of `grammar.ts`.
 * @module
 */
import { quoteSafe } from '../netlink/secret.js';
import { type XfrmPolicyId } from '../client/client.js';
import { template, type XfrmPolicyInput } from '../client/policy.js';
import { familyOf, unlimitedLifetime } from '../client/state.js';
import { AF_INET, AF_INET6, XFRM_MAX_DEPTH, XFRM_POLICY_TYPE_MAIN } from '../xfrm/constants.js';
import { POLICY_ACTION_NAMES, POLICY_DEFAULT_NAMES, POLICY_DIR_NAMES, POLICY_FLAG_NAMES, POLICY_TYPE_NAMES } from '../xfrm/names.js';
import { type XfrmuSpdhthresh } from '../xfrm/structs/spdhthresh.js';
import { type XfrmUserTmpl } from '../xfrm/structs/user-tmpl.js';
import { type XfrmUserpolicyDefault } from '../xfrm/structs/userpolicy-default.js';
import { type XfrmMark } from '../xfrm/structs/mark.js';
import { addressBits, parseMode, parseSaProto, parseUint, Words } from './args.js';
import {
  buildSelector,
  limitWords,
  markValue,
  selectorEmpty,
  SELECTOR_WORDS,
  type LimitsBag,
  type SelectorBag,
} from './common-words.js';
import { addr, flagList, nameRow, need, nested, parseKeywords, takeWhile, uint, word, type Grammar, type Value } from './grammar.js';
import { USAGE } from './usage.js';


/**
 * The kernel keeps a policy's direction in the low bits of its index
 * (`xfrm_policy_id2dir`: `index & 7`), so a given index must agree with `dir`.
 */
const POLICY_INDEX_DIR_MASK = 7;

interface TmplBag {
  src?: string;
  dst?: string;
  proto?: number;
  spi?: number;
  reqid?: number;
  mode?: number;
  optional?: boolean;
}

const TMPL_WORDS = {
  src: { field: 'src', value: addr('tmpl src'), arg: 'ADDR' },
  dst: { field: 'dst', value: addr('tmpl dst'), arg: 'ADDR' },
  proto: { field: 'proto', value: word(parseSaProto), arg: 'esp|ah|comp' },
  spi: { field: 'spi', value: uint('tmpl spi'), arg: 'SPI' },
  reqid: { field: 'reqid', value: uint('tmpl reqid'), arg: 'R' },
  mode: { field: 'mode', value: word(parseMode), arg: 'M' },
  level: {
    field: 'optional',
    value: (w, kw) => {
      const l = w.value(kw);
      // "use": the template may be skipped (optional); "required": it must match.
      return l === 'use' ? true : l === 'required' ? false : w.fail(`level: ${quoteSafe(l)} is not required or use`);
    },
    arg: 'required|use',
  },
} as const satisfies Grammar<TmplBag>;

/** `tmpl …` (the keyword already taken): the template words that follow. */
const tmplValue: Value<XfrmUserTmpl> = (w) => {
  const bag = takeWhile<TmplBag>(TMPL_WORDS, w, {});
  need(TMPL_WORDS, w, bag, 'proto', 'tmpl: ');
  const { src, dst, proto, ...t } = bag;
  if ((src === undefined) !== (dst === undefined)) w.fail('tmpl: give both "src" and "dst" (tunnel endpoints), or neither');
  if (src !== undefined && dst !== undefined && familyOf(src) !== familyOf(dst)) {
    w.fail('tmpl: src and dst must be of the same address family');
  }
  return template({
    proto,
    ...(dst !== undefined ? { daddr: dst, saddr: src!, family: familyOf(dst) } : {}),
    ...t,
  });
};

/** Keywords of `policy get|delete` and `policy add` beyond the selector. */
interface PolicyIdBag {
  sel?: SelectorBag;
  dir?: number;
  index?: number;
  type?: number;
  mark?: XfrmMark;
  ifId?: number;
}

const POLICY_ID_WORDS = {
  ...nested<PolicyIdBag, 'sel', SelectorBag>('sel', SELECTOR_WORDS, () => ({})),
  dir: nameRow('dir', POLICY_DIR_NAMES),
  index: { field: 'index', value: uint(), arg: 'N' },
  ptype: nameRow('type', POLICY_TYPE_NAMES),
  mark: { field: 'mark', value: markValue, arg: 'V[/M]' },
  if_id: { field: 'ifId', value: uint(), arg: 'N' },
} as const satisfies Grammar<PolicyIdBag>;

type PolicyAddBag = PolicyIdBag & LimitsBag & Pick<XfrmPolicyInput, 'priority' | 'action' | 'flags' | 'templates'>;

const POLICY_ADD_WORDS: Grammar<PolicyAddBag> = {
  ...POLICY_ID_WORDS,
  ...limitWords<PolicyAddBag>(),
  priority: { field: 'priority', value: uint(), arg: 'N' },
  action: nameRow('action', POLICY_ACTION_NAMES),
  flag: { field: 'flags', value: flagList(POLICY_FLAG_NAMES, { bits: 8, noun: 'policy flag', known: '' }), combine: 'or', arg: 'FLAG...' },
  tmpl: { field: 'templates', value: tmplValue, combine: 'push', arg: 'TEMPLATE...' },
};

/** Parse `policy add|update` words. Only fields the words set are present besides selector and dir. */
export function parsePolicyAdd(words: readonly string[]): XfrmPolicyInput {
  const w: Words = new Words(words, USAGE['policy add']);
  const { sel, limits, ...p } = parseKeywords<PolicyAddBag>(POLICY_ADD_WORDS, w, {});
  need(POLICY_ADD_WORDS, w, p, 'dir');
  const templates = p.templates ?? [];
  if (templates.length > XFRM_MAX_DEPTH) w.fail(`at most ${XFRM_MAX_DEPTH} templates`);
  if (p.index !== undefined && p.index !== 0 && (p.index & POLICY_INDEX_DIR_MASK) !== p.dir) w.fail('index: the kernel requires index & 7 == dir');
  const fallback = templates.find((t) => t.family !== 0)?.family ?? AF_INET;
  const out: XfrmPolicyInput = { selector: buildSelector(sel ?? {}, fallback, w.usage), ...p };
  if (limits) out.lifetime = { ...unlimitedLifetime(), ...limits };
  return out;
}

/** Parse `policy get|delete` words: by index, or by selector and direction. */
export function parsePolicyId(words: readonly string[], usage: string = USAGE['policy get']): XfrmPolicyId {
  const w: Words = new Words(words, usage);
  const { sel, index, ...extra } = parseKeywords<PolicyIdBag>(POLICY_ID_WORDS, w, {});
  need(POLICY_ID_WORDS, w, extra, 'dir');
  if (index !== undefined) {
    if (!selectorEmpty(sel)) w.fail('give either "index N" or a selector, not both');
    return { index, ...extra };
  }
  if (sel === undefined || selectorEmpty(sel)) w.fail('give a selector (src PREFIX dst PREFIX ...) or "index N"');
  return { selector: buildSelector(sel, AF_INET, w.usage), ...extra };
}

/** Parse `policy list [dir D]`: the direction filter. */
export function parsePolicyList(words: readonly string[]): { dir?: number } {
  return parseKeywords<{ dir?: number }>({ dir: POLICY_ID_WORDS.dir }, new Words(words, USAGE['policy list']), {});
}

/** Parse `policy flush [ptype P]`: the policy type. */
export function parsePolicyFlush(words: readonly string[]): number {
  const bag = parseKeywords<{ type?: number }>({ ptype: POLICY_ID_WORDS.ptype }, new Words(words, USAGE['policy flush']), {});
  return bag.type ?? XFRM_POLICY_TYPE_MAIN;
}

const DEFAULT_WORDS = {
  in: nameRow('in', POLICY_DEFAULT_NAMES),
  fwd: nameRow('fwd', POLICY_DEFAULT_NAMES),
  out: nameRow('out', POLICY_DEFAULT_NAMES),
} as const satisfies Grammar<Partial<XfrmUserpolicyDefault>>;

/** Parse `policy default …`; `undefined` = show. */
export function parsePolicyDefault(words: readonly string[]): Partial<XfrmUserpolicyDefault> | undefined {
  if (words.length === 0) return undefined;
  return parseKeywords<Partial<XfrmUserpolicyDefault>>(DEFAULT_WORDS, new Words(words, USAGE['policy default']), {});
}

/** `LBITS RBITS` of one address family, each at most the family's address length. */
const thresh =
  (family: number): Value<XfrmuSpdhthresh> =>
  (w, kw) => {
    const max = addressBits(family);
    const lbits = parseUint(w.value(kw), 'lbits', w.usage, 8);
    const rbits = parseUint(w.value('lbits'), 'rbits', w.usage, 8);
    if (lbits > max || rbits > max) w.fail(`hthresh${family === AF_INET6 ? 6 : 4}: prefix lengths are at most ${max}`);
    return { lbits, rbits };
  };

interface HthreshBag {
  ipv4?: XfrmuSpdhthresh;
  ipv6?: XfrmuSpdhthresh;
}

const HTHRESH4 = { field: 'ipv4', value: thresh(AF_INET), arg: 'LBITS RBITS' } as const;
const HTHRESH6 = { field: 'ipv6', value: thresh(AF_INET6), arg: 'LBITS RBITS' } as const;
const HTHRESH_WORDS = { '4': HTHRESH4, hthresh4: HTHRESH4, '6': HTHRESH6, hthresh6: HTHRESH6 } as const satisfies Grammar<HthreshBag>;

/** Parse `policy hthresh …`; `undefined` = show. */
export function parseHthresh(words: readonly string[]): HthreshBag | undefined {
  if (words.length === 0) return undefined;
  return parseKeywords<HthreshBag>(HTHRESH_WORDS, new Words(words, USAGE['policy hthresh']), {});
}
