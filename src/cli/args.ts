/**
 * The small hand-written argument toolkit of the CLI: a cursor over the words of a command,
 * and parsers for the values `ip xfrm` users type (addresses, prefixes, SPIs, marks, keys,
 * protocol/mode/direction names). Everything throws {@link CliError} with EXIT_USAGE and the
 * usage line of the command being parsed.
 * @module
 */
import { hexProblem, quoteSafe } from '../netlink/secret.js';
import { formatXfrmAddress, parseXfrmAddress } from '../xfrm/structs/address.js';
import { familyOf } from '../client/state.js';
import { AF_INET6, IPSEC_PROTO_ANY } from '../xfrm/constants.js';
import { MODE_NAMES, POLICY_DIR_NAMES, SA_DIR_NAMES, SA_PROTO_NAMES, SELECTOR_PROTO_NAMES } from '../xfrm/names.js';
import { type XfrmMark } from '../xfrm/structs/mark.js';
import { CliError, EXIT_USAGE } from './exit-codes.js';

/** A cursor over the words of one command, knowing the usage line to show on errors. */
export class Words {
  private i = 0;
  /** @param words the words after the command name. @param usage the command's usage line(s). */
  constructor(
    readonly words: readonly string[],
    readonly usage: string,
  ) {}

  /** True when every word was consumed. */
  get done(): boolean {
    return this.i >= this.words.length;
  }

  /** The next word without consuming it. */
  peek(): string | undefined {
    return this.words[this.i];
  }

  /** Consume the next word if it equals `w`. */
  accept(w: string): boolean {
    if (this.words[this.i] === w) {
      this.i++;
      return true;
    }
    return false;
  }

  /** Consume and return the next word (the keyword itself when walking a keyword list). */
  take(): string {
    const w = this.words[this.i];
    if (w === undefined) this.fail('unexpected end of arguments');
    this.i++;
    return w;
  }

  /** Consume the value that follows keyword `after`. */
  value(after: string): string {
    const w = this.words[this.i];
    if (w === undefined) this.fail(`missing value after "${after}"`);
    this.i++;
    return w;
  }

  /** Throw a usage error naming the problem, followed by the usage line. */
  fail(message: string): never {
    throw usageError(message, this.usage);
  }

  /** Throw the standard "unknown word" usage error for the word just taken. */
  unknown(word: string): never {
    this.fail(`unexpected ${quoteSafe(word)}`);
  }
}

/** A usage error (exit 2) with the relevant usage line. */
export function usageError(message: string, usage?: string): CliError {
  return new CliError(usage ? `${message}\nusage: ${usage}` : message, EXIT_USAGE);
}

function bad(what: string, v: string, usage: string, expect: string): never {
  // quoteSafe: a key typed in the wrong place is described, never echoed.
  throw usageError(`${what}: ${quoteSafe(v)} is not ${expect}`, usage);
}

/** An unsigned integer (decimal or 0x hex) of at most `bits` bits (≤ 32). */
export function parseUint(v: string, what: string, usage: string, bits = 32): number {
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(v)) bad(what, v, usage, 'a number');
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0 || n > 2 ** bits - 1) bad(what, v, usage, `a ${bits}-bit unsigned number`);
  return n;
}

/** An unsigned 64-bit integer (decimal or 0x hex) as a bigint; `inf` gives 2^64 − 1. */
export function parseU64(v: string, what: string, usage: string): bigint {
  if (v === 'inf' || v === 'INF') return 0xffffffffffffffffn;
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(v)) bad(what, v, usage, 'a number');
  const n = BigInt(v);
  if (n > 0xffffffffffffffffn) bad(what, v, usage, 'a 64-bit unsigned number');
  return n;
}

/** An IPv4 or IPv6 address, returned in canonical text form. */
export function parseAddr(v: string, what: string, usage: string): string {
  try {
    return formatXfrmAddress(parseXfrmAddress(v), familyOf(v));
  } catch {
    bad(what, v, usage, 'an IPv4 or IPv6 address');
  }
}

/** An address with optional `/prefixlen` (default: the full length). */
export interface Prefix {
  /** Canonical address. */
  addr: string;
  /** Prefix length. */
  prefixlen: number;
  /** `AF_INET` or `AF_INET6`. */
  family: number;
}

/** The length in bits of an address of `family` (`AF_INET6`: 128, else 32): the longest prefix. */
export function addressBits(family: number): number {
  return family === AF_INET6 ? 128 : 32;
}

/** `ADDR[/PLEN]`. */
export function parsePrefix(v: string, what: string, usage: string): Prefix {
  const slash = v.indexOf('/');
  const addr = parseAddr(slash >= 0 ? v.slice(0, slash) : v, what, usage);
  const family = familyOf(addr);
  const max = addressBits(family);
  if (slash < 0) return { addr, prefixlen: max, family };
  const plen = v.slice(slash + 1);
  if (!/^\d{1,3}$/.test(plen) || Number(plen) > max) bad(what, v, usage, `an address with a prefix length of 0–${max}`);
  return { addr, prefixlen: Number(plen), family };
}

