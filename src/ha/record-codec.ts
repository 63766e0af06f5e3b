/**
 * The wire form of the Live HA records (see `records.ts`): one JSON object per line,
 * versioned (`v`). SAs and policies travel in the JSON form of an `XFRM_MSG_NEWSA` /
 * `XFRM_MSG_NEWPOLICY` message (the same form as snapshot entries, keys as `0x` hex),
 * `bigint`s as decimal strings. {@link decodeHaRecord} treats the line as hostile: it checks
 * every field, refuses unknown fields, re-encodes SAs and policies to netlink bytes and decodes
 * them back (so what comes out has exactly the types and ranges the client produces), and
 * throws only {@link HaProtocolError}, whose message names the field and never shows a key or
 * the line.
 * @module
 */
import { NetlinkError } from '../netlink/errors.js';
import { jsonErrorText, quoteSafe } from '../netlink/secret.js';
import { XFRM_SA_DIR_IN, XFRM_SA_DIR_OUT } from '../xfrm/constants.js';
import { decodeXfrmMessages, encodeXfrmMessages, xfrmMessageSpec, type XfrmNetlinkMessage } from '../xfrm/family.js';
import { type Codec } from '../netlink/codec.js';
import { shapeEntriesOf, xfrmMessageFromJson, xfrmMessageToJson } from '../xfrm/json.js';
import { checkReplayEsnBounds } from '../xfrm/replay.js';
import { formatXfrmAddress, parseXfrmAddress } from '../xfrm/structs/address.js';
import { type XfrmLifetimeCur } from '../xfrm/structs/lifetime-cur.js';
import { type XfrmMark } from '../xfrm/structs/mark.js';
import { type XfrmReplayState } from '../xfrm/structs/replay-state.js';
import { type XfrmReplayStateEsn } from '../xfrm/structs/replay-state-esn.js';
import { decodeXfrmSelector, encodeXfrmSelector, XFRM_SELECTOR_SIZE, type XfrmSelector } from '../xfrm/structs/selector.js';
import { policyFromMessage, policyToAttrs, policyToInfo, type XfrmPolicy } from '../client/policy.js';
import { stateFromMessage, stateToAttrs, stateToUsersaInfo, type XfrmState } from '../client/state.js';
import { HOST_LE } from '../netlink/endian.js';
import {
  HA_RECORD_MAX_LINE,
  HA_RECORD_VERSION,
  HaProtocolError,
  isHaEpoch,
  type HaCounters,
  type HaFullSa,
  type HaPolicyId,
  type HaPolicySelectorId,
  type HaRecord,
  type HaRecordType,
  type HaResyncReason,
  type HaSaAdd,
  type HaSaId,
  type HaSaUpdate,
} from './records.js';

const RESYNC_REASONS: readonly string[] = ['overrun', 'start', 'reconnect', 'backlog'];

/** Fields allowed per type (besides `v`, `type`, `seq`, `epoch`): anything else is refused. */
const FIELDS: Record<HaRecordType, readonly string[]> = {
  'full-begin': ['takenAt'],
  'full-sa': ['sa', 'replayThresh', 'etimerThresh'],
  'full-policy': ['policy'],
  'full-end': ['sas', 'policies'],
  'sa-add': ['sa', 'replayThresh', 'etimerThresh'],
  'sa-update': ['sa', 'replayThresh', 'etimerThresh'],
  'sa-delete': ['id'],
  counters: ['id', 'replay', 'replayEsn', 'current', 'replayThresh', 'etimerThresh', 'syncedAt'],
  'policy-add': ['policy'],
  'policy-update': ['policy'],
  'policy-delete': ['id'],
  resync: ['reason'],
};

/** True if `t` is a record type. */
export function isHaRecordType(t: unknown): t is HaRecordType {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(FIELDS, t);
}

// ---------------------------------------------------------------------------------------------
// Encoding

function saToJson(s: XfrmState): Record<string, unknown> {
  // Thresholds travel beside the SA (as in snapshot entries); read-only fields are not sent.
  const plain: XfrmState = { ...s };
  delete plain.replayThresh;
  delete plain.etimerThresh;
  delete plain.stats;
  delete plain.lastUsed;
  const m: XfrmNetlinkMessage = { type: 'XFRM_MSG_NEWSA', flags: 0, seq: 0, pid: 0, body: stateToUsersaInfo(plain), attrs: stateToAttrs(plain, true) } as never;
  // Encode once to bytes: what the standby cannot decode is refused here, typed, not sent.
  encodeXfrmMessages([m]);
  return xfrmMessageToJson(m, { showKeys: true });
}

