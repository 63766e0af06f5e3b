/**
 * Request builders: pure functions from what a user passes to {@link XfrmClient} to the
 * outgoing XFRM message (`{ type, flags?, body, attrs }`). No I/O: each checks its input and
 * throws {@link NetlinkEncodeError} naming the field, so a test can compare a builder's output
 * with a hand-written message, and the client only sends.
 *
 * Bulk writes do not build messages at all: a writer per message kind
 * ({@link writePolicyRequest}, {@link writePolicyIdRequest}, {@link writeSaIdRequest},
 * {@link writeStateRequest}, {@link writeGetAeRequest}, {@link writeNewAeRequest}) checks one entry and writes it straight into the batch chunk,
 * to the same bytes as the builder's message. A malformed entry then fails like any message
 * that cannot be encoded: in its own batch result, with nothing sent for it.
 * @module
 */
import { NLM_F_DUMP, NLM_F_REPLACE } from '../netlink/constants.js';
import { type Outgoing } from '../socket/netlink-socket.js';
import { type XfrmAttribute, type XfrmSpdAttribute, xfrmAttrSpec } from '../xfrm/attributes.js';
import {
  AF_INET,
  XFRM_AE_ETHR,
  XFRM_AE_RTHR,
  XFRM_MSG_DELPOLICY,
  XFRM_MSG_DELSA,
  XFRM_MSG_GETAE,
  XFRM_MSG_GETPOLICY,
  XFRM_MSG_GETSA,
  XFRM_MSG_NEWAE,
  XFRM_MSG_NEWPOLICY,
  XFRM_MSG_NEWSA,
  XFRM_MSG_UPDPOLICY,
  XFRM_MSG_UPDSA,
} from '../xfrm/constants.js';
import { type XfrmMessage } from '../xfrm/family.js';
import { type NlmsgWriter } from '../netlink/writer.js';
import { type XfrmUserMigrateState } from '../xfrm/structs/user-migrate-state.js';
import { type XfrmUserpolicyDefault } from '../xfrm/structs/userpolicy-default.js';
import { type XfrmuSpdhthresh } from '../xfrm/structs/spdhthresh.js';
import { encodeXfrmUsersaIdFields, XFRM_USERSA_ID_SIZE, type XfrmUsersaId } from '../xfrm/structs/usersa-id.js';
import { encodeXfrmAddress } from '../xfrm/structs/address.js';
import { XFRM_AEVENT_ID_SIZE } from '../xfrm/structs/aevent-id.js';
import { encodeXfrmUserpolicyIdFields, XFRM_USERPOLICY_ID_SIZE } from '../xfrm/structs/userpolicy-id.js';
import { encodeXfrmUserpolicyInfoChecked, XFRM_USERPOLICY_INFO_SIZE } from '../xfrm/structs/userpolicy-info.js';
import { encodeXfrmUserTmplChecked, XFRM_USER_TMPL_SIZE, type XfrmUserTmpl } from '../xfrm/structs/user-tmpl.js';
import { NLA_HDRLEN } from '../netlink/align.js';
import { type XfrmSelector } from '../xfrm/structs/selector.js';
import { type AttrSink, pushAttr, pushPolicyType, writeAttr, writeAttrList, zeroAddress } from './defaults.js';
import { type XfrmAeUpdate } from './ae.js';
import {
  completePolicy,
  emitPolicyAttrs,
  emitPolicyLookupAttrs,
  POLICY_DEFAULTS,
  policyLookupAttrs,
  policyToAttrs,
  policyToInfo,
  type MigrateInput,
  type XfrmPolicyId,
  type XfrmPolicyIndexId,
  type XfrmPolicyInput,
  type XfrmPolicySelectorId,
} from './policy.js';
import { ALLOCSPI_DEFAULT_MAX, ALLOCSPI_DEFAULT_MIN, type AllocSpiInput, type XfrmSaId, type XfrmStateFilter } from './sa-id.js';
import { anySelector, completeState, familyOf, stateToAttrs, stateToUsersaInfo, type XfrmState, type XfrmStateInput, writeStatePayload } from './state.js';
import { checkAeInput, checkAllocSpi, checkNewStateSpi, checkSaId, checkStateFilter, U8 } from './validate.js';
import { checkBoolArg, checkUintArg } from './validate-args.js';
import { checkDefaultPolicy, checkHashThresholds, checkMigrate, checkMigrateState, checkPolicyId, checkPolicyInput } from './validate-policy.js';

