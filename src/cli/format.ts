/**
 * Output of the CLI: human text that reads like `ip -s xfrm state` / `ip -s xfrm policy`
 * (same words, order and values wherever both show the same thing), one-line event summaries
 * for `monitor`, and JSON lines (the library's `toJson`, schema in `docs/json.md`). Keys are
 * redacted everywhere unless `showKeys` is set.
 * @module
 */
import { type XfrmSadInfo, type XfrmSpdInfo } from '../client/client.js';
import { type XfrmAeState } from '../client/ae.js';
import { type XfrmEvent } from '../client/events.js';
import { type XfrmPolicy } from '../client/policy.js';
import { SA_PLAIN_BY_FIELD, SA_PLAIN_FIELDS, type SaFieldText, type SaOptionalField, type SaTextField } from '../client/sa-fields.js';
import { type XfrmState } from '../client/state.js';
import { IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_MH, XFRM_INF, XFRM_POLICY_ALLOW, XFRM_POLICY_BLOCK, XFRM_POLICY_MAX, XFRM_POLICY_TYPE_MAIN } from '../xfrm/constants.js';
import { SecretBytes } from '../netlink/secret.js';
import { toJson } from '../client/json.js';
import { REDACTED } from '../xfrm/json.js';
import { type XfrmLifetimeCfg } from '../xfrm/structs/lifetime-cfg.js';
import { type XfrmLifetimeCur } from '../xfrm/structs/lifetime-cur.js';
import { type XfrmMark } from '../xfrm/structs/mark.js';
import { type XfrmReplayState } from '../xfrm/structs/replay-state.js';
import { type XfrmReplayStateEsn } from '../xfrm/structs/replay-state-esn.js';
import { type XfrmSelector } from '../xfrm/structs/selector.js';
import { type XfrmUserpolicyDefault } from '../xfrm/structs/userpolicy-default.js';
import {
  AE_FLAG_NAMES,
  ENCAP_TYPE_NAMES,
  MODE_NAMES,
  POLICY_DEFAULT_NAMES,
  POLICY_DIR_NAMES,
  POLICY_FLAG_NAMES,
  POLICY_TYPE_NAMES,
  SA_DIR_NAMES,
  SA_PROTO_NAMES,
  SELECTOR_PROTO_NAMES,
  SHARE_NAMES,
  splitFlags,
  STATE_EXTRA_FLAG_NAMES,
  STATE_FLAG_NAMES,
  type NameTable,
} from '../xfrm/names.js';

/** Options of every formatter. */
export interface FormatOptions {
  /** Print key material (default: redacted). */
  showKeys?: boolean;
}

// ---- JSON ------------------------------------------------------------------------------

/**
 * A copy of `v` with key material replaced by {@link REDACTED}: every {@link SecretBytes}
 * (decoded keys, echoed requests) and every `Uint8Array` held by a property named `key` (the
 * friendly model's algorithms) or `algKey` (raw attributes).
 */
export function redactKeys<T>(v: T, showKeys = false): T {
  if (showKeys) return v;
  const walk = (x: unknown, k?: string): unknown => {
    if (x instanceof Uint8Array) return x instanceof SecretBytes || k === 'key' || k === 'algKey' ? REDACTED : x;
    if (Array.isArray(x)) return x.map((y) => walk(y));
    if (x !== null && typeof x === 'object') {
      const o: Record<string, unknown> = {};
      for (const [kk, y] of Object.entries(x)) o[kk] = walk(y, kk);
      return o;
    }
    return x;
  };
  return walk(v) as T;
}

/** One JSON line: the library's {@link toJson} of the value (`docs/json.md`), keys redacted unless `showKeys`. */
export function jsonLine(v: unknown, opts: FormatOptions = {}): string {
  return JSON.stringify(toJson(redactKeys(v, opts.showKeys), { showKeys: opts.showKeys ?? false })) + '\n';
}

