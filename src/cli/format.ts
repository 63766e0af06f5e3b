/**
 * Output of the CLI: human text close to `ip -s xfrm state` / `ip xfrm policy`, one-line
 * event summaries for `monitor`, and JSON lines (the library's `toJson`, schema in
 * `docs/json.md`). Keys are redacted everywhere unless `showKeys` is set.
 * @module
 */
import { type XfrmSadInfo, type XfrmSpdInfo } from '../client/client.js';
import { type XfrmAeState } from '../client/ae.js';
import { type XfrmEvent } from '../client/events.js';
import { type XfrmPolicy } from '../client/policy.js';
import { SA_PLAIN_BY_FIELD, SA_PLAIN_FIELDS, type SaFieldText, type SaOptionalField, type SaTextField } from '../client/sa-fields.js';
import { type XfrmState } from '../client/state.js';
import { AF_INET6, IPPROTO_ICMP, IPPROTO_ICMPV6, XFRM_INF, XFRM_POLICY_BLOCK, XFRM_POLICY_TYPE_MAIN } from '../xfrm/constants.js';
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
  splitFlags,
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

function keyText(key: Uint8Array, opts: FormatOptions): string {
  return opts.showKeys ? '0x' + Buffer.from(key).toString('hex') : REDACTED;
}

