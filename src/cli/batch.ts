/**
 * Bulk input of `state add --batch` / `policy add --batch`: JSON lines, one
 * {@link XfrmStateInput} or {@link XfrmPolicyInput} per line in the JSON form the CLI prints
 * with `--json --show-keys` (bigint fields as decimal strings, bytes as `0x` hex). The reviver
 * knows the field names of those types: it converts what needs converting, fills the
 * defaults of partial selectors, lifetimes and templates, rejects unknown fields (typos) and
 * drops read-only ones (`stats`, `lastUsed`).
 * @module
 */
import { template, type XfrmPolicyInput } from '../client/policy.js';
import { IPTFS_FIELDS, SA_FIELD_NAMES, SA_PLAIN_BY_FIELD, type SaPlainField, type SaSpecialField } from '../client/sa-fields.js';
import { anySelector, familyOf, unlimitedLifetime, type XfrmState, type XfrmStateInput } from '../client/state.js';
import { hexProblem, jsonErrorText, quoteSafe } from '../netlink/secret.js';
import { xfrmAddressCodec, xfrmAttrSpace, type XfrmAttrName } from '../xfrm/attributes.js';
import { AF_INET } from '../xfrm/constants.js';
import { REDACTED } from '../xfrm/json.js';
import { parseXfrmAddress } from '../xfrm/structs/address.js';

/** A field kind; a trailing `?` makes the field optional. */
type Kind = 'u8' | 'u16' | 'u32' | 'i32' | 'str' | 'addr' | 'u64' | 'bytes' | 'bool' | 'u32[]' | Schema | { array: Schema };
interface Field {
  kind: Kind;
  optional: boolean;
}
type Schema = { [name: string]: Field };

const f = (kind: Kind): Field => ({ kind, optional: false });
const o = (kind: Kind): Field => ({ kind, optional: true });

const SELECTOR: Schema = {
  daddr: f('addr'),
  saddr: f('addr'),
  dport: f('u16'),
  dportMask: f('u16'),
  sport: f('u16'),
  sportMask: f('u16'),
  family: f('u16'),
  prefixlenD: f('u8'),
  prefixlenS: f('u8'),
  proto: f('u8'),
  ifindex: f('i32'),
  user: f('u32'),
};
const LIFETIME_CFG: Schema = Object.fromEntries(
  [
    'softByteLimit',
    'hardByteLimit',
    'softPacketLimit',
    'hardPacketLimit',
    'softAddExpiresSeconds',
    'hardAddExpiresSeconds',
    'softUseExpiresSeconds',
    'hardUseExpiresSeconds',
  ].map((k) => [k, f('u64')]),
);
const LIFETIME_CUR: Schema = { bytes: f('u64'), packets: f('u64'), addTime: f('u64'), useTime: f('u64') };
const ALG: Schema = { name: f('str'), key: f('bytes'), keyBits: o('u32') };
const AUTH: Schema = { ...ALG, truncLen: o('u32') };
const AEAD: Schema = { ...ALG, icvLen: f('u32') };
const ENCAP: Schema = { encapType: f('u16'), encapSport: f('u16'), encapDport: f('u16'), encapOa: f('addr') };
const REPLAY: Schema = { oseq: f('u32'), seq: f('u32'), bitmap: f('u32') };
const REPLAY_ESN: Schema = {
  bmpLen: f('u32'),
  oseq: f('u32'),
  seq: f('u32'),
  oseqHi: f('u32'),
  seqHi: f('u32'),
  replayWindow: f('u32'),
  bmp: f('u32[]'),
};
const MARK: Schema = { v: f('u32'), m: f('u32') };
const OUTPUT_MARK: Schema = { value: f('u32'), mask: f('u32') };
const OFFLOAD: Schema = { ifindex: f('i32'), flags: f('u8') };
const SEC_CTX: Schema = { exttype: f('u16'), ctxAlg: f('u8'), ctxDoi: f('u8'), ctx: f('str') };
const STATS: Schema = { replayWindow: f('u32'), replay: f('u32'), integrityFailed: f('u32') };
const TMPL: Schema = {
  id: f({ daddr: f('addr'), spi: f('u32'), proto: f('u8') }),
  family: f('u16'),
  saddr: f('addr'),
  reqid: f('u32'),
  mode: f('u8'),
  share: f('u8'),
  optional: f('u8'),
  aalgos: f('u32'),
  ealgos: f('u32'),
  calgos: f('u32'),
};

/** The JSON kind of an attribute's scalar value, by its codec; `undefined` for a struct. */
function scalarKind(attr: XfrmAttrName): Kind | undefined {
  const codec = xfrmAttrSpace.byName.get(attr)!.codec.name;
  switch (codec) {
    case 'u8':
    case 'u16':
    case 'u32':
    case 'u64':
      return codec;
    case 'flag':
      return 'bool';
    default:
      return codec === xfrmAddressCodec.name ? 'addr' : undefined;
  }
}