/** Key material: `0x` followed by an even number of hex digits. */
export function parseKey(v: string, what: string, usage: string): Uint8Array {
  const problem = hexProblem(v, true);
  // Name the field and the problem, never the value: it is (nearly) a key.
  if (problem !== undefined) throw usageError(`${what}: not a key in 0x hex (an even number of hex digits): ${problem}`, usage);
  return Uint8Array.from(Buffer.from(v.slice(2), 'hex'));
}

/** A list of hex or decimal 32-bit words separated by commas (`0x1,0x0,0xff`). */
export function parseWordList(v: string, what: string, usage: string): number[] {
  return v.split(',').map((w) => parseUint(w.trim(), what, usage));
}

/** `V[/M]`; a mask may also follow as `mask M` (handled by the caller). Default mask 0xffffffff. */
export function parseMark(v: string, what: string, usage: string): XfrmMark {
  const [val, mask] = v.split('/', 2) as [string, string | undefined];
  return { v: parseUint(val, what, usage), m: mask === undefined ? 0xffffffff : parseUint(mask, `${what} mask`, usage) };
}

/** The words of a list for a message: `in or out`, `in, out or fwd`. */
export function orList(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]!}`;
}

/** A number typed as digits where a name is expected (`proto 50`, `mode 1`). */
function parseNumberWord(v: string, what: string, usage: string): number | undefined {
  return /^\d+$/.test(v) ? parseUint(v, what, usage, 8) : undefined;
}

/** XFRM protocol name (`esp`, `ah`, `comp`, `route2`, `hao`; `any` if `allowAny`) or number. */
export function parseSaProto(v: string, usage: string, allowAny = false): number {
  const n = SA_PROTO_NAMES.numberOf(v);
  // "any" is the flush wildcard: an SA itself never has it.
  if (n !== undefined && (allowAny || n !== IPSEC_PROTO_ANY)) return n;
  const named = SA_PROTO_NAMES.names.filter((name) => name !== 'any').join(', ');
  return parseNumberWord(v, 'proto', usage) ?? bad('proto', v, usage, `one of ${named}${allowAny ? ', any' : ''} or a number`);
}

/** Upper-layer protocol of a selector (`tcp`, `udp`, `icmp`, `ipv6-icmp`, … or a number). */
export function parseUpperProto(v: string, usage: string): number {
  return (
    SELECTOR_PROTO_NAMES.numberOf(v) ??
    parseNumberWord(v, 'proto', usage) ??
    bad('proto', v, usage, `${SELECTOR_PROTO_NAMES.names.join(', ')} or a number`)
  );
}

/** `transport`, `tunnel`, `beet`, `ro`, `in_trigger`, `iptfs`, or a number. */
export function parseMode(v: string, usage: string): number {
  return MODE_NAMES.numberOf(v) ?? parseNumberWord(v, 'mode', usage) ?? bad('mode', v, usage, `one of ${MODE_NAMES.names.join(', ')}`);
}

/** SA direction `in` / `out` (XFRMA_SA_DIR). */
export function parseSaDir(v: string, usage: string): number {
  return SA_DIR_NAMES.numberOf(v) ?? bad('dir', v, usage, orList(SA_DIR_NAMES.names));
}

/** Policy direction `in` / `out` / `fwd`. */
export function parsePolicyDir(v: string, usage: string): number {
  return POLICY_DIR_NAMES.numberOf(v) ?? bad('dir', v, usage, orList(POLICY_DIR_NAMES.names));
}

/**
 * Split a command's own `--options` from its words. `known` maps each option to `'flag'` or
 * `'value'` (a value follows, or `--opt=value`). Unknown `--options` are usage errors.
 */
export function takeOptions(
  words: readonly string[],
  known: Record<string, 'flag' | 'value'>,
  usage: string,
): { rest: string[]; options: Map<string, string | true> } {
  const rest: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < words.length; i++) {
    const a = words[i]!;
    if (!a.startsWith('--') || a === '--') {
      rest.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(0, eq) : a;
    const kind = known[name];
    if (kind === undefined) throw usageError(`unknown option ${name}`, usage);
    if (kind === 'flag') {
      if (eq >= 0) throw usageError(`${name} takes no value`, usage);
      options.set(name, true);
    } else if (eq >= 0) {
      options.set(name, a.slice(eq + 1));
    } else {
      const v = words[i + 1];
      if (v === undefined) throw usageError(`missing value after ${name}`, usage);
      options.set(name, v);
      i++;
    }
  }
  return { rest, options };
}