/** An outgoing XFRM message, as {@link NetlinkSocket.request} and `batch` take it. */
export type XfrmRequest = Outgoing<XfrmMessage>;

/** Where a bulk entry sits: `-1` for a single call (fields named `id.…`), else its index (`ids[i].…`). */
type Index = number;

// ---- SAs ---------------------------------------------------------------------------------

/**
 * Complete and check an SA for NEWSA/UPDSA: its defaults filled, every field checked, and
 * SPI 0 refused for ESP/AH/IPComp (UPDSA finds the SA to replace by SPI; NEWSA would install
 * an SA nothing can find).
 * @throws {@link NetlinkEncodeError} naming the field (`state.…`).
 */
export function newState(sa: XfrmStateInput): XfrmState {
  const s = completeState(sa);
  checkNewStateSpi(s, 'state');
  return s;
}

/** NEWSA (or UPDSA with `update`) of a state from {@link newState}; `withCurrent` also sends its lifetime counters. */
export function stateWriteRequest(s: XfrmState, update: boolean, withCurrent: boolean): XfrmRequest {
  return { type: update ? 'XFRM_MSG_UPDSA' : 'XFRM_MSG_NEWSA', body: stateToUsersaInfo(s), attrs: stateToAttrs(s, withCurrent) };
}

/** The family of an SA id (from `daddr` when not given). */
function saIdFamily(id: XfrmSaId): number {
  return id.family ?? familyOf(id.daddr);
}

/** The `xfrm_usersa_id` of an SA id (family from `daddr` when not given). */
export function saIdBody(id: XfrmSaId): XfrmUsersaId {
  return { daddr: id.daddr, spi: id.spi, family: saIdFamily(id), proto: id.proto };
}

/** The attributes of a GETSA/DELSA, in order, into `sink`: `XFRMA_MARK` and `XFRMA_SRCADDR` when given. */
function emitSaIdAttrs<C>(id: XfrmSaId, sink: AttrSink<C>, ctx: C): void {
  if (id.mark) sink(ctx, 'XFRMA_MARK', id.mark);
  if (id.saddr !== undefined) sink(ctx, 'XFRMA_SRCADDR', id.saddr);
}

/** `XFRMA_MARK` of an SA id, or none. */
function markAttrs(id: { mark?: XfrmSaId['mark'] }): XfrmAttribute[] {
  return id.mark ? [{ type: 'XFRMA_MARK', value: id.mark }] : [];
}

/**
 * GETSA or DELSA of one SA (`XFRMA_MARK` and `XFRMA_SRCADDR` when given).
 * @throws {@link NetlinkEncodeError} for a malformed id (`id.…`, or `ids[index].…`).
 */
export function saIdRequest(type: 'XFRM_MSG_GETSA' | 'XFRM_MSG_DELSA', id: XfrmSaId, index: Index = -1): XfrmRequest {
  checkSaId(id, index < 0 ? 'id' : 'ids', index);
  const attrs: XfrmAttribute[] = [];
  emitSaIdAttrs(id, pushAttr, attrs);
  return { type, body: saIdBody(id), attrs };
}

