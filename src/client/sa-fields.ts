/**
 * Internal (not re-exported from `client/index.ts`): the SA field table. One row per optional
 * field of {@link XfrmState}, in the order the kernel emits the attributes
 * (`copy_to_user_state_extra`), which is the order {@link stateToAttrs} writes them.
 *
 * A **plain** row is a field that is one `XFRMA_*` attribute's value, unchanged (the compiler
 * checks that the attribute's value type is the field's type). Plain rows drive
 * `stateToAttrs`, `stateFromMessage`, the batch-JSON schema (its kind is the attribute's
 * codec) and, with `ip`, the CLI's text line. A **special** row (`attr: null`) is a field
 * written and read by hand in `state.ts`: keys and algorithms, several attributes in one
 * field (output mark, IP-TFS), a part of the header, the raw extras. Every optional field
 * has a row, so a new one fails to compile until it is placed here.
 * @module
 */
import { xfrmAddressCodec, xfrmAttrSpace, type XfrmAttrName, type XfrmAttrValues } from '../xfrm/attributes.js';
import { SA_DIR_NAMES, STATE_EXTRA_FLAG_NAMES, type NameTable } from '../xfrm/names.js';
import { type XfrmIptfsOptions, type XfrmState } from './state.js';

/** The optional fields of {@link XfrmState}. */
export type SaOptionalField = { [K in keyof XfrmState]-?: undefined extends XfrmState[K] ? K : never }[keyof XfrmState];

/** How `ip xfrm state` prints a plain scalar field: `word value`. */
export interface SaFieldText {
  /** The ip word, e.g. `'if_id'`. */
  readonly word: string;
  /**
   * The value's form: decimal (default), `'hex'`, a name from a {@link NameTable}, flag
   * names then the value in hex (`{ flags }`, nothing printed for 0), or a UTC time
   * (`'time'`, nothing printed for 0).
   */
  readonly show?: 'hex' | 'time' | NameTable | { readonly flags: NameTable };
}

/** Attributes whose value type is exactly `T`. */
type AttrOfType<T> = { [A in XfrmAttrName]: [XfrmAttrValues[A]] extends [T] ? ([T] extends [XfrmAttrValues[A]] ? A : never) : never }[XfrmAttrName];

/** A field that is one attribute's value. */
interface PlainRow<A extends XfrmAttrName> {
  /** The attribute. */
  readonly attr: A;
  /** Added by newer kernels: older ones accept the attribute and drop it silently (checked by reading back). */
  readonly newer?: true;
  /** Only the kernel writes it (never sent, dropped from batch input). */
  readonly readOnly?: true;
  /** Its line in `state list` output (struct values are printed by hand). */
  readonly ip?: SaFieldText;
}

/** A field written and read by hand in `state.ts`. */
interface SpecialRow {
  /** No single attribute. */
  readonly attr: null;
  /** Added by newer kernels (see {@link PlainRow.newer}). */
  readonly newer?: true;
  /** Only the kernel writes it. */
  readonly readOnly?: true;
}

/** The row a field may have: plain with an attribute of its own type, or special. */
export type SaFieldRow<F extends SaOptionalField> = PlainRow<AttrOfType<NonNullable<XfrmState[F]>>> | SpecialRow;

/** @internal The table: every optional SA field, in the kernel's emission order. */
export const SA_FIELDS = {
  extraFlags: { attr: 'XFRMA_SA_EXTRA_FLAGS', newer: true, ip: { word: 'extra_flag', show: { flags: STATE_EXTRA_FLAG_NAMES } } },
  coaddr: { attr: 'XFRMA_COADDR', ip: { word: 'coa' } },
  lastUsed: { attr: 'XFRMA_LASTUSED', readOnly: true, ip: { word: 'lastused', show: 'time' } },
  aead: { attr: null },
  auth: { attr: null },
  crypt: { attr: null },
  comp: { attr: null },
  encap: { attr: null },
  tfcpad: { attr: 'XFRMA_TFCPAD', ip: { word: 'tfcpad' } },
  mark: { attr: 'XFRMA_MARK' },
  outputMark: { attr: null, newer: true },
  replayEsn: { attr: null },
  replay: { attr: null },
  current: { attr: null },
  replayThresh: { attr: 'XFRMA_REPLAY_THRESH' },
  etimerThresh: { attr: 'XFRMA_ETIMER_THRESH' },
  offload: { attr: 'XFRMA_OFFLOAD_DEV' },
  ifId: { attr: 'XFRMA_IF_ID', newer: true, ip: { word: 'if_id', show: 'hex' } },
  secCtx: { attr: 'XFRMA_SEC_CTX' },
  iptfs: { attr: null, newer: true },
  mtimerThresh: { attr: 'XFRMA_MTIMER_THRESH', newer: true, ip: { word: 'mtimer-thresh' } },
  pcpu: { attr: 'XFRMA_SA_PCPU', newer: true, ip: { word: 'pcpu-num' } },
  dir: { attr: 'XFRMA_SA_DIR', newer: true, ip: { word: 'dir', show: SA_DIR_NAMES } },
  natKeepaliveInterval: { attr: 'XFRMA_NAT_KEEPALIVE_INTERVAL', newer: true, ip: { word: 'nat-keepalive-interval' } },
  stats: { attr: null, readOnly: true },
  extraAttrs: { attr: null },
} as const satisfies { readonly [F in SaOptionalField]: SaFieldRow<F> };