function policyToJson(p: XfrmPolicy): Record<string, unknown> {
  const m: XfrmNetlinkMessage = { type: 'XFRM_MSG_NEWPOLICY', flags: 0, seq: 0, pid: 0, body: policyToInfo(p), attrs: policyToAttrs(p) } as never;
  encodeXfrmMessages([m]);
  return xfrmMessageToJson(m, { showKeys: true });
}

function u64Text(v: bigint): string {
  return v.toString();
}

function curToJson(c: XfrmLifetimeCur): Record<string, string> {
  return { bytes: u64Text(c.bytes), packets: u64Text(c.packets), addTime: u64Text(c.addTime), useTime: u64Text(c.useTime) };
}

/** Record fields that do not travel as they are. */
const TO_JSON: Partial<Record<string, (v: never) => unknown>> = { sa: saToJson, policy: policyToJson, current: curToJson };

/**
 * The wire form of a record: one line of JSON (no newline), keys as `0x` hex — it carries key
 * material: send it only over an authenticated, encrypted link, store it only in 0600 files.
 * @throws {@link HaProtocolError} when the record cannot be represented (e.g. an SA that does not encode).
 */
export function encodeHaRecord(r: HaRecord): string {
  // The receiver's rules for the stream position, checked here too: a publisher must never send what a standby refuses.
  if (!Number.isSafeInteger(r.seq) || r.seq < 0) throw new HaProtocolError('seq', `expected an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got ${quoteSafe(r.seq)}`);
  if (!isHaEpoch(r.epoch)) throw new HaProtocolError('epoch', 'expected 1-64 characters of [A-Za-z0-9._:-]');
  if (!isHaRecordType(r.type)) throw new HaProtocolError('type', `unknown record type ${quoteSafe(r.type)}`);
  const o: Record<string, unknown> = { v: HA_RECORD_VERSION, type: r.type, seq: r.seq, epoch: r.epoch };
  const fields = r as unknown as Record<string, unknown>;
  try {
    // The fields of the type, in FIELDS' order; SAs, policies and counters in their JSON form.
    for (const k of FIELDS[r.type]) {
      const convert = TO_JSON[k];
      if (convert) o[k] = convert(fields[k] as never);
      // A counters record carries one replay state: the ESN one when both are set.
      else if (fields[k] !== undefined && !(k === 'replay' && fields.replayEsn)) o[k] = fields[k];
    }
  } catch (e) {
    if (e instanceof HaProtocolError) throw e;
    throw new HaProtocolError(r.type, e instanceof NetlinkError ? e.message : 'cannot be encoded', { cause: e });
  }
  const line = JSON.stringify(o);
  if (line.length > HA_RECORD_MAX_LINE) throw new HaProtocolError('line', `${line.length} characters: over the limit of ${HA_RECORD_MAX_LINE}`);
  return line;
}

// ---------------------------------------------------------------------------------------------
// Decoding: every check names the field, never shows a value that could be a key.

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function needObject(v: unknown, field: string): Record<string, unknown> {
  if (!isObject(v)) throw new HaProtocolError(field, `expected a JSON object, got ${quoteSafe(v)}`);
  return v;
}

/** Refuse fields outside `allowed` (e.g. `__proto__`, `constructor`, typos): named safely. */
function onlyFields(o: Record<string, unknown>, allowed: readonly string[], field: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new HaProtocolError(field, `unknown field ${quoteSafe(k)}`);
  }
}

function needUint(v: unknown, field: string, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new HaProtocolError(field, `expected an integer from 0 to ${max}, got ${quoteSafe(v)}`);
  }
  return v;
}

function needU64(v: unknown, field: string): bigint {
  if (typeof v !== 'string' || !/^\d{1,20}$/.test(v)) throw new HaProtocolError(field, `expected a decimal string of a u64, got ${quoteSafe(v)}`);
  const b = BigInt(v);
  if (b > 0xffffffffffffffffn) throw new HaProtocolError(field, 'passes 2^64 - 1');
  return b;
}

