/**
 * What is checked for one input: every target is called, and every outcome other than a
 * value or a typed error is a finding. Classes:
 *
 * - `untyped`: a target threw something other than NetlinkDecodeError / NetlinkEncodeError
 *   (or CliError from the `decode` command).
 * - `oob`: an output holds bytes of the marker that surrounds the input in its ArrayBuffer
 *   (the decoder read outside the view it was given), or more bytes than the input had.
 * - `key-leak`: key bytes of the input (alg_key and what follows it in an XFRMA_ALG_*
 *   attribute, found by {@link walk}, not by the decoders) appear in an output made without
 *   showKeys: JSON, CLI text, event lines, error messages, util.inspect of states/events.
 * - `round-trip`: a decoded value that encodes does not decode to the same value, or its
 *   JSON form (with showKeys) does not come back through xfrmMessageFromJson.
 * - `hang` and `memory` are decided by the engine (time and allocation per input).
 */
import { performance } from 'node:perf_hooks';
import { inspect } from 'node:util';
import { NetlinkDecodeError, NetlinkEncodeError } from '../src/netlink/errors.js';
import { decodeNlmsgerr } from '../src/netlink/nlmsgerr.js';
import { decodeAttrs, encodeAttrs, attrsLength, nlaIterate, type AttrSpace } from '../src/netlink/nlattr.js';
import { nlmsgIterate } from '../src/netlink/reader.js';
import { type Codec } from '../src/netlink/codec.js';
import * as netlinkApi from '../src/netlink/index.js';
import * as xfrmApi from '../src/xfrm/index.js';
import { decodeXfrmMessages, encodeXfrmMessages, type XfrmNetlinkMessage } from '../src/xfrm/family.js';
import { xfrmMessageFromJson, xfrmMessageToJson } from '../src/xfrm/json.js';
import { eventFromMessage, type XfrmEvent } from '../src/client/events.js';
import { stateFromMessage, type XfrmState } from '../src/client/state.js';
import { policyFromMessage } from '../src/client/policy.js';
import { aeFromMessage } from '../src/client/ae.js';
import { forEachPolicyView, XfrmViewExpiredError } from '../src/client/views.js';
import { forEachStateView } from '../src/client/state-view.js';
import { EventViewHandler, type XfrmEventView } from '../src/client/event-view.js';
import { HOST_LE } from '../src/netlink/endian.js';
import { nlmsgAlign } from '../src/netlink/align.js';
import { nlmsgAt } from '../src/netlink/reader.js';
import { eventJson, formatAe, formatDefaults, formatEvent, formatPolicy, formatState, jsonLine } from '../src/cli/format.js';
import { decodeCommand } from '../src/cli/codec-commands.js';
import { CliError } from '../src/cli/exit-codes.js';
import { type Rng } from './rng.js';
import { keysOf, walk, type Layout } from './structure.js';

/** Finding classes, in report order. */
export const CLASSES = ['untyped', 'oob', 'hang', 'key-leak', 'round-trip', 'memory'] as const;
export type FindingClass = (typeof CLASSES)[number];

/** One failed check. `signature` groups findings of the same cause. */
export interface Finding {
  cls: FindingClass;
  target: string;
  signature: string;
  detail: string;
}

// ---------------------------------------------------------------- the marker around inputs

/** Printable ASCII so that it survives both hex dumps and UTF-8 strings unchanged. */
const MARK = Buffer.from('~OoB!mK#', 'latin1');
/** Bytes of marker before and after the input in its ArrayBuffer. */
export const PAD = 256;
const WIN = 6;
const RAW_WINDOWS: string[] = [];
const HEX_WINDOWS: string[] = [];
for (let p = 0; p < MARK.length; p++) {
  const w = Buffer.alloc(WIN);
  for (let i = 0; i < WIN; i++) w[i] = MARK[(p + i) % MARK.length]!;
  RAW_WINDOWS.push(w.toString('latin1'));
  HEX_WINDOWS.push(w.toString('hex'));
}
const FILL = Buffer.alloc(PAD * 2 + MARK.length * 2);
for (let i = 0; i < FILL.length; i++) FILL[i] = MARK[i % MARK.length]!;