/** The GETSA dump, filtered in the kernel by `XFRMA_PROTO` and `XFRMA_ADDRESS_FILTER`. */
export function listStatesRequest(filter: XfrmStateFilter): XfrmRequest {
  checkStateFilter(filter, 'filter');
  const attrs: XfrmAttribute[] = [];
  if (filter.proto !== undefined) attrs.push({ type: 'XFRMA_PROTO', value: filter.proto });
  if (filter.src || filter.dst) {
    const family = familyOf(filter.src?.addr ?? filter.dst!.addr);
    const zero = zeroAddress(family);
    attrs.push({
      type: 'XFRMA_ADDRESS_FILTER',
      value: {
        saddr: filter.src?.addr ?? zero,
        daddr: filter.dst?.addr ?? zero,
        family,
        splen: filter.src?.prefixlen ?? 0,
        dplen: filter.dst?.prefixlen ?? 0,
      },
    });
  }
  return { type: 'XFRM_MSG_GETSA', flags: NLM_F_DUMP, body: null, attrs };
}

/** FLUSHSA of one protocol (`IPSEC_PROTO_ANY`: AH, ESP and IPComp). */
export function flushStatesRequest(proto: number): XfrmRequest {
  checkUintArg(proto, U8, 'proto');
  return { type: 'XFRM_MSG_FLUSHSA', body: { proto }, attrs: [] };
}

/** ALLOCSPI: a larval SA (SPI 0) and the SPI range to pick from. */
export function allocSpiRequest(input: AllocSpiInput): XfrmRequest {
  checkAllocSpi(input, 'input');
  const s = completeState({
    saddr: input.saddr,
    daddr: input.daddr,
    spi: 0,
    proto: input.proto,
    ...(input.mode !== undefined ? { mode: input.mode } : {}),
    ...(input.reqid !== undefined ? { reqid: input.reqid } : {}),
    ...(input.acquireSeq !== undefined ? { acquireSeq: input.acquireSeq } : {}),
  });
  const attrs = markAttrs(input);
  if (input.ifId !== undefined) attrs.push({ type: 'XFRMA_IF_ID', value: input.ifId });
  if (input.pcpu !== undefined) attrs.push({ type: 'XFRMA_SA_PCPU', value: input.pcpu });
  if (input.dir !== undefined) attrs.push({ type: 'XFRMA_SA_DIR', value: input.dir });
  return {
    type: 'XFRM_MSG_ALLOCSPI',
    body: { info: stateToUsersaInfo(s), min: input.min ?? ALLOCSPI_DEFAULT_MIN, max: input.max ?? ALLOCSPI_DEFAULT_MAX },
    attrs,
  };
}

/** EXPIRE of one SA; `hard` deletes it. */
export function expireStateRequest(id: XfrmSaId, hard: boolean): XfrmRequest {
  checkSaId(id, 'id');
  checkBoolArg(hard, 'hard');
  const s = completeState({ saddr: id.saddr ?? zeroAddress(id.family ?? familyOf(id.daddr)), ...id });
  return { type: 'XFRM_MSG_EXPIRE', body: { state: stateToUsersaInfo(s), hard: hard ? 1 : 0 }, attrs: markAttrs(id) };
}

// ---- AE (replay state) -------------------------------------------------------------------

/** The `xfrm_aevent_id` of an SA id, with `flags` (`XFRM_AE_*`). */
function aeventId(id: XfrmSaId, flags: number): { saId: XfrmUsersaId; saddr: string; flags: number; reqid: number } {
  const saId = saIdBody(id);
  return { saId, saddr: id.saddr ?? zeroAddress(saId.family), flags, reqid: 0 };
}

/**
 * GETAE of one SA: replay state and lifetime counters, with `thresholds` also the replay and
 * timer thresholds (`XFRM_AE_RTHR | XFRM_AE_ETHR`).
 * @throws {@link NetlinkEncodeError} for a malformed id (`id.…`, or `ids[index].…`).
 */
export function getAeRequest(id: XfrmSaId, thresholds: boolean, index: Index = -1): XfrmRequest {
  checkSaId(id, index < 0 ? 'id' : 'ids', index);
  return { type: 'XFRM_MSG_GETAE', body: aeventId(id, thresholds ? XFRM_AE_RTHR | XFRM_AE_ETHR : 0), attrs: markAttrs(id) };
}

/**
 * NEWAE with `NLM_F_REPLACE`: sets replay state, counters and thresholds of a live SA in place.
 * Checks the fields, not the SA's kind (see {@link checkAeKind}: that needs the SA's GETAE).
 */
