/**
 * The keyword grammar engine of the CLI. A command's words are `keyword value…` groups in any
 * order, like `ip xfrm`; each command describes its keywords in a table, a {@link Grammar}
 * (keyword → field of the parsed "bag", value parser, how a repeat combines), and this one
 * engine walks the words against it. Missing-keyword errors and usage fragments are derived
 * from the same rows ({@link need}, {@link usageOf}), so a keyword is added in one place.
 * @module
 */
import { quoteSafe } from '../netlink/secret.js';
import { type NameTable } from '../xfrm/names.js';
import { orList, parseAddr, parsePrefix, parseU64, parseUint, Words, type Prefix } from './args.js';

/** Reads the value word(s) of keyword `kw` (already taken) from the cursor. */
export type Value<V> = (w: Words, kw: string) => V;

type NumberFields<B> = { [K in keyof B]-?: NonNullable<B[K]> extends number ? K : never }[keyof B];
type ListFields<B> = { [K in keyof B]-?: NonNullable<B[K]> extends readonly unknown[] ? K : never }[keyof B];
type ElementOf<T> = T extends readonly (infer E)[] ? E : never;

/** Shown in usage text and in the "missing" error: `dst ADDR` has `arg: 'ADDR'`. */
interface RuleDoc {
  /** What follows the keyword, as the usage line writes it (`ADDR`, `in|out|fwd`). */
  arg?: string;
}

/** Store the value in `field`; a repeat overwrites, or fails when `once` is set. */
type SetRule<B> = {
  [K in keyof B]-?: RuleDoc & {
    field: K;
    value: Value<NonNullable<B[K]>>;
    /** Refuse a second value: `true` names the keyword, a string names a keyword group (`auth/auth-trunc`). */
    once?: true | string;
  };
}[keyof B];

/** OR the value into the number `field` (flag lists may repeat). */
type OrRule<B> = { [K in NumberFields<B>]-?: RuleDoc & { field: K; value: Value<number>; combine: 'or' } }[NumberFields<B>];

/** Append the value to the list `field` (`tmpl …` may repeat). */
type PushRule<B> = { [K in ListFields<B>]-?: RuleDoc & { field: K; value: Value<ElementOf<NonNullable<B[K]>>>; combine: 'push' } }[ListFields<B>];

/** A keyword that is not a plain field (it fills a nested bag, say). */
type TakeRule<B> = RuleDoc & { take: (w: Words, bag: B, kw: string) => void };

/** One row of a {@link Grammar}. */
export type Rule<B> = SetRule<B> | OrRule<B> | PushRule<B> | TakeRule<B>;

/** A command's keywords: keyword → {@link Rule}, filling a bag of type `B`. */
export type Grammar<B> = Readonly<Record<string, Rule<B>>>;

/** The rule of `kw`, if the grammar has that keyword (own keys only: `constructor` is a word). */
export function ruleOf<B>(g: Grammar<B>, kw: string): Rule<B> | undefined {
  return Object.hasOwn(g, kw) ? g[kw] : undefined;
}

function apply<B>(rule: Rule<B>, w: Words, bag: B, kw: string): void {
  if ('take' in rule) {
    rule.take(w, bag, kw);
    return;
  }
  const b = bag as Record<PropertyKey, unknown>;
  const field = rule.field;
  if ('once' in rule && rule.once !== undefined && b[field] !== undefined) {
    w.fail(`"${rule.once === true ? kw : rule.once}" given twice`);
  }
  const v: unknown = rule.value(w, kw);
  if (!('combine' in rule)) b[field] = v;
  else if (rule.combine === 'or') b[field] = (((b[field] as number | undefined) ?? 0) | (v as number)) >>> 0;
  else ((b[field] ??= []) as unknown[]).push(v);
}

/** Walk every remaining word against `g` into `bag`; an unknown keyword is a usage error. */
export function parseKeywords<B>(g: Grammar<B>, w: Words, bag: B): B {
  while (!w.done) {
    const kw = w.take();
    const rule = ruleOf(g, kw);
    if (rule === undefined) w.unknown(kw);
    apply(rule, w, bag, kw);
  }
  return bag;
}

/** Take keywords of `g` while the next word is one (a nested group: `sel …`, `tmpl …`). */
export function takeWhile<B>(g: Grammar<B>, w: Words, bag: B): B {
  while (!w.done && ruleOf(g, w.peek()!) !== undefined) {
    const kw = w.take();
    apply(ruleOf(g, kw)!, w, bag, kw);
  }
  return bag;
}

/** What {@link missing}, {@link need} and {@link usageOf} read of a grammar: the keywords' `arg`. */
export type GrammarDocs = Readonly<Record<string, RuleDoc>>;

function argOf(g: GrammarDocs, kw: string): string | undefined {
  return Object.hasOwn(g, kw) ? g[kw]!.arg : undefined;
}