/** The input as a view into a larger ArrayBuffer whose other bytes are the marker. */
export function placeInMarkedBuffer(input: Uint8Array): Uint8Array {
  const ab = new ArrayBuffer(input.length + 2 * PAD);
  const all = new Uint8Array(ab);
  // The marker continues in phase after the input, so a read across the end meets it at once.
  all.set(FILL.subarray(MARK.length - (PAD % MARK.length), MARK.length - (PAD % MARK.length) + PAD), 0);
  all.set(input, PAD);
  all.set(FILL.subarray(0, PAD), PAD + input.length);
  return new Uint8Array(ab, PAD, input.length);
}

function hasMarker(s: string): boolean {
  // Every window contains "oB" or "mK" (hex 6f42 / 6d4b): a cheap pre-filter.
  if (!s.includes('oB') && !s.includes('mK') && !s.includes('6f42') && !s.includes('6d4b')) return false;
  for (let i = 0; i < RAW_WINDOWS.length; i++) if (s.includes(RAW_WINDOWS[i]!) || s.includes(HEX_WINDOWS[i]!)) return true;
  return false;
}

// ---------------------------------------------------------------- canonical values

/** Bytes held by Uint8Arrays of the last {@link canon} call. */
let canonBytes = 0;

/**
 * A canonical string of a decoded value (bigint, bytes and strings tagged). Keys are in
 * insertion order (sorting them costs a third of the run); two values whose strings differ
 * are compared again with {@link diffPath}, which ignores key order.
 */
export function canon(v: unknown): string {
  canonBytes = 0;
  return canonOf(v);
}
function canonOf(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'bigint':
      return `${v}n`;
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'boolean':
    case 'undefined':
      return String(v);
    case 'object':
      break;
    default:
      return `<${typeof v}>`;
  }
  if (v instanceof Uint8Array) {
    canonBytes += v.length;
    return 'x' + Buffer.from(v.buffer, v.byteOffset, v.length).toString('hex');
  }
  if (Array.isArray(v)) return '[' + v.map(canonOf).join(',') + ']';
  let out = '{';
  for (const k in v as Record<string, unknown>) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out += `${k}:${canonOf(x)},`;
  }
  return out + '}';
}