/** The names of the set bits, then any unnamed bits in hex. */
function flagNames(flags: number, table: NameTable): string {
  const { names, rest } = splitFlags(table, flags);
  if (rest !== 0) names.push(hex32(rest));
  return names.join(' ');
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

/** `sel src 0.0.0.0/0 dst 0.0.0.0/0 [proto tcp sport 80 dport 443 | type 8 code 0] [dev if3]` (without `sel`). */
export function selectorText(sel: XfrmSelector): string {
  let s = `src ${sel.saddr}/${sel.prefixlenS} dst ${sel.daddr}/${sel.prefixlenD}`;
  if (sel.proto !== 0) {
    s += ` proto ${SELECTOR_PROTO_NAMES.format(sel.proto)}`;
    const icmp = sel.proto === IPPROTO_ICMP || sel.proto === IPPROTO_ICMPV6;
    if (sel.sportMask !== 0) s += icmp ? ` type ${sel.sport}` : ` sport ${sel.sport}`;
    if (sel.dportMask !== 0) s += icmp ? ` code ${sel.dport}` : ` dport ${sel.dport}`;
  }
  if (sel.ifindex !== 0) s += ` ifindex ${sel.ifindex}`;
  if (sel.user !== 0) s += ` uid ${sel.user}`;
  return s;
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

function isUnlimited(l: XfrmLifetimeCfg): boolean {
  return (
    l.softByteLimit === XFRM_INF &&
    l.hardByteLimit === XFRM_INF &&
    l.softPacketLimit === XFRM_INF &&
    l.hardPacketLimit === XFRM_INF &&
    l.softAddExpiresSeconds === 0n &&
    l.hardAddExpiresSeconds === 0n &&
    l.softUseExpiresSeconds === 0n &&
    l.hardUseExpiresSeconds === 0n
  );
}

/** The legacy replay state in ip's words. */
export function legacyReplayText(r: XfrmReplayState): string {
  return `anti-replay context: seq ${hexShort(r.seq)}, oseq ${hexShort(r.oseq)}, bitmap ${hex32(r.bitmap)}`;
}

/** The ESN/BMP replay state in ip's words (several lines, each starting with `indent`). */
export function esnReplayLines(r: XfrmReplayStateEsn, indent: string): string[] {
  const out = [
    `${indent}anti-replay esn context:`,
    `${indent} seq-hi ${hexShort(r.seqHi)}, seq ${hexShort(r.seq)}, oseq-hi ${hexShort(r.oseqHi)}, oseq ${hexShort(r.oseq)}`,
    `${indent} replay_window ${r.replayWindow}, bitmap-length ${r.bmpLen}`,
  ];
  for (let i = 0; i < r.bmp.length; i += 8) {
    out.push(`${indent} ${r.bmp.slice(i, i + 8).map((x) => (x >>> 0).toString(16).padStart(8, '0')).join(' ')}`);
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

/**
 * Where each optional SA field prints, in ip's order: `'table'` for a plain field printed
 * from its row of the SA field table (`word value`), else its lines by hand; `null` for the
 * fields printed elsewhere (with another field, or after the selector). A field with a text
 * in the table but no place here prints after the others, before the selector.
 */
const STATE_LINES: { readonly [F in Exclude<SaOptionalField, SaTextField>]: StateLines | null } & { readonly [F in SaTextField]?: 'table' } = {
  extraFlags: 'table',
  mark: (s) => s.mark && `mark ${markText(s.mark)}`,
  outputMark: (s) => s.outputMark && `output-mark ${markText({ v: s.outputMark.value, m: s.outputMark.mask })}`,
  ifId: 'table',
  dir: 'table',
  pcpu: 'table',
  auth: (s, opts) =>
    s.auth &&
    (s.auth.truncLen !== undefined ? `auth-trunc ${s.auth.name} ${keyText(s.auth.key, opts)} ${s.auth.truncLen}` : `auth ${s.auth.name} ${keyText(s.auth.key, opts)}`),
  crypt: (s, opts) => s.crypt && `enc ${s.crypt.name} ${keyText(s.crypt.key, opts)}`,
  aead: (s, opts) => s.aead && `aead ${s.aead.name} ${keyText(s.aead.key, opts)} ${s.aead.icvLen}`,
  comp: (s) => s.comp !== undefined ? `comp ${s.comp}` : undefined,
  encap: (s) => {
    const e = s.encap;
    return e && `encap type ${ENCAP_TYPE_NAMES.format(e.encapType)} sport ${e.encapSport} dport ${e.encapDport} addr ${e.encapOa}`;
  },
  tfcpad: 'table',
  coaddr: 'table',
  replayEsn: (s) => s.replayEsn && esnReplayLines(s.replayEsn, ''),
  replay: (s) => (s.replay && !s.replayEsn ? legacyReplayText(s.replay) : undefined),
  replayThresh: (s) =>
    s.replayThresh !== undefined || s.etimerThresh !== undefined ? `replay-thresh ${s.replayThresh ?? '-'} etimer-thresh ${s.etimerThresh ?? '-'}` : undefined,
  etimerThresh: null, // with replayThresh
  mtimerThresh: 'table',
  natKeepaliveInterval: 'table',
  iptfs: (s) => s.iptfs && `iptfs ${Object.entries(s.iptfs).map(([k, v]) => `${k} ${v === true ? '' : v}`.trim()).join(' ')}`,
  offload: (s) => s.offload && `offload ifindex ${s.offload.ifindex} flags ${hexShort(s.offload.flags)}`,
  secCtx: (s) => s.secCtx && `security context ${s.secCtx.ctx}`,
  lastUsed: 'table',
  current: null, // with the lifetime
  stats: null, // after the lifetime
  extraAttrs: null, // last
};

/** {@link STATE_LINES} in order, then the table's text fields it does not place. */
const STATE_LINE_ORDER: readonly (readonly [SaOptionalField, 'table' | StateLines | null])[] = [
  ...(Object.entries(STATE_LINES) as [SaOptionalField, 'table' | StateLines | null][]),
  ...SA_PLAIN_FIELDS.filter((p) => p.ip !== undefined && !(p.field in STATE_LINES)).map((p) => [p.field, 'table'] as const),
];

/** An SA as `ip -s xfrm state` prints it (lines end with `\n`). */
export function formatState(s: XfrmState, opts: FormatOptions = {}): string {
  const t = '\t';
  const L: string[] = [];
  L.push(`src ${s.saddr} dst ${s.daddr}`);
  L.push(`${t}proto ${SA_PROTO_NAMES.format(s.proto)} spi ${hex32(s.spi)}(${s.spi >>> 0}) reqid ${s.reqid}(${hex32(s.reqid)}) mode ${MODE_NAMES.format(s.mode)}`);
  let rw = `${t}replay-window ${s.replayWindow}`;
  if (s.acquireSeq !== 0) rw += ` seq ${hex32(s.acquireSeq)}`;
  if (s.flags !== 0) rw += ` flag ${flagNames(s.flags, STATE_FLAG_NAMES)} (${hex32(s.flags)})`;
  L.push(rw);
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
  L.push(`${t}sel ${selectorText(s.selector)}`);
  L.push(...lifetimeLines(s.lifetime, s.current, t));
  if (s.stats) {
    L.push(`${t}stats:`, `${t}  replay-window ${s.stats.replayWindow} replay ${s.stats.replay} failed ${s.stats.integrityFailed}`);
  }
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

/** A policy as `ip xfrm policy` prints it (lines end with `\n`). */
export function formatPolicy(p: XfrmPolicy): string {
  const t = '\t';
  const L: string[] = [selectorText(p.selector)];
  let line = `${t}dir ${POLICY_DIR_NAMES.format(p.dir)} priority ${p.priority} ptype ${POLICY_TYPE_NAMES.format(p.type ?? XFRM_POLICY_TYPE_MAIN)}`;
  if (p.action === XFRM_POLICY_BLOCK) line += ' action block';
  line += ` index ${p.index}`;
  if (p.flags !== 0) line += ` flag ${flagNames(p.flags, POLICY_FLAG_NAMES)}`;
  L.push(line);
  if (p.mark) L.push(`${t}mark ${markText(p.mark)}`);
  if (p.ifId !== undefined) L.push(`${t}if_id ${hexShort(p.ifId)}`);
  if (p.secCtx) L.push(`${t}security context ${p.secCtx.ctx}`);
  if (p.offload) L.push(`${t}offload ifindex ${p.offload.ifindex} flags ${hexShort(p.offload.flags)}`);
  for (const tm of p.templates) {
    L.push(`${t}tmpl src ${tm.saddr} dst ${tm.id.daddr}`);
    let tl = `${t}${t}proto ${SA_PROTO_NAMES.format(tm.id.proto)}`;
    if (tm.id.spi !== 0) tl += ` spi ${hex32(tm.id.spi)}`;
    tl += ` reqid ${tm.reqid} mode ${MODE_NAMES.format(tm.mode)}`;
    L.push(tl);
    if (tm.optional) L.push(`${t}${t}level use`);
  }
  if (!isUnlimited(p.lifetime)) L.push(...lifetimeLines(p.lifetime, undefined, t));
  if (p.current && p.current.addTime !== 0n) {
    L.push(`${t}lifetime current: ${p.current.bytes}(bytes), ${p.current.packets}(packets), add ${timeText(p.current.addTime)} use ${timeText(p.current.useTime)}`);
  }
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
  return `${selectorText(p.selector)} dir ${POLICY_DIR_NAMES.format(p.dir)}${p.priority !== undefined ? ` priority ${p.priority}` : ''} index ${p.index}`;
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

/** Family-aware zero address. */
export function zeroAddr(family: number): string {
  return family === AF_INET6 ? '::' : '0.0.0.0';
}