export function newAeRequest(id: XfrmSaId, ae: XfrmAeUpdate): XfrmRequest {
  checkNewAe(id, ae);
  const attrs: XfrmAttribute[] = [];
  emitNewAeAttrs(id, ae, pushAttr, attrs);
  return { type: 'XFRM_MSG_NEWAE', flags: NLM_F_REPLACE, body: aeventId(id, 0), attrs };
}

/**
 * Check the SA id and the update of a NEWAE: `id.…`/`ae.…`, or in a bulk call (`index` ≥ 0)
 * `list[index]`, `list[index].id.…`, `list[index].ae.…`.
 * @throws {@link NetlinkEncodeError} naming the field.
 */
export function checkNewAe(id: XfrmSaId, ae: XfrmAeUpdate, index: Index = -1): void {
  if (index < 0) {
    checkSaId(id, 'id');
    checkAeInput(ae, 'ae');
    return;
  }
  // The paths are built only for bulk entries, one short string each.
  checkSaId(id, `list[${index}].id`);
  checkAeInput(ae, `list[${index}].ae`);
}

/** The attributes of a NEWAE, in order, into `sink` (one list for the builder and the writer). */
function emitNewAeAttrs<C>(id: XfrmSaId, ae: XfrmAeUpdate, sink: AttrSink<C>, ctx: C): void {
  if (ae.replayEsn) sink(ctx, 'XFRMA_REPLAY_ESN_VAL', ae.replayEsn);
  if (ae.replay) sink(ctx, 'XFRMA_REPLAY_VAL', ae.replay);
  if (ae.current) sink(ctx, 'XFRMA_LTIME_VAL', ae.current);
  if (ae.replayThresh !== undefined) sink(ctx, 'XFRMA_REPLAY_THRESH', ae.replayThresh);
  if (ae.etimerThresh !== undefined) sink(ctx, 'XFRMA_ETIMER_THRESH', ae.etimerThresh);
  if (id.mark) sink(ctx, 'XFRMA_MARK', id.mark);
}

// ---- policies ----------------------------------------------------------------------------

/** NEWPOLICY (or UPDPOLICY with `update`) of a policy, its defaults filled. */
export function policyWriteRequest(p: XfrmPolicyInput, update: boolean): XfrmRequest {
  const pol = completePolicy(p);
  return { type: update ? 'XFRM_MSG_UPDPOLICY' : 'XFRM_MSG_NEWPOLICY', body: policyToInfo(pol), attrs: policyToAttrs(pol) };
}

/**
 * GETPOLICY or DELPOLICY of one policy, by selector (it wins when both are given) or by index.
 * @throws {@link NetlinkEncodeError} for a malformed id (`id.…`, or `ids[index].…`).
 */
export function policyIdRequest(type: 'XFRM_MSG_GETPOLICY' | 'XFRM_MSG_DELPOLICY', id: XfrmPolicyId, index: Index = -1): XfrmRequest {
  checkPolicyId(id, index < 0 ? 'id' : 'ids', index);
  return { type, body: { sel: policyIdSelector(id), index: policyIdIndex(id), dir: id.dir }, attrs: policyLookupAttrs(id) };
}

/** The selector in the header of a policy id's GETPOLICY/DELPOLICY (by index the kernel ignores it, but the header needs one). */
function policyIdSelector(id: XfrmPolicyId): XfrmSelector {
  const sel = (id as Partial<XfrmPolicySelectorId>).selector;
  return sel !== undefined ? sel : anySelector(AF_INET);
}

/** The index in the header of a policy id's GETPOLICY/DELPOLICY (0 by selector unless given). */
function policyIdIndex(id: XfrmPolicyId): number {
  return (id as Partial<XfrmPolicyIndexId>).index ?? 0;
}

/** FLUSHPOLICY of one policy type. */
export function flushPoliciesRequest(type: number): XfrmRequest {
  checkUintArg(type, U8, 'type');
  const attrs: XfrmAttribute[] = [];
  pushPolicyType(attrs, type);
  return { type: 'XFRM_MSG_FLUSHPOLICY', body: null, attrs };
}