/** Plain SA fields whose attribute holds a struct. */
type StructField = { [F in SaPlainField]: NonNullable<XfrmState[F]> extends object ? F : never }[SaPlainField];
/** Their schemas. */
const STRUCT_FIELDS: { readonly [F in StructField]: Schema } = { mark: MARK, offload: OFFLOAD, secCtx: SEC_CTX };
/** The IP-TFS options: each its attribute's kind. */
const IPTFS: Schema = Object.fromEntries(Object.entries(IPTFS_FIELDS).map(([k, attr]) => [k, o(scalarKind(attr)!)]));
/** The schemas of the SA fields `state.ts` writes by hand; `null` for what batch input refuses. */
const SPECIAL_FIELDS: { readonly [F in SaSpecialField]: Kind | null } = {
  aead: AEAD,
  auth: AUTH,
  crypt: ALG,
  comp: 'str',
  encap: ENCAP,
  outputMark: OUTPUT_MARK,
  replayEsn: REPLAY_ESN,
  replay: REPLAY,
  current: LIFETIME_CUR,
  iptfs: IPTFS,
  stats: STATS,
  extraAttrs: null,
};

/** An SA: the header fields, then every optional field of the SA field table. */
const STATE: Schema = {
  family: o('u16'),
  saddr: f('addr'),
  daddr: f('addr'),
  spi: f('u32'),
  proto: f('u8'),
  mode: o('u8'),
  reqid: o('u32'),
  flags: o('u8'),
  replayWindow: o('u8'),
  selector: o(SELECTOR),
  lifetime: o(LIFETIME_CFG),
  acquireSeq: o('u32'),
};
for (const field of SA_FIELD_NAMES) {
  const plain = SA_PLAIN_BY_FIELD.get(field);
  const kind = plain ? (scalarKind(plain.attr) ?? STRUCT_FIELDS[plain.field as StructField]) : SPECIAL_FIELDS[field as SaSpecialField];
  if (kind !== null) STATE[field] = o(kind);
}

const POLICY: Schema = {
  selector: f(SELECTOR),
  dir: f('u8'),
  action: o('u8'),
  priority: o('u32'),
  index: o('u32'),
  flags: o('u8'),
  share: o('u8'),
  lifetime: o(LIFETIME_CFG),
  current: o(LIFETIME_CUR),
  templates: o({ array: TMPL }),
  type: o('u8'),
  mark: o(MARK),
  ifId: o('u32'),
  secCtx: o(SEC_CTX),
  offload: o(OFFLOAD),
};

/** A malformed entry: the message names the field path. */
class FieldError extends Error {}

const RANGES = { u8: 0xff, u16: 0xffff, u32: 0xffffffff } as const;

function revive(v: unknown, kind: Kind, path: string): unknown {
  const fail = (what: string): never => {
    // Keys (and anything in a key's place) are described, never echoed.
    const secret = kind === 'bytes' || /(^|\.)(key|algKey|tail)$/.test(path);
    const got = typeof v === 'bigint' ? String(v) : secret ? `${hexProblem(v, true) ?? 'a bad value'} (value not shown)` : quoteSafe(v);
    throw new FieldError(`${path}: expected ${what}, got ${got}`);
  };
  if (typeof kind === 'string') {
    switch (kind) {
      case 'u8':
      case 'u16':
      case 'u32':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > RANGES[kind]) fail(`an integer 0..${RANGES[kind]}`);
        return v;
      case 'i32':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) fail('a 32-bit integer');
        return v;
      case 'str':
        if (typeof v !== 'string') fail('a string');
        return v;
      case 'bool':
        if (typeof v !== 'boolean') fail('true or false');
        return v;
      case 'addr':
        if (typeof v !== 'string') fail('an IPv4 or IPv6 address');
        try {
          parseXfrmAddress(v as string);
        } catch {
          fail('an IPv4 or IPv6 address');
        }
        return v;
      case 'u64': {
        if (typeof v === 'bigint' && v >= 0n && v <= 0xffffffffffffffffn) return v; // a default filled in
        if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
        if (typeof v === 'string' && /^(\d+|0x[0-9a-fA-F]+)$/.test(v)) {
          const b = BigInt(v);
          if (b <= 0xffffffffffffffffn) return b;
        }
        return fail('an unsigned 64-bit integer as a decimal string');
      }
      case 'bytes':
        if (v === REDACTED) throw new FieldError(`${path}: the key was redacted: export with --show-keys`);
        if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v)) fail('0x hex bytes');
        return Uint8Array.from(Buffer.from((v as string).slice(2), 'hex'));
      case 'u32[]':
        if (!Array.isArray(v)) fail('an array of 32-bit integers');
        return (v as unknown[]).map((x, i) => revive(x, 'u32', `${path}[${i}]`));
    }
  }
  if ('array' in kind && !(kind.array as unknown as Field).kind) {
    if (!Array.isArray(v)) fail('an array');
    return (v as unknown[]).map((x, i) => reviveObject(x, kind.array as Schema, `${path}[${i}]`));
  }
  return reviveObject(v, kind as Schema, path);
}