// ---- small pieces ----------------------------------------------------------------------

/** `0x` + 8 hex digits. */
export function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

function hexShort(n: number): string {
  return '0x' + (n >>> 0).toString(16);
}

/** The key (or {@link REDACTED}) and its length as `ip -s` gives it: `0x0011… (128 bits)`. */
function keyText(key: Uint8Array, opts: FormatOptions): string {
  return `${opts.showKeys ? '0x' + Buffer.from(key).toString('hex') : REDACTED} (${key.length * 8} bits)`;
}

/** The names of the set bits, then any unnamed bits in hex. */
function flagNames(flags: number, table: NameTable): string {
  const { names, rest } = splitFlags(table, flags);
  if (rest !== 0) names.push(hex32(rest));
  return names.join(' ');
}

/**
 * Flag words as `ip` prints them after `flag`: the names of the set bits, then any bits the
 * table does not name in hex without `0x` (as ip does).
 */
function ipFlagWords(flags: number, table: NameTable): string[] {
  const { names, rest } = splitFlags(table, flags);
  if (rest !== 0) names.push(rest.toString(16));
  return names;
}

/**
 * A u8 flags field the way `ip -s` shows it in parentheses: `0x` followed by the eight bits
 * as binary digits, most significant first (`esn` = 128 is `0x10000000`). It is not hex: ip
 * prints it so, and the text here reads the same.
 */
export function ipFlagBits(flags: number): string {
  return '0x' + (flags & 0xff).toString(2).padStart(8, '0');
}

/** `0x1/0xffffffff`. */
export function markText(m: XfrmMark): string {
  return `${hexShort(m.v)}/${hexShort(m.m)}`;
}