/** NEWSPDINFO setting the selector-prefix thresholds of the policy hash. */
export function policyHashThresholdsRequest(t: { ipv4?: XfrmuSpdhthresh; ipv6?: XfrmuSpdhthresh }): XfrmRequest {
  checkHashThresholds(t, 'thresholds');
  const attrs: XfrmSpdAttribute[] = [];
  if (t.ipv4) attrs.push({ type: 'XFRMA_SPD_IPV4_HTHRESH', value: t.ipv4 });
  if (t.ipv6) attrs.push({ type: 'XFRMA_SPD_IPV6_HTHRESH', value: t.ipv6 });
  return { type: 'XFRM_MSG_NEWSPDINFO', body: 0, attrs };
}

/** SETDEFAULT; an omitted direction is sent as 0, which the kernel leaves unchanged. */
export function setDefaultPolicyRequest(d: Partial<XfrmUserpolicyDefault>): XfrmRequest {
  checkDefaultPolicy(d, 'default');
  return { type: 'XFRM_MSG_SETDEFAULT', body: { in: d.in ?? 0, fwd: d.fwd ?? 0, out: d.out ?? 0 }, attrs: [] };
}

/** MIGRATE of a policy's templates and SAs. */
export function migrateRequest(m: MigrateInput): XfrmRequest {
  checkMigrate(m, 'migrate');
  const attrs: XfrmAttribute[] = [{ type: 'XFRMA_MIGRATE', value: m.migrations }];
  if (m.kmaddress) attrs.push({ type: 'XFRMA_KMADDRESS', value: m.kmaddress });
  if (m.encap) attrs.push({ type: 'XFRMA_ENCAP', value: m.encap });
  pushPolicyType(attrs, m.type);
  if (m.ifId !== undefined) attrs.push({ type: 'XFRMA_IF_ID', value: m.ifId });
  return { type: 'XFRM_MSG_MIGRATE', body: { sel: m.selector, index: 0, dir: m.dir }, attrs };
}

/** MIGRATE_STATE of one SA by SPI, with raw attributes. */
export function migrateStateRequest(m: XfrmUserMigrateState, attrs: XfrmAttribute[]): XfrmRequest {
  checkMigrateState(m, attrs, 'migrateState');
  return { type: 'XFRM_MSG_MIGRATE_STATE', body: m, attrs };
}

/** The requests that take no argument. */
export const FIXED_REQUESTS = {
  /** The GETPOLICY dump (main and sub policies). */
  listPolicies: { type: 'XFRM_MSG_GETPOLICY', flags: NLM_F_DUMP, body: null, attrs: [] },
  /** GETSADINFO. */
  sadInfo: { type: 'XFRM_MSG_GETSADINFO', body: 0, attrs: [] },
  /** GETSPDINFO. */
  spdInfo: { type: 'XFRM_MSG_GETSPDINFO', body: 0, attrs: [] },
  /** GETDEFAULT (the body is required and ignored). */
  getDefault: { type: 'XFRM_MSG_GETDEFAULT', body: { in: 0, fwd: 0, out: 0 }, attrs: [] },
} as const satisfies Record<string, XfrmRequest>;

// ---- writers: one request straight into a batch chunk -----------------------------------

/**
 * Write NEWPOLICY (UPDPOLICY with `update`) of `p` into `w` as one message, with no message
 * or attribute object: the bytes of {@link policyWriteRequest}'s message (the same checks
 * and errors first; `test/client/writers.test.ts` compares both over many inputs).
 * @throws {@link NetlinkEncodeError} naming the field (`policy.…`); `w` is then as before.
 */