function optUint(o: Record<string, unknown>, k: string, field: string, max: number): number | undefined {
  return o[k] === undefined ? undefined : needUint(o[k], `${field}.${k}`, max);
}

/** Run a lower layer's check; its typed error becomes a {@link HaProtocolError} on `field`. */
function lower<T>(field: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof HaProtocolError) throw e;
    // Library errors name fields and never values of keys; anything else is described, not shown.
    const reason = e instanceof NetlinkError ? e.message : 'malformed';
    throw new HaProtocolError(field, reason, { cause: e });
  }
}

function decodeMark(v: unknown, field: string): XfrmMark {
  const o = needObject(v, field);
  onlyFields(o, ['v', 'm'], field);
  return { v: needUint(o.v, `${field}.v`, 0xffffffff), m: needUint(o.m, `${field}.m`, 0xffffffff) };
}

function decodeSaId(v: unknown, field: string): HaSaId {
  const o = needObject(v, field);
  onlyFields(o, ['daddr', 'spi', 'proto', 'mark'], field);
  if (typeof o.daddr !== 'string' || o.daddr.length > 64) throw new HaProtocolError(`${field}.daddr`, `expected an address, got ${quoteSafe(o.daddr)}`);
  const daddr = o.daddr;
  const bytes = lower(`${field}.daddr`, () => parseXfrmAddress(daddr, `${field}.daddr`));
  const id: HaSaId = {
    daddr: formatXfrmAddress(bytes, daddr.includes(':') ? 10 : 2),
    spi: needUint(o.spi, `${field}.spi`, 0xffffffff),
    proto: needUint(o.proto, `${field}.proto`, 0xff),
  };
  if (o.mark !== undefined) id.mark = decodeMark(o.mark, `${field}.mark`);
  return id;
}

function decodeSelector(v: unknown, field: string): XfrmSelector {
  const o = needObject(v, field);
  onlyFields(o, ['daddr', 'saddr', 'dport', 'dportMask', 'sport', 'sportMask', 'family', 'prefixlenD', 'prefixlenS', 'proto', 'ifindex', 'user'], field);
  // Encode and decode with the struct's codec: its checks, and canonical addresses out.
  return lower(field, () => {
    const view = new DataView(new ArrayBuffer(XFRM_SELECTOR_SIZE));
    encodeXfrmSelector(view, 0, o as unknown as XfrmSelector, HOST_LE);
    return decodeXfrmSelector(view, 0, HOST_LE);
  });
}

function decodePolicyId(v: unknown, field: string): HaPolicyId {
  const o = needObject(v, field);
  const dir = needUint(o.dir, `${field}.dir`, 0xff);
  if (o.index !== undefined) {
    onlyFields(o, ['dir', 'index'], field);
    const index = needUint(o.index, `${field}.index`, 0xffffffff);
    if ((index & 7) !== dir % 8) throw new HaProtocolError(`${field}.index`, `index & 7 must equal dir ${dir}`);
    return { dir, index };
  }
  onlyFields(o, ['dir', 'selector', 'mark', 'ifId', 'ptype'], field);
  const id: HaPolicySelectorId = { dir, selector: decodeSelector(o.selector, `${field}.selector`) };
  if (o.mark !== undefined) id.mark = decodeMark(o.mark, `${field}.mark`);
  const ifId = optUint(o, 'ifId', field, 0xffffffff);
  if (ifId !== undefined) id.ifId = ifId;
  const ptype = optUint(o, 'ptype', field, 0xff);
  if (ptype !== undefined) id.ptype = ptype;
  return id;
}

const ZEROS = new DataView(new ArrayBuffer(4096));
const templates = new Map<Codec<unknown>, unknown>();

/** The value a codec decodes from zeros: a template of its value's shape (undefined if it has none). */
function templateOf(codec: Codec<unknown>): unknown {
  if (!templates.has(codec)) {
    let t: unknown;
    try {
      t = codec.decode(ZEROS, 0, ZEROS.byteLength, HOST_LE);
    } catch {
      t = undefined;
    }
    templates.set(codec, t);
  }
  return templates.get(codec);
}

/**
 * Check that `v` has the JSON shape of `shape` (every field the codec's template has, with the
 * same kind: number, decimal/hex string, object, array) before the encoders see it: they are
 * written for values the client builds, and would otherwise fail on a missing field with a
 * `TypeError` instead of a typed error. Ranges are the encoders' job.
 */