/** Seconds since the epoch as `YYYY-MM-DD HH:MM:SSZ` (UTC), or `-` for 0. */
export function timeText(t: bigint): string {
  if (t === 0n) return '-';
  const d = new Date(Number(t) * 1000);
  return Number.isNaN(d.getTime()) ? String(t) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function limitText(v: bigint): string {
  return v === XFRM_INF ? '(INF)' : v.toString();
}

/**
 * `src 0.0.0.0/0 dst 0.0.0.0/0 [proto tcp] [sport 80 dport 443 | type 8 code 0 | key N] [ifindex 3] [uid 0]`
 * (without `sel`), in ip's words: ports print whenever their mask is set (whatever the
 * protocol, as ip does), ICMP/ICMPv6 ports as `type`/`code`, Mobility Header's as `type`, GRE's
 * as one `key`. `uid` always prints with `withUid` (ip's `-s` form), else only when not 0.
 * The interface prints as its index (ip prints its name, which needs a lookup).
 */
export function selectorText(sel: XfrmSelector, withUid = false): string {
  let s = `src ${sel.saddr}/${sel.prefixlenS} dst ${sel.daddr}/${sel.prefixlenD}`;
  if (sel.proto !== 0) s += ` proto ${SELECTOR_PROTO_NAMES.format(sel.proto)}`;
  if (sel.proto === IPPROTO_ICMP || sel.proto === IPPROTO_ICMPV6) {
    if (sel.sportMask !== 0) s += ` type ${sel.sport}`;
    if (sel.dportMask !== 0) s += ` code ${sel.dport}`;
  } else if (sel.proto === IPPROTO_GRE) {
    if (sel.sportMask !== 0 || sel.dportMask !== 0) s += ` key ${sel.sport * 0x10000 + sel.dport}`;
  } else if (sel.proto === IPPROTO_MH) {
    if (sel.sportMask !== 0) s += ` type ${sel.sport}`;
  } else {
    if (sel.sportMask !== 0) s += ` sport ${sel.sport}`;
    if (sel.dportMask !== 0) s += ` dport ${sel.dport}`;
  }
  if (sel.ifindex !== 0) s += ` ifindex ${sel.ifindex}`;
  if (withUid || sel.user !== 0) s += ` uid ${sel.user}`;
  return s;
}

/** Whether every byte of the selector is 0 (family too): ip prints no `sel` line for it then. */
function selectorIsZero(sel: XfrmSelector): boolean {
  const zeroAddr = (a: string) => /^(0\.0\.0\.0|::)$/.test(a);
  return (
    sel.family === 0 && sel.prefixlenD === 0 && sel.prefixlenS === 0 && sel.proto === 0 && sel.sport === 0 && sel.sportMask === 0 &&
    sel.dport === 0 && sel.dportMask === 0 && sel.ifindex === 0 && sel.user === 0 && zeroAddr(sel.saddr) && zeroAddr(sel.daddr)
  );
}

function lifetimeLines(lft: XfrmLifetimeCfg, cur: XfrmLifetimeCur | undefined, indent: string): string[] {
  const out = [
    `${indent}lifetime config:`,
    `${indent}  limit: soft ${limitText(lft.softByteLimit)}(bytes), hard ${limitText(lft.hardByteLimit)}(bytes)`,
    `${indent}  limit: soft ${limitText(lft.softPacketLimit)}(packets), hard ${limitText(lft.hardPacketLimit)}(packets)`,
    `${indent}  expire add: soft ${lft.softAddExpiresSeconds}(sec), hard ${lft.hardAddExpiresSeconds}(sec)`,
    `${indent}  expire use: soft ${lft.softUseExpiresSeconds}(sec), hard ${lft.hardUseExpiresSeconds}(sec)`,
  ];
  if (cur) {
    out.push(
      `${indent}lifetime current:`,
      `${indent}  ${cur.bytes}(bytes), ${cur.packets}(packets)`,
      `${indent}  add ${timeText(cur.addTime)} use ${timeText(cur.useTime)}`,
    );
  }
  return out;
}

/** The legacy replay state in ip's words. */
export function legacyReplayText(r: XfrmReplayState): string {
  return `anti-replay context: seq ${hexShort(r.seq)}, oseq ${hexShort(r.oseq)}, bitmap ${hex32(r.bitmap)}`;
}

/**
 * The ESN/BMP replay state in ip's words (several lines, each starting with `indent`). The
 * bitmap words print as ip prints them: the last word (`bmp[bmp_len - 1]`) first, down to
 * `bmp[0]`, eight to a line.
 */
export function esnReplayLines(r: XfrmReplayStateEsn, indent: string): string[] {
  const out = [
    `${indent}anti-replay esn context:`,
    `${indent} seq-hi ${hexShort(r.seqHi)}, seq ${hexShort(r.seq)}, oseq-hi ${hexShort(r.oseqHi)}, oseq ${hexShort(r.oseq)}`,
    `${indent} replay_window ${r.replayWindow}, bitmap-length ${r.bmpLen}`,
  ];
  const words = [...r.bmp].reverse();
  for (let i = 0; i < words.length; i += 8) {
    out.push(`${indent} ${words.slice(i, i + 8).map((x) => (x >>> 0).toString(16).padStart(8, '0')).join(' ')}`);
  }
  return out;
}

/** One-line identity: `src A dst B proto esp spi 0x00001000`. */
export function saIdText(s: { saddr?: string; daddr: string; proto: number; spi: number }): string {
  return `${s.saddr !== undefined ? `src ${s.saddr} ` : ''}dst ${s.daddr} proto ${SA_PROTO_NAMES.format(s.proto)} spi ${hex32(s.spi)}`;
}

// ---- SAs -------------------------------------------------------------------------------

/** Lines of one optional SA field; `undefined` (or nothing) when it prints nothing. */
type StateLines = (s: XfrmState, opts: FormatOptions) => string | string[] | undefined;

/** The text of a plain field's value in ip's words (see `SaFieldText`); `undefined` to print no line. */
function fieldValueText(v: number | bigint | string, ip: SaFieldText): string | undefined {
  const show = ip.show;
  if (show === undefined) return String(v);
  if (show === 'hex') return hexShort(v as number);
  if (show === 'time') return v === 0n ? undefined : timeText(v as bigint);
  if ('flags' in show) return v === 0 ? undefined : `${flagNames(v as number, show.flags)} (${hex32(v as number)})`;
  return show.format(v as number);
}

/** The `mark` line ip prints for a mark and/or an output mark: `mark 0x7/0xff output-mark 0x10/0xf0`. */
function markLine(mark: XfrmMark | undefined, outputMark: { value: number; mask: number } | undefined): string | undefined {
  const words: string[] = [];
  if (mark) words.push(`mark ${markText(mark)}`);
  if (outputMark) words.push(`output-mark ${markText({ v: outputMark.value, m: outputMark.mask })}`);
  return words.length ? words.join(' ') : undefined;
}

/** The security context's text: up to its first NUL (the kernel passes the terminator along, ip prints a C string). */
function secCtxText(ctx: string): string {
  const nul = ctx.indexOf('\0');
  return nul < 0 ? ctx : ctx.slice(0, nul);
}

/**
 * Where each optional SA field prints, in ip's order (`ip -s xfrm state`: marks, algorithms,
 * encap, coa, lastused, replay state, offload, if_id, tfcpad, dir; then the fields ip does
 * not print, in the table's order): `'table'` for a plain field printed from its row of the
 * SA field table (`word value`), else its lines by hand; `null` for the fields printed
 * elsewhere (on the flags line, with another field, or after the selector). A field with a
 * text in the table but no place here prints after the others, before the selector.
 */
const STATE_LINES: { readonly [F in Exclude<SaOptionalField, SaTextField>]: StateLines | null } & { readonly [F in SaTextField]?: 'table' | null } = {
  extraFlags: null, // on the flags line
  mark: (s) => (s.mark ? markLine(s.mark, s.outputMark) : undefined),
  outputMark: (s) => (s.mark ? undefined : markLine(undefined, s.outputMark)),
  auth: (s, opts) =>
    s.auth &&
    (s.auth.truncLen !== undefined ? `auth-trunc ${s.auth.name} ${keyText(s.auth.key, opts)} ${s.auth.truncLen}` : `auth ${s.auth.name} ${keyText(s.auth.key, opts)}`),
  aead: (s, opts) => s.aead && `aead ${s.aead.name} ${keyText(s.aead.key, opts)} ${s.aead.icvLen}`,
  crypt: (s, opts) => s.crypt && `enc ${s.crypt.name} ${keyText(s.crypt.key, opts)}`,
  comp: (s) => (s.comp !== undefined ? `comp ${s.comp}` : undefined),
  encap: (s) => {
    const e = s.encap;
    return e && `encap type ${ENCAP_TYPE_NAMES.format(e.encapType)} sport ${e.encapSport} dport ${e.encapDport} addr ${e.encapOa}`;
  },
  coaddr: 'table',
  lastUsed: 'table',
  replay: (s) => (s.replay && !s.replayEsn ? legacyReplayText(s.replay) : undefined),
  replayEsn: (s) => s.replayEsn && esnReplayLines(s.replayEsn, ''),
  offload: (s) => s.offload && `offload ifindex ${s.offload.ifindex} flags ${hexShort(s.offload.flags)}`,
  ifId: 'table',
  tfcpad: 'table',
  dir: 'table',
  pcpu: 'table',
  replayThresh: (s) =>
    s.replayThresh !== undefined || s.etimerThresh !== undefined ? `replay-thresh ${s.replayThresh ?? '-'} etimer-thresh ${s.etimerThresh ?? '-'}` : undefined,
  etimerThresh: null, // with replayThresh
  mtimerThresh: 'table',
  natKeepaliveInterval: 'table',
  iptfs: (s) => s.iptfs && `iptfs ${Object.entries(s.iptfs).map(([k, v]) => `${k} ${v === true ? '' : v}`.trim()).join(' ')}`,
  secCtx: null, // last, after the stats (as ip)
  current: null, // with the lifetime
  stats: null, // after the lifetime
  extraAttrs: null, // last
};

/** {@link STATE_LINES} in order, then the table's text fields it does not place. */
const STATE_LINE_ORDER: readonly (readonly [SaOptionalField, 'table' | StateLines | null])[] = [
  ...(Object.entries(STATE_LINES) as [SaOptionalField, 'table' | StateLines | null][]),
  ...SA_PLAIN_FIELDS.filter((p) => p.ip !== undefined && !(p.field in STATE_LINES)).map((p) => [p.field, 'table'] as const),
];

/**
 * The flags line: `replay-window N seq 0x… flag NAMES [extra_flag NAMES] (0xBITS)`, as
 * `ip -s` prints it (`flag` and the bits even when no flag is set). `seq` is the acquire
 * sequence number in hex (ip prints its decimal digits after `0x`).
 */
function stateFlagsLine(s: XfrmState): string {
  const words = ipFlagWords(s.flags, STATE_FLAG_NAMES);
  // ip writes `extra_flag` straight after the last flag name, without a space
  if (s.extraFlags !== undefined) words.push('extra_flag', ...ipFlagWords(s.extraFlags, STATE_EXTRA_FLAG_NAMES));
  return `replay-window ${s.replayWindow} seq ${hex32(s.acquireSeq)} flag ${words.join(' ')} (${ipFlagBits(s.flags)})`;
}

/** An SA as `ip -s xfrm state` prints it (lines end with `\n`; no trailing blanks). */
export function formatState(s: XfrmState, opts: FormatOptions = {}): string {
  const t = '\t';
  const L: string[] = [];
  L.push(`src ${s.saddr} dst ${s.daddr}`);
  L.push(`${t}proto ${SA_PROTO_NAMES.format(s.proto)} spi ${hex32(s.spi)}(${s.spi >>> 0}) reqid ${s.reqid}(${hex32(s.reqid)}) mode ${MODE_NAMES.format(s.mode)}`);
  L.push(t + stateFlagsLine(s));
  for (const [field, lines] of STATE_LINE_ORDER) {
    if (lines === 'table') {
      const v = s[field] as number | bigint | string | undefined;
      const ip = SA_PLAIN_BY_FIELD.get(field)!.ip!;
      const text = v === undefined ? undefined : fieldValueText(v, ip);
      if (text !== undefined) L.push(`${t}${ip.word} ${text}`);
    } else if (lines !== null) {
      const out = lines(s, opts);
      if (typeof out === 'string') L.push(t + out);
      else if (out) for (const l of out) L.push(t + l);
    }
  }
  if (!selectorIsZero(s.selector)) L.push(`${t}sel ${selectorText(s.selector, true)}`);
  L.push(...lifetimeLines(s.lifetime, s.current, t));
  if (s.stats) {
    L.push(`${t}stats:`, `${t}  replay-window ${s.stats.replayWindow} replay ${s.stats.replay} failed ${s.stats.integrityFailed}`);
  }
  if (s.secCtx) L.push(`${t}security context ${secCtxText(s.secCtx.ctx)}`);
  if (s.extraAttrs?.length) L.push(`${t}other attributes: ${s.extraAttrs.map((a) => String(a.type)).join(' ')}`);
  return L.join('\n') + '\n';
}

/** `state count`. */
export function formatSadInfo(i: XfrmSadInfo): string {
  return `SAD count ${i.count}\nSAD buckets: count ${i.hashBuckets} Max ${i.maxHashBuckets}\n`;
}

/** `replay get`: replay state, lifetime counters and thresholds of one SA. */
export function formatAe(id: { daddr: string; proto: number; spi: number }, ae: XfrmAeState): string {
  const t = '\t';
  const L = [`src ${ae.saddr} ${saIdText(id)} reqid ${ae.reqid}`];
  if (ae.replayEsn) L.push(...esnReplayLines(ae.replayEsn, t));
  if (ae.replay) L.push(`${t}${legacyReplayText(ae.replay)}`);
  if (ae.current) {
    L.push(`${t}lifetime current: ${ae.current.bytes}(bytes), ${ae.current.packets}(packets), add ${timeText(ae.current.addTime)} use ${timeText(ae.current.useTime)}`);
  }
  if (ae.replayThresh !== undefined || ae.etimerThresh !== undefined) {
    L.push(`${t}replay-thresh ${ae.replayThresh ?? '-'} etimer-thresh ${ae.etimerThresh ?? '-'} (x100 ms)`);
  }
  if (ae.mark) L.push(`${t}mark ${markText(ae.mark)}`);
  if (ae.ifId !== undefined) L.push(`${t}if_id ${hexShort(ae.ifId)}`);
  if (ae.dir !== undefined) L.push(`${t}dir ${SA_DIR_NAMES.format(ae.dir)}`);
  return L.join('\n') + '\n';
}

// ---- policies --------------------------------------------------------------------------

/**
 * A policy's direction as ip names it: `dir in|out|fwd`, and for a socket policy (the kernel
 * reports `XFRM_POLICY_MAX + dir`) `socket in|out|fwd`.
 */
export function policyDirText(dir: number): string {
  return dir >= XFRM_POLICY_MAX ? `socket ${POLICY_DIR_NAMES.format(dir - XFRM_POLICY_MAX)}` : `dir ${POLICY_DIR_NAMES.format(dir)}`;
}

/** `level required|use|N` of a template. */
function levelText(optional: number): string {
  return optional === 0 ? 'required' : optional === 1 ? 'use' : String(optional);
}

/** A policy as `ip -s xfrm policy` prints it (lines end with `\n`; no trailing blanks). */
export function formatPolicy(p: XfrmPolicy): string {
  const t = '\t';
  const L: string[] = [selectorText(p.selector, true)];
  if (p.secCtx) L.push(`${t}security context ${secCtxText(p.secCtx.ctx)}`);
  const action = p.action === XFRM_POLICY_ALLOW ? 'allow' : p.action === XFRM_POLICY_BLOCK ? 'block' : String(p.action);
  const flags = ipFlagWords(p.flags, POLICY_FLAG_NAMES).join(' ');
  L.push(
    `${t}${policyDirText(p.dir)} action ${action} index ${p.index} priority ${p.priority} ptype ${POLICY_TYPE_NAMES.format(p.type ?? XFRM_POLICY_TYPE_MAIN)}` +
      ` share ${SHARE_NAMES.format(p.share)} flag ${flags} (${ipFlagBits(p.flags)})`,
  );
  L.push(...lifetimeLines(p.lifetime, p.current, t));
  const mark = markLine(p.mark, undefined);
  if (mark) L.push(t + mark);
  for (const tm of p.templates) {
    L.push(`${t}tmpl src ${tm.saddr} dst ${tm.id.daddr}`);
    L.push(`${t}${t}proto ${SA_PROTO_NAMES.format(tm.id.proto)} spi ${hex32(tm.id.spi)}(${tm.id.spi >>> 0}) reqid ${tm.reqid}(${hex32(tm.reqid)}) mode ${MODE_NAMES.format(tm.mode)}`);
    L.push(`${t}${t}level ${levelText(tm.optional)} share ${SHARE_NAMES.format(tm.share)}`);
    const mask = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
    L.push(`${t}${t}enc-mask ${mask(tm.ealgos)} auth-mask ${mask(tm.aalgos)} comp-mask ${mask(tm.calgos)}`);
  }
  if (p.offload) L.push(`${t}offload ifindex ${p.offload.ifindex} flags ${hexShort(p.offload.flags)}`);
  if (p.ifId !== undefined) L.push(`${t}if_id ${hexShort(p.ifId)}`);
  if (p.extraAttrs?.length) L.push(`${t}other attributes: ${p.extraAttrs.map((a) => String(a.type)).join(' ')}`);
  return L.join('\n') + '\n';
}

/** `policy count` (SPD info), like `ip xfrm policy count`. */
export function formatSpdInfo(i: XfrmSpdInfo): string {
  const L: string[] = [];
  if (i.counts) {
    const c = i.counts;
    L.push(`SPD IN  ${c.incnt} OUT ${c.outcnt} FWD ${c.fwdcnt} (Sock: IN ${c.inscnt} OUT ${c.outscnt} FWD ${c.fwdscnt})`);
  }
  if (i.hash) L.push(`SPD buckets: count ${i.hash.spdhcnt} Max ${i.hash.spdhmcnt}`);
  if (i.ipv4Thresh) L.push(`SPD IPv4 thresholds: ${i.ipv4Thresh.lbits} ${i.ipv4Thresh.rbits}`);
  if (i.ipv6Thresh) L.push(`SPD IPv6 thresholds: ${i.ipv6Thresh.lbits} ${i.ipv6Thresh.rbits}`);
  return L.join('\n') + '\n';
}

/** `policy hthresh` (show). */
export function formatHthresh(i: XfrmSpdInfo): string {
  const v4 = i.ipv4Thresh ? `${i.ipv4Thresh.lbits} ${i.ipv4Thresh.rbits}` : '-';
  const v6 = i.ipv6Thresh ? `${i.ipv6Thresh.lbits} ${i.ipv6Thresh.rbits}` : '-';
  return `hthresh4 ${v4}\nhthresh6 ${v6}\n`;
}

function defaultName(v: number): string {
  return POLICY_DEFAULT_NAMES.nameOf(v) ?? `unspec(${v})`;
}

/** `policy default` (show). */
export function formatDefaults(d: XfrmUserpolicyDefault): string {
  return `Default policies:\n in:  ${defaultName(d.in)}\n fwd: ${defaultName(d.fwd)}\n out: ${defaultName(d.out)}\n`;
}

// ---- events ----------------------------------------------------------------------------

function stateBrief(s: XfrmState): string {
  let t = `src ${s.saddr} dst ${s.daddr} proto ${SA_PROTO_NAMES.format(s.proto)} spi ${hex32(s.spi)} reqid ${s.reqid} mode ${MODE_NAMES.format(s.mode)}`;
  if (s.mark) t += ` mark ${markText(s.mark)}`;
  if (s.dir !== undefined) t += ` dir ${SA_DIR_NAMES.format(s.dir)}`;
  return t;
}

function policyBrief(p: { selector: XfrmSelector; dir: number; index: number; priority?: number }): string {
  return `${selectorText(p.selector)} ${policyDirText(p.dir)}${p.priority !== undefined ? ` priority ${p.priority}` : ''} index ${p.index}`;
}

function replayBrief(ae: XfrmAeState): string {
  if (ae.replayEsn) {
    const r = ae.replayEsn;
    return `seq-hi ${hexShort(r.seqHi)} seq ${hexShort(r.seq)} oseq-hi ${hexShort(r.oseqHi)} oseq ${hexShort(r.oseq)}`;
  }
  if (ae.replay) return `seq ${hexShort(ae.replay.seq)} oseq ${hexShort(ae.replay.oseq)} bitmap ${hex32(ae.replay.bitmap)}`;
  return '';
}

/** The line printed for an overrun. */
export const OVERRUN_LINE =
  '!!! OVERRUN: the kernel dropped events (receive buffer full); state may have changed unseen: resynchronise with `state list` / `policy list`';

/** One line per event, like `ip xfrm monitor` but on a single line. */
export function formatEvent(ev: XfrmEvent, opts: FormatOptions = {}): string {
  void opts;
  switch (ev.kind) {
    case 'acquire': {
      const a = ev.acquire;
      return `acquire proto ${SA_PROTO_NAMES.format(a.id.proto)} src ${a.saddr} dst ${a.id.daddr} sel ${selectorText(a.sel)} policy dir ${POLICY_DIR_NAMES.format(a.policy.dir)} index ${a.policy.index} seq ${hex32(a.seq)}`;
    }
    case 'expire':
      return `expire ${ev.hard ? 'hard' : 'soft'} ${stateBrief(ev.state)}`;
    case 'polexpire':
      return `polexpire ${ev.hard ? 'hard' : 'soft'} ${policyBrief(ev.policy)}`;
    case 'newsa':
    case 'updsa':
      return `${ev.kind} ${stateBrief(ev.state)}`;
    case 'delsa':
      return ev.state ? `delsa ${stateBrief(ev.state)}` : `delsa ${saIdText(ev.id)}`;
    case 'flushsa':
      return `flushsa proto ${SA_PROTO_NAMES.format(ev.proto)}`;
    case 'newpolicy':
    case 'updpolicy':
      return `${ev.kind} ${policyBrief(ev.policy)}`;
    case 'delpolicy':
      return ev.policy ? `delpolicy ${policyBrief(ev.policy)}` : `delpolicy ${policyBrief({ selector: ev.id.sel, dir: ev.id.dir, index: ev.id.index })}`;
    case 'flushpolicy':
      return 'flushpolicy';
    case 'aevent': {
      // Only the cause bits are named; the value/threshold bits (RVAL, LVAL…) are not printed.
      const causes = splitFlags(AE_FLAG_NAMES, ev.ae.flags).names;
      const cur = ev.ae.current ? ` ${ev.ae.current.bytes}(bytes) ${ev.ae.current.packets}(packets)` : '';
      return `aevent ${saIdText({ saddr: ev.ae.saddr, ...ev.id.saId })} reqid ${ev.ae.reqid} ${replayBrief(ev.ae)}${cur}${causes.length ? ` (${causes.join(',')})` : ''}`;
    }
    case 'report':
      return `report proto ${SA_PROTO_NAMES.format(ev.report.proto)} sel ${selectorText(ev.report.sel)}${ev.coaddr ? ` coa ${ev.coaddr}` : ''}`;
    case 'migrate':
      return `migrate ${policyBrief({ selector: ev.id.sel, dir: ev.id.dir, index: ev.id.index })} ${ev.migrations
        .map((m) => `[${SA_PROTO_NAMES.format(m.proto)} ${MODE_NAMES.format(m.mode)} reqid ${m.reqid}: ${m.oldSaddr}->${m.oldDaddr} => ${m.newSaddr}->${m.newDaddr}]`)
        .join(' ')}`;
    case 'migrate-state':
      return 'migrate-state';
    case 'mapping': {
      const m = ev.mapping;
      return `mapping ${saIdText(m.id)} reqid ${m.reqid} ${m.oldSaddr}:${m.oldSport} => ${m.newSaddr}:${m.newSport}`;
    }
    case 'default-policy':
      return `default-policy in ${defaultName(ev.defaults.in)} fwd ${defaultName(ev.defaults.fwd)} out ${defaultName(ev.defaults.out)}`;
    case 'overrun':
      return OVERRUN_LINE;
    case 'unknown':
      return `unknown message type ${String(ev.message.type)}`;
  }
}

/** The JSON form of an event: its typed fields without the raw `message`. */
export function eventJson(ev: XfrmEvent): Record<string, unknown> {
  const { message: _m, ...rest } = ev as XfrmEvent & { message?: unknown };
  void _m;
  if (ev.kind === 'unknown') return { kind: 'unknown', type: ev.message.type };
  if (ev.kind === 'acquire') return { ...rest, attrs: undefined };
  return rest;
}