type Table = typeof SA_FIELDS;

/** The fields written and read by hand in `state.ts`. */
export type SaSpecialField = { [F in keyof Table]: Table[F]['attr'] extends null ? F : never }[keyof Table];
/** The fields that are one attribute's value. */
export type SaPlainField = Exclude<keyof Table, SaSpecialField>;
/** The plain fields with an ip text line of their own. */
export type SaTextField = { [F in keyof Table]: Table[F] extends { readonly ip: SaFieldText } ? F : never }[keyof Table];

/** @internal Every optional field, in table order. */
export const SA_FIELD_NAMES = Object.keys(SA_FIELDS) as readonly SaOptionalField[];

/** @internal The fields newer kernels added (older ones ACK and drop them; restore --replace checks them too). */
export const SA_NEWER_FIELDS: readonly SaOptionalField[] = SA_FIELD_NAMES.filter((f) => (SA_FIELDS[f] as { newer?: true }).newer === true);

/** @internal A plain row as the loops see it. */
export interface SaPlainEntry {
  /** The model field. */
  readonly field: SaPlainField;
  /** Its attribute. */
  readonly attr: XfrmAttrName;
  /** Only the kernel writes it. */
  readonly readOnly: boolean;
  /** Its ip text line, if it has one. */
  readonly ip: SaFieldText | undefined;
  /** The attribute's codec name (`'u8'`, `'u32'`, `'xfrm_address_t'`, a struct's name): what its JSON form is. */
  readonly codec: string;
  /** The value is an `xfrm_address_t`, which has no family of its own: read in the SA's family. */
  readonly address: boolean;
}

/** @internal The plain rows, in table order. */
export const SA_PLAIN_FIELDS: readonly SaPlainEntry[] = SA_FIELD_NAMES.flatMap((f) => {
  const row = SA_FIELDS[f] as { attr: XfrmAttrName | null; readOnly?: true; ip?: SaFieldText };
  if (row.attr === null) return [];
  const codec = xfrmAttrSpace.byName.get(row.attr)!.codec.name;
  return [{ field: f as SaPlainField, attr: row.attr, readOnly: row.readOnly === true, ip: row.ip, codec, address: codec === xfrmAddressCodec.name }];
});

/** @internal Plain rows by field name. */
export const SA_PLAIN_BY_FIELD: ReadonlyMap<string, SaPlainEntry> = new Map(SA_PLAIN_FIELDS.map((p) => [p.field, p]));

/** @internal Plain rows by attribute name (the decoder's lookup). */
export const SA_PLAIN_BY_ATTR: ReadonlyMap<string, SaPlainEntry> = new Map(SA_PLAIN_FIELDS.map((p) => [p.attr, p]));

/**
 * @internal The IP-TFS options: each one attribute's value (a flag for `dontFrag`), in the
 * kernel's emission order.
 */
export const IPTFS_FIELDS = {
  dropTime: 'XFRMA_IPTFS_DROP_TIME',
  reorderWindow: 'XFRMA_IPTFS_REORDER_WINDOW',
  dontFrag: 'XFRMA_IPTFS_DONT_FRAG',
  initDelay: 'XFRMA_IPTFS_INIT_DELAY',
  maxQsize: 'XFRMA_IPTFS_MAX_QSIZE',
  pktSize: 'XFRMA_IPTFS_PKT_SIZE',
} as const satisfies { readonly [K in keyof XfrmIptfsOptions]-?: AttrOfType<NonNullable<XfrmIptfsOptions[K]>> | (boolean extends XfrmIptfsOptions[K] ? AttrOfType<true> : never) };

/** @internal IP-TFS option names by attribute name. */
export const IPTFS_BY_ATTR: ReadonlyMap<string, keyof XfrmIptfsOptions> = new Map(
  Object.entries(IPTFS_FIELDS).map(([k, a]) => [a, k as keyof XfrmIptfsOptions]),
);

/**
 * @internal A function of `params` whose body is `lines` (straight-line code built from this
 * table's names, each passed through {@link tableIdentifier}), with `T` bound to `arg`; or
 * `undefined` where code generation is disallowed (callers then run their generic loop).
 */
export function compileFromTable<F>(params: string, lines: readonly string[], arg: unknown): F | undefined {
  try {
    return new Function('T', `'use strict'; return function (${params}) {\n${lines.join('\n')}\n};`)(arg) as F;
  } catch {
    return undefined;
  }
}

/** @internal A table name, checked to be an identifier before it is put in generated code. */
export function tableIdentifier(name: string): string {
  if (!/^[A-Za-z_]\w*$/.test(name)) throw new TypeError(`SA field table: ${name} is not an identifier`);
  return name;
}