function checkShape(v: unknown, shape: unknown, field: string): void {
  // The common case (a well-formed record) is checked without building a path per field;
  // the walk below, which names the field, runs only to report a failure.
  if (shapeOk(v, shape)) return;
  checkShapeNamed(v, shape, field);
}

/** {@link checkShape}'s rules as a predicate. */
function shapeOk(v: unknown, shape: unknown): boolean {
  if (shape === undefined || shape === null) return true;
  if (typeof shape === 'bigint') return typeof v === 'string' || typeof v === 'number';
  if (shape instanceof Uint8Array) return typeof v === 'string';
  if (Array.isArray(shape)) {
    if (!Array.isArray(v) || v.length > 4096) return false;
    if (shape.length > 0) for (const x of v) if (!shapeOk(x, shape[0])) return false;
    return true;
  }
  if (typeof shape === 'object') {
    if (!isObject(v)) return false;
    for (const [k, s] of shapeEntriesOf(shape)) if (!shapeOk((v as Record<string, unknown>)[k], s)) return false;
    return true;
  }
  return typeof v === typeof shape;
}

function checkShapeNamed(v: unknown, shape: unknown, field: string): void {
  if (shape === undefined || shape === null) return;
  const bad = (want: string): never => {
    throw new HaProtocolError(field, `expected ${want}, got ${quoteSafe(v)}`);
  };
  if (typeof shape === 'bigint') {
    if (typeof v !== 'string' && typeof v !== 'number') bad('an integer (decimal string)');
  } else if (shape instanceof Uint8Array) {
    if (typeof v !== 'string') bad('a hex string');
  } else if (Array.isArray(shape)) {
    if (!Array.isArray(v)) bad('an array');
    if ((v as unknown[]).length > 4096) bad('at most 4096 elements');
    if (shape.length > 0) (v as unknown[]).forEach((x, i) => checkShapeNamed(x, shape[0], `${field}[${i}]`));
  } else if (typeof shape === 'object') {
    if (!isObject(v)) bad('a JSON object');
    for (const [k, s] of shapeEntriesOf(shape as object)) checkShapeNamed((v as Record<string, unknown>)[k], s, `${field}.${k}`);
  } else if (typeof v !== typeof shape) {
    bad(`a ${typeof shape}`);
  }
}

/** Shape of a NEWSA/NEWPOLICY message JSON: body and each known attribute's value. */
function checkMessageShape(o: Record<string, unknown>, field: string, type: string): void {
  const spec = xfrmMessageSpec(type)!;
  if (spec.body) checkShape(o.body, templateOf(spec.body as Codec<unknown>), `${field}.body`);
  if (o.attrs === undefined) return;
  if (!Array.isArray(o.attrs)) throw new HaProtocolError(`${field}.attrs`, 'expected an array');
  if (o.attrs.length > 64) throw new HaProtocolError(`${field}.attrs`, `${o.attrs.length} attributes: at most 64`);
  o.attrs.forEach((a: unknown, i) => {
    const f = `${field}.attrs[${i}]`;
    const ao = needObject(a, f);
    if (typeof ao.type !== 'string' && typeof ao.type !== 'number') throw new HaProtocolError(`${f}.type`, `expected a name or a number, got ${quoteSafe(ao.type)}`);
    const aspec = typeof ao.type === 'string' ? spec.attrs.byName.get(ao.type) : spec.attrs.byType[ao.type];
    if (typeof ao.type === 'string' && aspec === undefined) throw new HaProtocolError(`${f}.type`, `unknown attribute ${quoteSafe(ao.type)}`);
    if (typeof ao.type === 'number' || aspec === undefined) {
      if (typeof ao.value !== 'string') throw new HaProtocolError(`${f}.value`, 'expected a hex string');
      return;
    }
    if ((aspec.codec as { space?: unknown }).space !== undefined) {
      if (!Array.isArray(ao.value)) throw new HaProtocolError(`${f}.value`, 'expected an array of attributes');
      return;
    }
    checkShape(ao.value, templateOf(aspec.codec as Codec<unknown>), `${f}.value`);
  });
}

