/**
 * {@link toJson}: the JSON form of what the client returns (SAs, policies, replay state,
 * events, lists of them) — the form `netlink-xfrm … --json` prints, documented in
 * `docs/json.md` (schema version {@link XFRM_JSON_VERSION}). `JSON.stringify` of a model
 * itself throws on its `bigint` counters; this form does not.
 * @module
 */
import { toJsonValue } from '../xfrm/json.js';
import { AF_INET, AF_INET6 } from '../xfrm/constants.js';
import {
  AE_FLAG_NAMES,
  ENCAP_TYPE_NAMES,
  MODE_NAMES,
  type NameTable,
  POLICY_ACTION_NAMES,
  POLICY_DIR_NAMES,
  POLICY_FLAG_NAMES,
  POLICY_TYPE_NAMES,
  SA_DIR_NAMES,
  SA_PROTO_NAMES,
  SELECTOR_PROTO_NAMES,
  splitFlags,
  STATE_EXTRA_FLAG_NAMES,
  STATE_FLAG_NAMES,
} from '../xfrm/names.js';

/**
 * Version of the JSON schema of {@link toJson} (and so of `--json` output). Adding a field
 * keeps the version; renaming or removing a field, or changing its type or meaning, raises it.
 */
export const XFRM_JSON_VERSION = 1;

/** Options of {@link toJson}. */
export interface XfrmJsonOptions {
  /** Print key material as `0x…` hex; otherwise every key is `"<redacted>"`. Default false. */
  showKeys?: boolean;
}

type Obj = Record<string, unknown>;

/** How one number field is named: the field, the name field beside it, the vocabulary, one name or the set bits. */
type Namer = readonly [field: string, nameField: string, table: NameTable, flags?: 'flags'];

const FAMILY = { nameOf: (n: number) => (n === AF_INET ? 'inet' : n === AF_INET6 ? 'inet6' : n === 0 ? 'unspec' : undefined) };

const SA: readonly Namer[] = [
  ['proto', 'protoName', SA_PROTO_NAMES],
  ['mode', 'modeName', MODE_NAMES],
  ['dir', 'dirName', SA_DIR_NAMES],
  ['flags', 'flagNames', STATE_FLAG_NAMES, 'flags'],
  ['extraFlags', 'extraFlagNames', STATE_EXTRA_FLAG_NAMES, 'flags'],
];
const POLICY: readonly Namer[] = [
  ['dir', 'dirName', POLICY_DIR_NAMES],
  ['action', 'actionName', POLICY_ACTION_NAMES],
  ['type', 'typeName', POLICY_TYPE_NAMES],
  ['flags', 'flagNames', POLICY_FLAG_NAMES, 'flags'],
];
const SELECTOR: readonly Namer[] = [['proto', 'protoName', SELECTOR_PROTO_NAMES]];
const TEMPLATE: readonly Namer[] = [['mode', 'modeName', MODE_NAMES]];
const TEMPLATE_ID: readonly Namer[] = [['proto', 'protoName', SA_PROTO_NAMES]];
const ENCAP: readonly Namer[] = [['encapType', 'encapTypeName', ENCAP_TYPE_NAMES]];
const AE: readonly Namer[] = [['flags', 'flagNames', AE_FLAG_NAMES, 'flags'], ['dir', 'dirName', SA_DIR_NAMES]];

/** Which vocabulary applies to an object, told by the fields only its kind has. */
function namersOf(o: Obj, parentKey: string | undefined): readonly Namer[] {
  if ('prefixlenD' in o) return SELECTOR;
  if ('spi' in o && 'selector' in o && 'replayWindow' in o) return SA;
  if ('selector' in o && 'action' in o && 'dir' in o) return POLICY;
  if ('aalgos' in o && 'mode' in o) return TEMPLATE;
  if (parentKey === 'id' && 'spi' in o && 'proto' in o) return TEMPLATE_ID;
  if ('encapType' in o) return ENCAP;
  if (('replay' in o || 'replayEsn' in o) && 'reqid' in o && 'flags' in o && !('spi' in o)) return AE;
  return [];
}

/** A copy of `v` with each named number followed by its name (`"dir": 1, "dirName": "out"`). */
function withNames(v: unknown, parentKey?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => withNames(x));
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
  const o = v as Obj;
  const namers = namersOf(o, parentKey);
  const familyNamed = 'family' in o && ('prefixlenD' in o || 'aalgos' in o || namers === SA);
  const out: Obj = {};
  for (const [k, x] of Object.entries(o)) {
    if (x === undefined) continue;
    out[k] = withNames(x, k);
    if (typeof x !== 'number') continue;
    if (k === 'family' && familyNamed) {
      const name = FAMILY.nameOf(x);
      if (name !== undefined) out.familyName = name;
      continue;
    }
    const n = namers.find((m) => m[0] === k);
    if (!n) continue;
    if (n[3] === 'flags') out[n[1]] = splitFlags(n[2], x).names;
    else {
      const name = n[2].nameOf(x);
      if (name !== undefined) out[n[1]] = name;
    }
  }
  return out;
}

/**
 * The JSON form of a value the client returns — an `XfrmState`, `XfrmPolicy`,
 * `XfrmAeState`, event, or an array or plain object of them — as plain JSON data that
 * `JSON.stringify` accepts. It is what `--json` prints (schema: `docs/json.md`, version
 * {@link XFRM_JSON_VERSION}):
 * - field names are those of the TypeScript models (see the naming rule in `docs/json.md`);
 * - `bigint` → decimal string, bytes → `"0x…"`, key material → `"<redacted>"` unless `showKeys`;
 * - beside each enumerated number its ip-xfrm name: `"dir": 1, "dirName": "out"`,
 *   `"proto": 50, "protoName": "esp"`, `"flags": 128, "flagNames": ["esn"]` (only names
 *   the vocabulary has; the number is authoritative);
 * - absent optional fields are left out (never `null`).
 * @example
 * ```ts
 * console.log(JSON.stringify(toJson(await xfrm.getStates())));
 * ```
 */
export function toJson(value: unknown, opts: XfrmJsonOptions = {}): unknown {
  return toJsonValue(withNames(value), { showKeys: opts.showKeys ?? false });
}