export function writePolicyRequest(w: NlmsgWriter, p: XfrmPolicyInput, update: boolean): void {
  // The checks of completePolicy, then the input itself written with the defaults of the same
  // table (POLICY_DEFAULTS): no completed-policy object per entry. Every field's type and
  // range is checked here, so the struct encoders skip their own range checks ("Checked"
  // variants); they still parse the addresses, which is where bad address text fails.
  checkPolicyInput(p, 'policy');
  w.beginMessage(update ? XFRM_MSG_UPDPOLICY : XFRM_MSG_NEWPOLICY, 0);
  try {
    const off = w.alloc(XFRM_USERPOLICY_INFO_SIZE);
    const d = POLICY_DEFAULTS;
    // No `current`: the zeroed bytes are ZERO_CUR already.
    encodeXfrmUserpolicyInfoChecked(
      w.view,
      off,
      p.selector,
      p.lifetime ?? d.lifetime,
      p.current ?? null,
      p.priority ?? d.priority,
      p.index ?? d.index,
      p.dir,
      p.action ?? d.action,
      p.flags ?? d.flags,
      p.share ?? d.share,
      w.le,
    );
    emitPolicyAttrs(p, writeCheckedPolicyAttr, w);
    if (p.extraAttrs) writeAttrList(w, p.extraAttrs);
    w.endMessage();
  } catch (e) {
    w.abortMessage();
    throw e;
  }
}

/** The `XFRMA_TMPL` spec, looked up on first use. */
let tmplSpec: ReturnType<typeof xfrmAttrSpec<'XFRMA_TMPL'>> | undefined;

/**
 * {@link AttrSink} of {@link writePolicyRequest}: {@link writeAttr}, but the templates (the
 * one attribute every bulk-loaded policy usually has) written by the unchecked template
 * encoder, since `checkPolicyInput` checked each field: the bytes of the `XFRMA_TMPL` codec.
 */
const writeCheckedPolicyAttr: AttrSink<NlmsgWriter> = (w, name, value) => {
  if (name !== 'XFRMA_TMPL') return writeAttr(w, name, value);
  const ts = value as XfrmUserTmpl[];
  const spec = (tmplSpec ??= xfrmAttrSpec('XFRMA_TMPL'));
  // At most XFRM_MAX_DEPTH (6) templates passed the check: nla_len stays far below 0xffff.
  const len = NLA_HDRLEN + ts.length * XFRM_USER_TMPL_SIZE;
  w.align();
  const off = w.alloc(len); // a multiple of 4: no padding
  const view = w.view;
  const le = w.le;
  view.setUint16(off, len, le);
  view.setUint16(off + 2, spec.type | spec.flags, le);
  for (let i = 0; i < ts.length; i++) encodeXfrmUserTmplChecked(view, off + NLA_HDRLEN + i * XFRM_USER_TMPL_SIZE, ts[i]!, le);
};

/**
 * Write GETPOLICY or DELPOLICY of one policy id into `w`: the bytes of
 * {@link policyIdRequest}'s message, without its objects.
 * @throws {@link NetlinkEncodeError} for a malformed id (`id.…`, or `ids[index].…`).
 */
export function writePolicyIdRequest(w: NlmsgWriter, type: 'XFRM_MSG_GETPOLICY' | 'XFRM_MSG_DELPOLICY', id: XfrmPolicyId, index: Index = -1): void {
  checkPolicyId(id, index < 0 ? 'id' : 'ids', index);
  w.beginMessage(type === 'XFRM_MSG_DELPOLICY' ? XFRM_MSG_DELPOLICY : XFRM_MSG_GETPOLICY, 0);
  try {
    const off = w.alloc(XFRM_USERPOLICY_ID_SIZE);
    encodeXfrmUserpolicyIdFields(w.view, off, policyIdSelector(id), policyIdIndex(id), id.dir, w.le);
    emitPolicyLookupAttrs(id, writeAttr, w);
    w.endMessage();
  } catch (e) {
    w.abortMessage();
    throw e;
  }
}

/**
 * Write GETSA or DELSA of one SA id into `w`: the bytes of {@link saIdRequest}'s message,
 * without its objects.
 * @throws {@link NetlinkEncodeError} for a malformed id (`id.…`, or `ids[index].…`).
 */