/** JSON message → netlink bytes → the decoder: what comes back is typed and in range. */
function viaBytes(v: unknown, field: string, type: 'XFRM_MSG_NEWSA' | 'XFRM_MSG_NEWPOLICY'): XfrmNetlinkMessage {
  const o = needObject(v, field);
  if (o.type !== type) throw new HaProtocolError(`${field}.type`, `expected ${type}`);
  checkMessageShape(o, field, type);
  return lower(field, () => {
    const m = xfrmMessageFromJson(o);
    const msgs = decodeXfrmMessages(encodeXfrmMessages([m]));
    if (msgs.length !== 1 || msgs[0]!.type !== type) throw new HaProtocolError(field, `did not decode as one ${type}`);
    return msgs[0]!;
  });
}

function decodeSa(v: unknown, field: string): XfrmState {
  const m = viaBytes(v, field, 'XFRM_MSG_NEWSA') as XfrmNetlinkMessage & { body: never; attrs: never };
  const s = lower(field, () => stateFromMessage(m.body, m.attrs));
  // Thresholds travel beside the SA; counters of use and time of last use are read-only.
  delete s.replayThresh;
  delete s.etimerThresh;
  delete s.stats;
  delete s.lastUsed;
  if (s.replayEsn) lower(`${field}.replayEsn`, () => checkReplayEsnBounds(s.replayEsn!));
  if (s.dir !== undefined && s.dir !== XFRM_SA_DIR_IN && s.dir !== XFRM_SA_DIR_OUT) throw new HaProtocolError(`${field}.dir`, `${s.dir} is neither IN nor OUT`);
  return s;
}

function decodePolicy(v: unknown, field: string): XfrmPolicy {
  const m = viaBytes(v, field, 'XFRM_MSG_NEWPOLICY') as XfrmNetlinkMessage & { body: never; attrs: never };
  const p = lower(field, () => policyFromMessage(m.body, m.attrs));
  // Read-only (the kernel keeps its own use counters): not part of what a standby installs.
  delete p.current;
  return p;
}

function decodeReplay(v: unknown, field: string): XfrmReplayState {
  const o = needObject(v, field);
  onlyFields(o, ['oseq', 'seq', 'bitmap'], field);
  return { oseq: needUint(o.oseq, `${field}.oseq`, 0xffffffff), seq: needUint(o.seq, `${field}.seq`, 0xffffffff), bitmap: needUint(o.bitmap, `${field}.bitmap`, 0xffffffff) };
}

function decodeReplayEsn(v: unknown, field: string): XfrmReplayStateEsn {
  const o = needObject(v, field);
  onlyFields(o, ['bmpLen', 'oseq', 'seq', 'oseqHi', 'seqHi', 'replayWindow', 'bmp'], field);
  const r = {
    bmpLen: needUint(o.bmpLen, `${field}.bmpLen`, 0xffffffff),
    oseq: needUint(o.oseq, `${field}.oseq`, 0xffffffff),
    seq: needUint(o.seq, `${field}.seq`, 0xffffffff),
    oseqHi: needUint(o.oseqHi, `${field}.oseqHi`, 0xffffffff),
    seqHi: needUint(o.seqHi, `${field}.seqHi`, 0xffffffff),
    replayWindow: needUint(o.replayWindow, `${field}.replayWindow`, 0xffffffff),
    bmp: [] as number[],
  };
  if (!Array.isArray(o.bmp)) throw new HaProtocolError(`${field}.bmp`, `expected an array of u32 words, got ${quoteSafe(o.bmp)}`);
  // Bound before walking: bmp_len ≤ 128 words is the kernel's own limit.
  if (o.bmp.length > 128) throw new HaProtocolError(`${field}.bmp`, `${o.bmp.length} words: the kernel accepts at most 128`);
  r.bmp = o.bmp.map((w, i) => needUint(w, `${field}.bmp[${i}]`, 0xffffffff));
  lower(field, () => checkReplayEsnBounds(r));
  return r;
}

function decodeCur(v: unknown, field: string): XfrmLifetimeCur {
  const o = needObject(v, field);
  onlyFields(o, ['bytes', 'packets', 'addTime', 'useTime'], field);
  return {
    bytes: needU64(o.bytes, `${field}.bytes`),
    packets: needU64(o.packets, `${field}.packets`),
    addTime: needU64(o.addTime, `${field}.addTime`),
    useTime: needU64(o.useTime, `${field}.useTime`),
  };
}