/** True for `xName` / `xNames` beside a field `x` of `schema` (and `familyName` beside `family`): printed, never read. */
function isNameOf(k: string, schema: Schema): boolean {
  const m = /^(.+?)(Name|Names)$/.exec(k);
  if (!m) return false;
  const base = m[2] === 'Names' && /flag$/i.test(m[1]!) ? m[1]! + 's' : m[1]!;
  return Object.hasOwn(schema, base);
}

function reviveObject(v: unknown, schema: Schema, path: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new FieldError(`${path || 'entry'}: expected a JSON object`);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const field = schema[k];
    const p = path ? `${path}.${k}` : k;
    if (field === undefined) {
      // The names the JSON form prints beside numbers ("dirName" beside "dir"): the number decides.
      if (isNameOf(k, schema)) continue;
      throw new FieldError(`unknown field ${p}`);
    }
    if (x === undefined || x === null) {
      if (!field.optional) throw new FieldError(`${p}: must not be null`);
      continue;
    }
    out[k] = revive(x, field.kind, p);
  }
  for (const [k, field] of Object.entries(schema)) {
    if (!field.optional && !(k in out)) throw new FieldError(`missing field ${path ? `${path}.${k}` : k}`);
  }
  return out;
}

function withDefaults(obj: Record<string, unknown>, key: string, defaults: () => Record<string, unknown>): void {
  const v = obj[key];
  if (v !== undefined && v !== null && typeof v === 'object' && !Array.isArray(v)) obj[key] = { ...defaults(), ...(v as object) };
}

/** One JSON object as an {@link XfrmStateInput}. @throws Error naming the bad field. */
export function reviveStateInput(json: unknown): XfrmStateInput {
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const j = { ...(json as Record<string, unknown>) };
    if ('extraAttrs' in j) throw new FieldError('extraAttrs is not supported in batch input');
    delete j.stats; // read-only
    delete j.lastUsed; // read-only
    const fam = typeof j.daddr === 'string' ? familyOf(j.daddr) : AF_INET;
    withDefaults(j, 'selector', () => ({ ...anySelector(typeof (j.selector as any)?.family === 'number' ? (j.selector as any).family : fam) }));
    withDefaults(j, 'lifetime', () => ({ ...unlimitedLifetime() }));
    return reviveObject(j, STATE, '') as unknown as XfrmStateInput;
  }
  return reviveObject(json, STATE, '') as unknown as XfrmStateInput;
}

/** One JSON object as an {@link XfrmPolicyInput}. @throws Error naming the bad field. */
export function revivePolicyInput(json: unknown): XfrmPolicyInput {
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const j = { ...(json as Record<string, unknown>) };
    if ('extraAttrs' in j) throw new FieldError('extraAttrs is not supported in batch input');
    delete j.current; // read-only
    const sel = j.selector as Record<string, unknown> | undefined;
    if (sel && typeof sel === 'object' && !Array.isArray(sel)) {
      const addr = (typeof sel.daddr === 'string' ? sel.daddr : typeof sel.saddr === 'string' ? sel.saddr : '0.0.0.0') as string;
      const family = typeof sel.family === 'number' ? sel.family : familyOf(addr);
      j.selector = { ...anySelector(family), ...sel };
    }
    withDefaults(j, 'lifetime', () => ({ ...unlimitedLifetime() }));
    if (Array.isArray(j.templates)) {
      j.templates = j.templates.map((t: any, i: number) => {
        if (t === null || typeof t !== 'object' || Array.isArray(t)) return t;
        const id = t.id;
        if (id === null || typeof id !== 'object' || typeof id.proto !== 'number') throw new FieldError(`templates[${i}].id.proto: missing`);
        const base = template({
          proto: id.proto,
          ...(typeof id.daddr === 'string' ? { daddr: id.daddr } : {}),
          ...(typeof t.saddr === 'string' ? { saddr: t.saddr } : {}),
          ...(typeof t.family === 'number' ? { family: t.family } : {}),
        });
        return { ...base, ...t, id: { ...base.id, ...id } };
      });
    }
    return reviveObject(j, POLICY, '') as unknown as XfrmPolicyInput;
  }
  return reviveObject(json, POLICY, '') as unknown as XfrmPolicyInput;
}

/** A parsed line. */
export interface BatchEntry<T> {
  /** 1-based line number in the input. */
  line: number;
  /** The request. */
  value: T;
}

/** A line that could not be parsed. */
export interface BatchLineError {
  /** 1-based line number. */
  line: number;
  /** What is wrong. */
  message: string;
}

/**
 * Parse JSON lines (blank lines and lines starting with `#` are skipped) with `revive`.
 * Returns the good entries and one error per bad line.
 */
export function parseJsonLines<T>(text: string, reviveOne: (json: unknown) => T): { entries: BatchEntry<T>[]; errors: BatchLineError[] } {
  const entries: BatchEntry<T>[] = [];
  const errors: BatchLineError[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      errors.push({ line: i + 1, message: `not JSON: ${jsonErrorText(e)}` });
      return;
    }
    try {
      entries.push({ line: i + 1, value: reviveOne(json) });
    } catch (e) {
      if (e instanceof FieldError) errors.push({ line: i + 1, message: e.message });
      else throw e;
    }
  });
  return { entries, errors };
}