export function writeSaIdRequest(w: NlmsgWriter, type: 'XFRM_MSG_GETSA' | 'XFRM_MSG_DELSA', id: XfrmSaId, index: Index = -1): void {
  checkSaId(id, index < 0 ? 'id' : 'ids', index);
  w.beginMessage(type === 'XFRM_MSG_DELSA' ? XFRM_MSG_DELSA : XFRM_MSG_GETSA, 0);
  try {
    const off = w.alloc(XFRM_USERSA_ID_SIZE);
    encodeXfrmUsersaIdFields(w.view, off, id.daddr, id.spi, saIdFamily(id), id.proto, w.le);
    emitSaIdAttrs(id, writeAttr, w);
    w.endMessage();
  } catch (e) {
    w.abortMessage();
    throw e;
  }
}

/**
 * Write NEWSA (UPDSA with `update`) of `sa`, with its lifetime counters, into `w` as one
 * message: checked and completed by {@link newState}, then the bytes of
 * {@link stateWriteRequest}'s message with `withCurrent` (a given `current` goes out as
 * `XFRMA_LTIME_VAL`: restore and the HA takeover put `add_time` back this way) without its
 * header and attribute objects.
 * @throws {@link NetlinkEncodeError} naming the field (`state.…`); `w` is then as before.
 */
export function writeStateRequest(w: NlmsgWriter, sa: XfrmStateInput, update: boolean): void {
  const s = newState(sa);
  w.beginMessage(update ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA, 0);
  try {
    writeStatePayload(w, s, true);
    w.endMessage();
  } catch (e) {
    w.abortMessage();
    throw e;
  }
}

/**
 * Write the GETAE of one SA into `w`: the bytes of {@link getAeRequest}'s message, without its
 * objects.
 * @throws {@link NetlinkEncodeError} for a malformed id (`id.…`, or `ids[index].…`); `w` is then as before.
 */
export function writeGetAeRequest(w: NlmsgWriter, id: XfrmSaId, thresholds: boolean, index: Index = -1): void {
  checkSaId(id, index < 0 ? 'id' : 'ids', index);
  w.beginMessage(XFRM_MSG_GETAE, 0);
  try {
    writeAeventId(w, id, thresholds ? XFRM_AE_RTHR | XFRM_AE_ETHR : 0);
    if (id.mark) writeAttr(w, 'XFRMA_MARK', id.mark);
    w.endMessage();
  } catch (e) {
    w.abortMessage();
    throw e;
  }
}

/** The `xfrm_aevent_id` of an SA id with `flags` (`XFRM_AE_*`), as {@link aeventId} gives it: saddr the zero address unless given, reqid 0. */
function writeAeventId(w: NlmsgWriter, id: XfrmSaId, flags: number): void {
  const off = w.alloc(XFRM_AEVENT_ID_SIZE);
  const family = saIdFamily(id);
  encodeXfrmUsersaIdFields(w.view, off, id.daddr, id.spi, family, id.proto, w.le);
  encodeXfrmAddress(w.view, off + XFRM_USERSA_ID_SIZE, id.saddr ?? zeroAddress(family), 'xfrm_aevent_id.saddr');
  if (flags !== 0) w.view.setUint32(off + 40, flags, w.le);
}

/**
 * Write the NEWAE (`NLM_F_REPLACE`) of one SA into `w`: the bytes of {@link newAeRequest}'s
 * message, without its objects. Checks the entry like {@link checkNewAe} unless `checked`
 * (the caller ran that check already, e.g. before reading the SA's replay kind).
 * @throws {@link NetlinkEncodeError} naming the field; `w` is then as before.
 */
export function writeNewAeRequest(w: NlmsgWriter, id: XfrmSaId, ae: XfrmAeUpdate, index: Index = -1, checked = false): void {
  if (!checked) checkNewAe(id, ae, index);
  w.beginMessage(XFRM_MSG_NEWAE, NLM_F_REPLACE);
  try {
    writeAeventId(w, id, 0);
    emitNewAeAttrs(id, ae, writeAttr, w);
    w.endMessage();
  } catch (e) {
    w.abortMessage();
    throw e;
  }
}