function needTime(v: unknown, field: string): number {
  return needUint(v, field, Number.MAX_SAFE_INTEGER);
}

/**
 * Parse and check one line of the wire form. Untrusted input: everything is checked (version,
 * type, every field's presence, type and range, no unknown field, the SA or policy through
 * the netlink codecs, the line's length), and every failure is a {@link HaProtocolError}
 * naming the field. Keys come out as `XfrmKey`s (redacted when printed).
 * @throws {@link HaProtocolError}.
 */
export function decodeHaRecord(line: string): HaRecord {
  if (typeof line !== 'string') throw new HaProtocolError('line', 'expected a string');
  if (line.length > HA_RECORD_MAX_LINE) throw new HaProtocolError('line', `${line.length} characters: over the limit of ${HA_RECORD_MAX_LINE}`);
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (e) {
    throw new HaProtocolError('line', `not JSON: ${jsonErrorText(e)}`);
  }
  const o = needObject(json, 'record');
  if (o.v !== HA_RECORD_VERSION) throw new HaProtocolError('v', `expected version ${HA_RECORD_VERSION}, got ${quoteSafe(o.v)}`);
  if (!isHaRecordType(o.type)) throw new HaProtocolError('type', `unknown record type ${quoteSafe(o.type)}`);
  const type = o.type;
  onlyFields(o, ['v', 'type', 'seq', 'epoch', ...FIELDS[type]], type);
  const seq = needUint(o.seq, 'seq', Number.MAX_SAFE_INTEGER);
  if (!isHaEpoch(o.epoch)) throw new HaProtocolError('epoch', 'expected 1-64 characters of [A-Za-z0-9._:-]');
  const base = { seq, epoch: o.epoch };
  switch (type) {
    case 'full-begin':
      return { type, ...base, takenAt: needTime(o.takenAt, `${type}.takenAt`) };
    case 'full-sa':
    case 'sa-add':
    case 'sa-update': {
      const r: HaFullSa | HaSaAdd | HaSaUpdate = { type, ...base, sa: decodeSa(o.sa, `${type}.sa`) };
      const rt = optUint(o, 'replayThresh', type, 0xffffffff);
      if (rt !== undefined) r.replayThresh = rt;
      const et = optUint(o, 'etimerThresh', type, 0xffffffff);
      if (et !== undefined) r.etimerThresh = et;
      return r;
    }
    case 'full-policy':
    case 'policy-add':
    case 'policy-update':
      return { type, ...base, policy: decodePolicy(o.policy, `${type}.policy`) };
    case 'full-end':
      return { type, ...base, sas: needUint(o.sas, `${type}.sas`, Number.MAX_SAFE_INTEGER), policies: needUint(o.policies, `${type}.policies`, Number.MAX_SAFE_INTEGER) };
    case 'sa-delete':
      return { type, ...base, id: decodeSaId(o.id, `${type}.id`) };
    case 'counters': {
      if ((o.replay === undefined) === (o.replayEsn === undefined)) throw new HaProtocolError(`${type}.replay`, 'exactly one of replay and replayEsn is required');
      const r: HaCounters = {
        type,
        ...base,
        id: decodeSaId(o.id, `${type}.id`),
        current: decodeCur(o.current, `${type}.current`),
        replayThresh: needUint(o.replayThresh, `${type}.replayThresh`, 0xffffffff),
        etimerThresh: needUint(o.etimerThresh, `${type}.etimerThresh`, 0xffffffff),
        syncedAt: needTime(o.syncedAt, `${type}.syncedAt`),
      };
      if (o.replayEsn !== undefined) r.replayEsn = decodeReplayEsn(o.replayEsn, `${type}.replayEsn`);
      else r.replay = decodeReplay(o.replay, `${type}.replay`);
      return r;
    }
    case 'policy-delete':
      return { type, ...base, id: decodePolicyId(o.id, `${type}.id`) };
    case 'resync':
      if (typeof o.reason !== 'string' || !RESYNC_REASONS.includes(o.reason)) throw new HaProtocolError(`${type}.reason`, `expected one of ${RESYNC_REASONS.join(', ')}, got ${quoteSafe(o.reason)}`);
      return { type, ...base, reason: o.reason as HaResyncReason };
  }
}