/** Path of the first difference between two values, with indices generalised (`[]`). */
export function diffPath(a: unknown, b: unknown, path = ''): string | null {
  if (canonOf(a) === canonOf(b)) return null;
  if (a instanceof Uint8Array || b instanceof Uint8Array || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return path || '(value)';
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}.length`;
    for (let i = 0; i < a.length; i++) {
      const d = diffPath(a[i], b[i], `${path}[]`);
      if (d) return d;
    }
    return null;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return path || '(value)';
  const ka = a as Record<string, unknown>;
  const kb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ka), ...Object.keys(kb)]);
  for (const k of [...keys].sort()) {
    const name = k === 'type' ? '.type' : `.${k}`;
    const d = diffPath(ka[k], kb[k], path + name);
    if (d) return ka.type !== undefined && path === '' ? `${String(ka.type)}${d}` : d;
  }
  return null; // same content, other key order
}

/** Whether two values differ (cheap string test first, order-insensitive confirmation). */
function differs(a: unknown, b: unknown, ca: string, cb: string): string | null {
  return ca === cb ? null : diffPath(a, b);
}

// ---------------------------------------------------------------- targets

/** Struct codecs and attribute spaces found among the public exports (so new ones are fuzzed without listing them). */
export const CODECS: [string, Codec<unknown>][] = [];
export const SPACES: AttrSpace[] = [];
for (const api of [netlinkApi, xfrmApi] as Record<string, unknown>[]) {
  for (const [name, v] of Object.entries(api)) {
    if (v === null || typeof v !== 'object') continue;
    const o = v as Record<string, unknown>;
    if (typeof o.decode === 'function' && typeof o.encode === 'function' && typeof o.length === 'function' && typeof o.name === 'string') {
      CODECS.push([name, v as Codec<unknown>]);
    } else if (o.byType instanceof Array && o.byName instanceof Map) {
      SPACES.push(v as AttrSpace);
    }
  }
}

/** Per-input context: collects findings and what outputs must be checked. */
/** The decimals of the first 8-byte window of `key` holding at least 4 distinct values, comma-joined. */
function distinctWindow(key: Uint8Array): string | undefined {
  for (let i = 0; i + 8 <= key.length; i++) {
    const w = key.subarray(i, i + 8);
    if (new Set(w).size >= 4) return Array.from(w).join(',');
  }
  return undefined;
}

export class Check {
  readonly findings: Finding[] = [];
  /** Texts produced without showKeys (checked for keys and the marker). */
  private readonly redacted: [string, string][] = [];
  /** Texts produced with showKeys or not about keys (checked for the marker only). */
  private readonly other: [string, string][] = [];
  /** Targets that ran (statistics). */
  readonly ran: string[] = [];
  /** decodeXfrmMessages returned a value. */
  decoded = false;
  /** util.inspect is slow: checked on a quarter of the inputs that hold keys. */
  inspectThis = false;
  /** The slowest single call of a library function for this input, and which. */
  maxCallMs = 0;
  maxCallTarget = '';
  constructor(
    readonly input: Uint8Array,
    readonly le: boolean,
    readonly keys: Uint8Array[],
    readonly checkOob: boolean,
  ) {}

  add(cls: FindingClass, target: string, signature: string, detail: string): void {
    if (!this.findings.some((f) => f.signature === `${cls}|${target}|${signature}`)) {
      this.findings.push({ cls, target, signature: `${cls}|${target}|${signature}`, detail });
    }
  }

  /** Run `fn`; a typed error is an accepted outcome (its message is still checked), anything else a finding. */
  call<T>(target: string, fn: () => T, accept: 'decode' | 'encode' | 'any-typed' | 'cli' = 'any-typed'): T | undefined {
    this.ran.push(target);
    const t0 = performance.now();
    try {
      return fn();
    } catch (e) {
      const typed =
        (e instanceof NetlinkDecodeError && accept !== 'encode') ||
        (e instanceof NetlinkEncodeError && accept !== 'decode') ||
        (e instanceof CliError && accept === 'cli');
      if (typed) {
        this.redactedText(`${target} error message`, (e as Error).message);
        return undefined;
      }
      // Stacks are off while fuzzing (capturing one per typed error costs a fifth of the
      // time): run the target again with them on to name where the untyped error comes from.
      let withStack = e;
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 12;
      try {
        fn();
      } catch (e2) {
        withStack = e2;
      } finally {
        Error.stackTraceLimit = limit;
      }
      this.add('untyped', target, errorSignature(withStack), errorDetail(withStack));
      return undefined;
    } finally {
      // The time of one call of the library (util.inspect is Node's, not ours).
      const ms = performance.now() - t0;
      if (ms > this.maxCallMs && !target.startsWith('inspect')) {
        this.maxCallMs = ms;
        this.maxCallTarget = target;
      }
    }
  }

  redactedText(where: string, s: string): void {
    this.redacted.push([where, s]);
  }
  otherText(where: string, s: string): void {
    this.other.push([where, s]);
  }

  /** Check every collected text. */
  finish(): void {
    if (this.checkOob) {
      for (const [where, s] of [...this.redacted, ...this.other]) {
        if (hasMarker(s)) this.add('oob', where, 'marker', `${where} contains bytes from outside the input: ${snippet(s)}`);
      }
    }
    for (const key of this.keys) {
      const hex = Buffer.from(key).toString('hex');
      // util.inspect prints bytes as decimals: look for an 8-byte window of the key distinct
      // enough not to occur by chance (a run of zeros matches any zeroed array).
      const dec = distinctWindow(key);
      for (const [where, s] of this.redacted) {
        if (s.includes(hex)) this.add('key-leak', where, 'hex', `${where} shows a key (${key.length} bytes) without showKeys`);
        else if (dec !== undefined && where.startsWith('inspect') && s.replace(/\s+/g, '').includes(dec)) {
          this.add('key-leak', where, 'bytes', `${where} shows key bytes (${dec},…) without showKeys`);
        }
      }
    }
  }
}

function snippet(s: string): string {
  let i = -1;
  for (const w of [...RAW_WINDOWS, ...HEX_WINDOWS]) {
    const j = s.indexOf(w);
    if (j !== -1 && (i === -1 || j < i)) i = j;
  }
  return JSON.stringify(s.slice(Math.max(0, i - 40), i + 60));
}

/** Error class + message with numbers generalised + the first stack frame: one cause, one signature. */
export function errorSignature(e: unknown): string {
  if (!(e instanceof Error)) return `non-Error ${typeof e}`;
  const msg = e.message.replace(/0x[0-9a-f]+|\d+/gi, 'N').slice(0, 120);
  const frame = (e.stack ?? '').split('\n').find((l) => /^\s+at /.test(l)) ?? '';
  const fn = /at (?:new )?([\w$.<>]+)/.exec(frame)?.[1] ?? '?';
  return `${e.name}: ${msg} @ ${fn}`;
}
function errorDetail(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return (e.stack ?? `${e.name}: ${e.message}`).split('\n').slice(0, 6).join('\n');
}

const STATE_TYPES = new Set(['XFRM_MSG_NEWSA', 'XFRM_MSG_UPDSA']);
const POLICY_TYPES = new Set(['XFRM_MSG_NEWPOLICY', 'XFRM_MSG_UPDPOLICY']);

/** Run every target on one input (already placed in its marked buffer). */
export function checkInput(input: Uint8Array, le: boolean, rng: Rng, layout: Layout = walk(input, le)): Check {
  const raw = Buffer.from(input.buffer, input.byteOffset, input.length).toString('latin1');
  const c = new Check(input, le, keysOf(input, layout), !hasMarker(raw) && !hasMarker(Buffer.from(input).toString('hex')));
  const view = new DataView(input.buffer, input.byteOffset, input.length);
  c.inspectThis = rng.chance(0.25);

  // --- framing walkers
  c.call('nlmsgIterate', () => {
    for (const loc of nlmsgIterate(view, le)) for (const _ of nlaIterate(view, loc.offset + 16, loc.offset + loc.len, le)) void _;
  }, 'decode');

  // --- the datagram decoder and everything built on its result
  const msgs = c.call('decodeXfrmMessages', () => decodeXfrmMessages(input, le), 'decode');
  if (msgs) {
    c.decoded = true;
    let bytesHeld = 0;
    const perMsg = msgs.map((m) => {
      const s = canon(m);
      bytesHeld += canonBytes;
      return s;
    });
    const value = perMsg.join(',');
    canonBytes = bytesHeld;
    c.otherText('decoded value', value);
    if (canonBytes > input.length) c.add('oob', 'decodeXfrmMessages', 'size', `decoded values hold ${canonBytes} bytes from a ${input.length}-byte input`);
    if (canonBytes > 1 << 20) c.add('memory', 'decodeXfrmMessages', 'size', `decoded values hold ${canonBytes} bytes`);
    roundTrip(c, msgs, perMsg);
    for (const m of msgs) perMessage(c, m);
    c.call('decode command', () => {
      const out = decodeCommand(input, { hex: false, showKeys: false });
      c.redactedText('decode command output', out);
    }, 'cli');
  } else {
    // Even for rejected input the command must fail cleanly (and its error line is checked).
    c.call('decode command', () => decodeCommand(input, { hex: false, showKeys: false }), 'cli');
  }

  // --- the dump views over the same datagram (every getter, toObject, JSON, inspect), and a
  // view read after its datagram was released must throw XfrmViewExpiredError
  viewChecks(c, input, le);
  // --- the event views of XfrmEventStream.drain over the same datagram (host byte order only)
  if (le === HOST_LE) eventViewChecks(c, input);

  // --- lower-level public decoders, aimed at structural offsets
  const offsets = [0, 16, 20, 36, ...layout.msgs.flatMap((m) => [m.off + 16, m.attrStart]), ...layout.attrs.map((a) => a.off + 4)].filter(
    (o) => o >= 0 && o <= input.length,
  );
  for (let k = 0; k < 2; k++) {
    const [name, codec] = rng.pick(CODECS);
    const off = rng.chance(0.8) && offsets.length ? rng.pick(offsets) : rng.int(input.length + 1);
    codecRoundTrip(c, `codec ${name}`, codec, view, off, input.length - off);
  }
  const space = rng.pick(SPACES);
  const aoff = rng.chance(0.8) && offsets.length ? rng.pick(offsets) : rng.int(input.length + 1);
  const attrs = c.call(`decodeAttrs ${space.name}`, () => decodeAttrs(view, aoff, input.length, space, le), 'decode');
  if (attrs) {
    const v = canon(attrs);
    c.otherText(`decodeAttrs ${space.name}`, v);
    const back = c.call(`encodeAttrs ${space.name}`, () => {
      const n = attrsLength(attrs, space);
      const out = new DataView(new ArrayBuffer(n));
      encodeAttrs(out, 0, attrs, space, le);
      return out;
    }, 'encode');
    if (back) {
      const again = c.call(`decodeAttrs ${space.name} (re-decode)`, () => decodeAttrs(back, 0, back.byteLength, space, le), 'decode');
      if (!again) c.add('round-trip', `attrs ${space.name}`, 'redecode', 'encoded attributes do not decode');
      else {
        const d = differs(attrs, again, v, canon(again));
        if (d) c.add('round-trip', `attrs ${space.name}`, d, `attributes of ${space.name} change through encode/decode`);
      }
    }
  }
  const eoff = layout.msgs.length && rng.chance(0.8) ? rng.pick(layout.msgs).off + 16 : rng.int(input.length + 1);
  const flags = rng.pick([0, 0x100, 0x200, 0x300]);
  const e = c.call('decodeNlmsgerr', () => decodeNlmsgerr(view, eoff, input.length, flags, le), 'decode');
  if (e) c.otherText('decodeNlmsgerr', canon(e));

  c.finish();
  return c;
}

function codecRoundTrip(c: Check, target: string, codec: Codec<unknown>, view: DataView, off: number, available: number): void {
  const v = c.call(target, () => codec.decode(view, off, available, c.le), 'decode');
  if (v === undefined) return;
  const s = canon(v);
  c.otherText(target, s);
  if (canonBytes > available) c.add('oob', target, 'size', `${target} returned ${canonBytes} bytes from ${available} available`);
  const back = c.call(`${target} encode`, () => {
    const n = codec.length(v);
    const out = new DataView(new ArrayBuffer(n));
    codec.encode(out, 0, v, c.le);
    return out;
  }, 'encode');
  if (!back) return;
  const again = c.call(`${target} re-decode`, () => codec.decode(back, 0, back.byteLength, c.le), 'decode');
  if (again === undefined) c.add('round-trip', target, 'redecode', `${target}: encoded value does not decode`);
  else {
    const d = differs(v, again, s, canon(again));
    if (d) c.add('round-trip', target, d, `${target}: value changes through encode/decode`);
  }
}

function roundTrip(c: Check, msgs: XfrmNetlinkMessage[], perMsg: string[]): void {
  const bytes = c.call('encodeXfrmMessages', () => encodeXfrmMessages(msgs, c.le), 'encode');
  if (bytes) {
    let again: XfrmNetlinkMessage[] | undefined;
    try {
      again = decodeXfrmMessages(bytes, c.le);
    } catch (e) {
      c.add('round-trip', 'decode(encode(decode(x)))', errorSignature(e), `re-decoding the encoded messages fails: ${errorDetail(e)}`);
    }
    if (again) {
      const d = differs(msgs, again, perMsg.join(','), again.map(canon).join(','));
      if (d) c.add('round-trip', 'decode(encode(decode(x)))', d, 'the value changes through encode → decode');
    }
  }
  // JSON with keys shown must come back to the same value.
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    const json = c.call('xfrmMessageToJson showKeys', () => JSON.stringify(xfrmMessageToJson(m, { showKeys: true })));
    if (json === undefined) continue;
    c.otherText('JSON (showKeys)', json);
    let back: XfrmNetlinkMessage | undefined;
    try {
      back = xfrmMessageFromJson(JSON.parse(json));
    } catch (e) {
      c.add('round-trip', 'xfrmMessageFromJson', errorSignature(e), `JSON of ${String(m.type)} does not come back: ${errorDetail(e)}`);
    }
    if (back) {
      const d = differs(m, back, perMsg[i]!, canon(back));
      if (d) c.add('round-trip', 'xfrmMessageFromJson', d, `JSON of ${String(m.type)} comes back different`);
    }
  }
}

function perMessage(c: Check, m: XfrmNetlinkMessage): void {
  const json = c.call('xfrmMessageToJson', () => JSON.stringify(xfrmMessageToJson(m)));
  if (json !== undefined) c.redactedText('JSON (redacted)', json);

  // The event builder and its CLI forms (monitor and monitor --json).
  const ev = c.call('eventFromMessage', () => eventFromMessage(m as Parameters<typeof eventFromMessage>[0]));
  if (ev) {
    const line = c.call('formatEvent', () => formatEvent(ev));
    if (line !== undefined) c.redactedText('formatEvent', line);
    const j = c.call('eventJson', () => jsonLine(eventJson(ev)));
    if (j !== undefined) c.redactedText('monitor --json line', j);
    const st = (ev as { state?: XfrmState }).state;
    if (st) formatStateChecks(c, st);
    if (c.keys.length && c.inspectThis) inspectCheck(c, 'inspect(event)', ev);
  }

  // The friendly models and the CLI's text forms.
  if (typeof m.type !== 'string' || !('body' in m) || m.body === null) return;
  if (STATE_TYPES.has(m.type)) {
    const s = c.call('stateFromMessage', () => stateFromMessage((m as any).body, (m as any).attrs));
    if (s) formatStateChecks(c, s);
  } else if (POLICY_TYPES.has(m.type)) {
    const p = c.call('policyFromMessage', () => policyFromMessage((m as any).body, (m as any).attrs));
    if (p) {
      const t = c.call('formatPolicy', () => formatPolicy(p));
      if (t !== undefined) c.redactedText('formatPolicy', t);
      const j = c.call('jsonLine(policy)', () => jsonLine(p));
      if (j !== undefined) c.redactedText('policy list --json line', j);
    }
  } else if (m.type === 'XFRM_MSG_NEWAE') {
    const body = (m as any).body;
    const ae = c.call('aeFromMessage', () => aeFromMessage(body, (m as any).attrs));
    if (ae) {
      const t = c.call('formatAe', () => formatAe(body.saId, ae));
      if (t !== undefined) c.redactedText('formatAe', t);
    }
  } else if (m.type === 'XFRM_MSG_GETDEFAULT') {
    const t = c.call('formatDefaults', () => formatDefaults((m as any).body));
    if (t !== undefined) c.redactedText('formatDefaults', t);
  }
}

function formatStateChecks(c: Check, s: XfrmState): void {
  const t = c.call('formatState', () => formatState(s));
  if (t !== undefined) c.redactedText('formatState', t);
  const shown = c.call('formatState showKeys', () => formatState(s, { showKeys: true }));
  if (shown !== undefined) c.otherText('formatState showKeys', shown);
  const j = c.call('jsonLine(state)', () => jsonLine(s));
  if (j !== undefined) c.redactedText('state list --json line', j);
  if (c.keys.length && c.inspectThis) inspectCheck(c, 'inspect(state)', s);
}

function inspectCheck(c: Check, where: string, v: unknown): void {
  const s = c.call(where, () => inspect(v, { depth: 8, maxArrayLength: 64 }));
  if (s !== undefined) c.redactedText(where, s);
}

/** Re-export for the engine. */
export type { XfrmEvent };

/** The getters of a view class (its prototype's accessors). */
function gettersOf(proto: object): string[] {
  return Object.entries(Object.getOwnPropertyDescriptors(proto))
    .filter(([, d]) => d.get !== undefined)
    .map(([k]) => k);
}

/**
 * Walk `input` as a dump datagram through the policy and SA views: each getter (and the
 * selector's), `toObject()`, `JSON.stringify` and `inspect` may only fail typed; their texts
 * are checked for keys and bytes from outside the input; a view kept past the walk must throw
 * {@link XfrmViewExpiredError} on every read.
 */
function viewChecks(c: Check, input: Uint8Array, le: boolean): void {
  for (const [name, walkViews] of [
    ['forEachPolicyView', forEachPolicyView],
    ['forEachStateView', forEachStateView],
  ] as const) {
    let kept: object | undefined;
    c.call(name, () =>
      (walkViews as (d: Uint8Array, fn: (v: object) => void, le: boolean) => number)(input, (v) => {
        kept ??= v;
        const rec = v as Record<string, unknown>;
        for (const g of gettersOf(Object.getPrototypeOf(v) as object)) {
          const got = c.call(`${name} .${g}`, () => rec[g], 'decode');
          if (g === 'selector' && got !== undefined) {
            const sel = got as Record<string, unknown>;
            for (const sg of gettersOf(Object.getPrototypeOf(sel) as object)) c.call(`${name} .selector.${sg}`, () => sel[sg], 'decode');
          }
        }
        const obj = c.call(`${name} toObject`, () => (v as { toObject(): unknown }).toObject(), 'decode');
        if (obj !== undefined) c.otherText(`${name} toObject`, canon(obj));
        const json = c.call(`${name} JSON`, () => JSON.stringify(v), 'decode');
        if (json !== undefined) c.redactedText(`${name} JSON`, json);
        if (c.inspectThis) c.redactedText(`inspect ${name}`, inspect(v, { depth: 4 }));
      }, le),
    'decode');
    if (kept === undefined) continue;
    const rec = kept as Record<string, unknown>;
    for (const g of gettersOf(Object.getPrototypeOf(kept) as object)) {
      // `valid` says whether it expired; `le` (private in TypeScript) is the byte order, not bytes.
      if (g === 'valid' || g === 'le') continue;
      try {
        void rec[g];
        c.add('oob', `${name} .${g}`, 'expired', `${name}: .${g} of a view read after its datagram was released did not throw`);
      } catch (e) {
        if (!(e instanceof XfrmViewExpiredError)) c.add('untyped', `${name} .${g} (expired)`, errorSignature(e), errorDetail(e));
      }
    }
  }
}

/**
 * The event views `XfrmEventStream.drain` hands on, over `input` taken as one notification
 * datagram: split as the subscription's drain splits it (a message's framing checked before
 * its view is made; a broken frame ends the datagram, typed), every getter of the event view
 * and of its policy/selector/state views, `toEvent()`, JSON and inspect may only fail typed and
 * never show a key or outside bytes; after release every read throws XfrmViewExpiredError.
 */
function eventViewChecks(c: Check, input: Uint8Array): void {
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const handler = new EventViewHandler();
  const seen: XfrmEventView[] = [];
  const name = 'XfrmEventView';
  handler.fn = (ev) => {
    seen.push(ev);
    const rec = ev as unknown as Record<string, unknown>;
    for (const g of gettersOf(Object.getPrototypeOf(ev) as object)) {
      const got = c.call(`${name} .${g}`, () => rec[g], 'decode');
      if ((g === 'policy' || g === 'state') && got !== undefined) subViewChecks(c, `${name} .${g}`, got as object);
    }
    const e = c.call(`${name} toEvent`, () => ev.toEvent(), 'decode');
    if (e !== undefined) c.redactedText(`${name} toEvent`, jsonLine(eventJson(e)));
    if (c.inspectThis) c.redactedText(`inspect ${name}`, inspect(ev, { depth: 4 }));
  };
  c.call(`${name} drain`, () => {
    try {
      for (let off = 0; off < input.length; ) {
        const len = input.length - off >= 16 ? view.getUint32(off, HOST_LE) : 0;
        if (len < 16 || len > input.length - off) nlmsgAt(view, off, input.length, HOST_LE);
        const at = off;
        off += Math.min(nlmsgAlign(len), input.length - off);
        handler.message(view, at, len);
      }
    } finally {
      handler.release();
    }
  }, 'decode');
  const kept = seen[0];
  if (kept === undefined) return;
  const rec = kept as unknown as Record<string, unknown>;
  for (const g of [...gettersOf(Object.getPrototypeOf(kept) as object), 'toEvent']) {
    if (g === 'valid') continue;
    try {
      if (g === 'toEvent') kept.toEvent();
      else void rec[g];
      c.add('oob', `${name} .${g}`, 'expired', `${name}: .${g} of a view read after its datagram was released did not throw`);
    } catch (e) {
      if (!(e instanceof XfrmViewExpiredError)) c.add('untyped', `${name} .${g} (expired)`, errorSignature(e), errorDetail(e));
    }
  }
}

/** Every getter of a view inside an event view (its policy or SA, and their selector), toObject and JSON. */
function subViewChecks(c: Check, where: string, v: object): void {
  const rec = v as Record<string, unknown>;
  for (const g of gettersOf(Object.getPrototypeOf(v) as object)) {
    const got = c.call(`${where}.${g}`, () => rec[g], 'decode');
    if (g === 'selector' && got !== undefined) {
      const sel = got as Record<string, unknown>;
      for (const sg of gettersOf(Object.getPrototypeOf(sel) as object)) c.call(`${where}.selector.${sg}`, () => sel[sg], 'decode');
    }
  }
  if (typeof (v as { toObject?: unknown }).toObject === 'function') {
    const obj = c.call(`${where} toObject`, () => (v as { toObject(): unknown }).toObject(), 'decode');
    if (obj !== undefined) c.otherText(`${where} toObject`, canon(obj));
  }
  const json = c.call(`${where} JSON`, () => JSON.stringify(v), 'decode');
  if (json !== undefined) c.redactedText(`${where} JSON`, json);
}