/** The "missing" error text of keyword `kw`: `missing "dst ADDR"`. */
export function missing(g: GrammarDocs, kw: string): string {
  const arg = argOf(g, kw);
  return `missing "${arg === undefined ? kw : `${kw} ${arg}`}"`;
}

/**
 * Fail with {@link missing} unless the field of keyword `kw` was given. Fields named after
 * their keyword (`src`, `dst`, `proto`, `spi`, `dir`) let the compiler narrow the bag;
 * `context` prefixes the message (`tmpl: `).
 */
export function need<B, K extends keyof B & string>(
  g: GrammarDocs,
  w: Words,
  bag: B,
  kw: K,
  context = '',
): asserts bag is B & { [P in K]-?: NonNullable<B[P]> } {
  if (bag[kw] === undefined) w.fail(`${context}${missing(g, kw)}`);
}

/** A usage fragment from the grammar rows: `required` as `kw ARG`, then `optional` as `[kw ARG]`. */
export function usageOf(g: GrammarDocs, required: readonly string[], optional: readonly string[] = []): string {
  const one = (kw: string): string => {
    const arg = argOf(g, kw);
    return arg === undefined ? kw : `${kw} ${arg}`;
  };
  return [...required.map(one), ...optional.map((kw) => `[${one(kw)}]`)].join(' ');
}

/** Lift a nested grammar into a bag field: its keywords fill `bag[field]` (created on first use). */
export function nested<B, K extends keyof B, N>(field: K, g: Grammar<N>, make: () => N): Grammar<B> {
  const out: Record<string, Rule<B>> = {};
  for (const kw of Object.keys(g)) {
    out[kw] = {
      arg: g[kw]!.arg,
      take: (w, bag, k) => apply(g[k]!, w, ((bag as Record<PropertyKey, unknown>)[field] ??= make()) as N, k),
    } as TakeRule<B>;
  }
  return out;
}

// ---- value parsers: one line each in the tables ----

/** An unsigned number of `bits` bits; errors name `what` (default: the keyword). */
export const uint =
  (what?: string, bits?: number): Value<number> =>
  (w, kw) =>
    parseUint(w.value(kw), what ?? kw, w.usage, bits);

/** An unsigned 64-bit number (or `inf`). */
export const u64 = (): Value<bigint> => (w, kw) => parseU64(w.value(kw), kw, w.usage);

/** An IPv4/IPv6 address; errors name `what` (default: the keyword). */
export const addr =
  (what?: string): Value<string> =>
  (w, kw) =>
    parseAddr(w.value(kw), what ?? kw, w.usage);

/** `ADDR[/PLEN]`; errors name `what` (default: the keyword). */
export const prefix =
  (what?: string): Value<Prefix> =>
  (w, kw) =>
    parsePrefix(w.value(kw), what ?? kw, w.usage);

/** A word parsed by one of the `args.ts` vocabulary parsers (`parseMode`, `parseSaDir`…). */
export const word =
  <V>(parse: (v: string, usage: string) => V): Value<V> =>
  (w, kw) =>
    parse(w.value(kw), w.usage);

/** A name of `table` (`allow|block`…); anything else is `kw: "x" is not allow or block`. */
export const named =
  (table: NameTable): Value<number> =>
  (w, kw) => {
    const v = w.value(kw);
    return table.numberOf(v) ?? w.fail(`${kw}: ${quoteSafe(v)} is not ${orList(table.names)}`);
  };

/** How {@link flagList} reads numbers and names an unknown flag. */
export interface FlagListStyle {
  /** Bits of a flag given as a number (default 32). */
  bits?: number;
  /** `flag: unknown <noun> "x" (…)` (default `flag`). */
  noun?: string;
  /** Before the list of known names in that message (default `known: `). */
  known?: string;
}

/** A row reading one name of `table` into `field`; its usage `arg` is the table's names (`in|out|fwd`). */
export const nameRow = <K extends string>(field: K, table: NameTable): { field: K; value: Value<number>; arg: string } => ({
  field,
  value: named(table),
  arg: table.names.join('|'),
});

/**
 * A flag list after the keyword: `flag noecn esn` or `flag 0x81` (a number of at most `bits`
 * bits); the list goes on while the next word is a flag name of `table`.
 */
export const flagList =
  (table: NameTable, { bits = 32, noun = 'flag', known = 'known: ' }: FlagListStyle = {}): Value<number> =>
  (w, kw) => {
    const one = (f: string): number =>
      table.numberOf(f) ??
      (/^(0x[0-9a-fA-F]+|\d+)$/.test(f) ? parseUint(f, kw, w.usage, bits) : w.fail(`${kw}: unknown ${noun} ${quoteSafe(f)} (${known}${table.names.join(', ')})`));
    let flags = one(w.value(kw));
    while (w.peek() !== undefined && table.numberOf(w.peek()!) !== undefined) flags |= one(w.take());
    return flags >>> 0;
  };
