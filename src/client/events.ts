/**
 * Typed XFRM events: multicast notifications turned into one discriminated union, each with
 * the raw message kept in `message` for whoever needs more.
 * @module
 */
import { type NlmsgRawMessage } from '../netlink/message.js';
import { findAttr } from '../netlink/nlattr.js';
import { SecretBytes } from '../netlink/secret.js';
import { type XfrmAttribute } from '../xfrm/attributes.js';
import {
  XFRMNLGRP_ACQUIRE,
  XFRMNLGRP_AEVENTS,
  XFRMNLGRP_EXPIRE,
  XFRMNLGRP_MAPPING,
  XFRMNLGRP_MIGRATE,
  XFRMNLGRP_POLICY,
  XFRMNLGRP_REPORT,
  XFRMNLGRP_SA,
} from '../xfrm/constants.js';
import { type XfrmMessage } from '../xfrm/family.js';
import { type XfrmAeventId } from '../xfrm/structs/aevent-id.js';
import { type XfrmUserAcquire } from '../xfrm/structs/user-acquire.js';
import { type XfrmUserMapping } from '../xfrm/structs/user-mapping.js';
import { type XfrmUserMigrate } from '../xfrm/structs/user-migrate.js';
import { type XfrmUserReport } from '../xfrm/structs/user-report.js';
import { type XfrmUserTmpl } from '../xfrm/structs/user-tmpl.js';
import { type XfrmUserpolicyDefault } from '../xfrm/structs/userpolicy-default.js';
import { type XfrmUserpolicyId } from '../xfrm/structs/userpolicy-id.js';
import { type XfrmUsersaId } from '../xfrm/structs/usersa-id.js';
import { type XfrmUsersaInfo } from '../xfrm/structs/usersa-info.js';
import { type XfrmUserpolicyInfo } from '../xfrm/structs/userpolicy-info.js';
import { policyFromMessage, type XfrmPolicy } from './policy.js';
import { stateFromMessage, type XfrmState } from './state.js';
import { aeFromMessage, type XfrmAeState } from './ae.js';
import { addressInFamily } from '../xfrm/structs/address.js';

/** Event group names accepted by {@link XfrmClient.events}, mapped to `XFRMNLGRP_*`. */
export const XFRM_EVENT_GROUPS: Readonly<Record<XfrmEventGroup, number>> = {
  acquire: XFRMNLGRP_ACQUIRE,
  expire: XFRMNLGRP_EXPIRE,
  sa: XFRMNLGRP_SA,
  policy: XFRMNLGRP_POLICY,
  aevents: XFRMNLGRP_AEVENTS,
  report: XFRMNLGRP_REPORT,
  migrate: XFRMNLGRP_MIGRATE,
  mapping: XFRMNLGRP_MAPPING,
};

/** Name of an event group: `acquire`, `expire` (SA and policy expiry), `sa`, `policy`, `aevents`, `report`, `migrate`, `mapping`. @group Events */
export type XfrmEventGroup = 'acquire' | 'expire' | 'sa' | 'policy' | 'aevents' | 'report' | 'migrate' | 'mapping';

/** Fields every event decoded from a notification has. @group Events */
export interface XfrmEventBase {
  /** The decoded notification the event was built from. */
  message: XfrmMessage;
}
/** `XFRM_MSG_ACQUIRE`: the kernel needs an SA for traffic that hit a policy. @group Events */
export interface XfrmAcquireEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'acquire';
  /** The acquire header: SA id, addresses, selector, policy, and `seq` to answer with. */
  acquire: XfrmUserAcquire;
  /** The policy's templates (`XFRMA_TMPL`). */
  templates: XfrmUserTmpl[];
  /** All attributes of the notification. */
  attrs: XfrmAttribute[];
}
/** `XFRM_MSG_EXPIRE`: an SA reached a soft or hard limit. @group Events */
export interface XfrmExpireEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'expire';
  /** Hard expiry: the SA is gone. */
  hard: boolean;
  /** The SA as it was. */
  state: XfrmState;
}
/** `XFRM_MSG_POLEXPIRE`: a policy reached a soft or hard limit. @group Events */
export interface XfrmPolexpireEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'polexpire';
  /** Hard expiry: the policy is gone. */
  hard: boolean;
  /** The policy. */
  policy: XfrmPolicy;
}
/** `XFRM_MSG_NEWSA` / `XFRM_MSG_UPDSA` notification. @group Events */
export interface XfrmSaEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'newsa' | 'updsa';
  /** The SA added or updated. */
  state: XfrmState;
}
/** `XFRM_MSG_DELSA` notification. @group Events */
export interface XfrmDelsaEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'delsa';
  /** Identity of the deleted SA. */
  id: XfrmUsersaId;
  /** The deleted SA (from `XFRMA_SA`), when the kernel included it. */
  state?: XfrmState;
}
/** `XFRM_MSG_FLUSHSA` notification. @group Events */
export interface XfrmFlushsaEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'flushsa';
  /** Protocol flushed (0 = all, 255 = AH+ESP+COMP). */
  proto: number;
}
/** `XFRM_MSG_NEWPOLICY` / `XFRM_MSG_UPDPOLICY` notification. @group Events */
export interface XfrmPolicyEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'newpolicy' | 'updpolicy';
  /** The policy added or updated. */
  policy: XfrmPolicy;
}
/** `XFRM_MSG_DELPOLICY` notification. @group Events */
export interface XfrmDelpolicyEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'delpolicy';
  /** How the policy was addressed (index or selector). */
  id: XfrmUserpolicyId;
  /** The deleted policy (from `XFRMA_POLICY`), when included. */
  policy?: XfrmPolicy;
}
/** `XFRM_MSG_FLUSHPOLICY` notification. @group Events */
export interface XfrmFlushpolicyEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'flushpolicy';
}
/** `XFRM_MSG_NEWAE` on `XFRMNLGRP_AEVENTS`: replay/lifetime state changed (cause in `ae.flags`: `XFRM_AE_CR`, `_CE`, `_CU`). @group Events */
export interface XfrmAeventEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'aevent';
  /** The SA the event is about. */
  id: XfrmAeventId;
  /** Replay state, counters and thresholds. */
  ae: XfrmAeState;
}
/** `XFRM_MSG_REPORT` (MIPv6). @group Events */
export interface XfrmReportEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'report';
  /** The report header. */
  report: XfrmUserReport;
  /** Care-of address, when included. */
  coaddr?: string;
}
/** `XFRM_MSG_MIGRATE`. @group Events */
export interface XfrmMigrateEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'migrate';
  /** The migrated policy. */
  id: XfrmUserpolicyId;
  /** The address changes. */
  migrations: XfrmUserMigrate[];
}
/** `XFRM_MSG_MIGRATE_STATE` (7.2+). @group Events */
export interface XfrmMigrateStateEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'migrate-state';
}
/** `XFRM_MSG_MAPPING`: the NAT-T peer address or port changed. @group Events */
export interface XfrmMappingEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'mapping';
  /** Old and new address/port of the SA. */
  mapping: XfrmUserMapping;
}
/** `XFRM_MSG_GETDEFAULT` sent after a SETDEFAULT. @group Events */
export interface XfrmDefaultPolicyEvent extends XfrmEventBase {
  /** Discriminant. */
  kind: 'default-policy';
  /** The new defaults. */
  defaults: XfrmUserpolicyDefault;
}
/**
 * The receive buffer overflowed and events were lost: resynchronise with a dump. Every event
 * before this one was queued before the loss, and none after it is older than the loss;
 * events after it may already be reflected in the dump, so apply them idempotently (see
 * `OverrunEvent` in `netlink-xfrm/socket`).
 * @group Events
 */
export interface XfrmOverrunEvent {
  /** Discriminant. */
  kind: 'overrun';
}
/** A message of a type this library does not know (a newer kernel). @group Events */
export interface XfrmUnknownEvent {
  /** Discriminant. */
  kind: 'unknown';
  /** The message as received (a raw `payload` is a {@link SecretBytes}: it may hold keys). */
  message: XfrmMessage | NlmsgRawMessage;
}

/** One XFRM event, discriminated on `kind`. @group Events */
export type XfrmEvent =
  | XfrmAcquireEvent
  | XfrmExpireEvent
  | XfrmPolexpireEvent
  | XfrmSaEvent
  | XfrmDelsaEvent
  | XfrmFlushsaEvent
  | XfrmPolicyEvent
  | XfrmDelpolicyEvent
  | XfrmFlushpolicyEvent
  | XfrmAeventEvent
  | XfrmReportEvent
  | XfrmMigrateEvent
  | XfrmMigrateStateEvent
  | XfrmMappingEvent
  | XfrmDefaultPolicyEvent
  | XfrmOverrunEvent
  | XfrmUnknownEvent;

/** Turn one notification into an {@link XfrmEvent}. */
export function eventFromMessage(m: XfrmMessage | NlmsgRawMessage): XfrmEvent {
  if (!('body' in m)) {
    // A notification the family could not decode may still be a NEWSA with its keys.
    // Control messages (NLMSG_DONE, NLMSG_ERROR) reaching a subscription have no raw payload field.
    const p = (m as { payload?: unknown }).payload;
    const raw = p instanceof Uint8Array && p.length > 0 && !(p instanceof SecretBytes) ? { ...m, payload: SecretBytes.wrap(p) } : m;
    return { kind: 'unknown', message: raw };
  }
  switch (m.type) {
    case 'XFRM_MSG_ACQUIRE':
      return { kind: 'acquire', acquire: m.body, templates: findAttr<XfrmUserTmpl[]>(m.attrs, 'XFRMA_TMPL') ?? [], attrs: m.attrs, message: m };
    case 'XFRM_MSG_EXPIRE':
      return { kind: 'expire', hard: m.body.hard !== 0, state: stateFromMessage(m.body.state, m.attrs), message: m };
    case 'XFRM_MSG_POLEXPIRE':
      return { kind: 'polexpire', hard: m.body.hard !== 0, policy: policyFromMessage(m.body.pol, m.attrs), message: m };
    case 'XFRM_MSG_NEWSA':
    case 'XFRM_MSG_UPDSA':
      return { kind: m.type === 'XFRM_MSG_NEWSA' ? 'newsa' : 'updsa', state: stateFromMessage(m.body, m.attrs), message: m };
    case 'XFRM_MSG_DELSA': {
      // The deleted SA (XFRMA_SA) comes when the kernel includes it; without it, no `state` key.
      const sa = findAttr<XfrmUsersaInfo>(m.attrs, 'XFRMA_SA');
      return { kind: 'delsa', id: m.body, ...(sa ? { state: stateFromMessage(sa, m.attrs) } : {}), message: m };
    }
    case 'XFRM_MSG_FLUSHSA':
      return { kind: 'flushsa', proto: m.body.proto, message: m };
    case 'XFRM_MSG_NEWPOLICY':
    case 'XFRM_MSG_UPDPOLICY':
      return { kind: m.type === 'XFRM_MSG_NEWPOLICY' ? 'newpolicy' : 'updpolicy', policy: policyFromMessage(m.body, m.attrs), message: m };
    case 'XFRM_MSG_DELPOLICY': {
      const pol = findAttr<XfrmUserpolicyInfo>(m.attrs, 'XFRMA_POLICY');
      return { kind: 'delpolicy', id: m.body, ...(pol ? { policy: policyFromMessage(pol, m.attrs) } : {}), message: m };
    }
    case 'XFRM_MSG_FLUSHPOLICY':
      return { kind: 'flushpolicy', message: m };
    case 'XFRM_MSG_NEWAE':
      return { kind: 'aevent', id: m.body, ae: aeFromMessage(m.body, m.attrs), message: m };
    case 'XFRM_MSG_REPORT': {
      const coaddr = findAttr<string>(m.attrs, 'XFRMA_COADDR');
      return coaddr !== undefined ? { kind: 'report', report: m.body, coaddr, message: m } : { kind: 'report', report: m.body, message: m };
    }
    case 'XFRM_MSG_MIGRATE':
      return { kind: 'migrate', id: m.body, migrations: findAttr<XfrmUserMigrate[]>(m.attrs, 'XFRMA_MIGRATE') ?? [], message: m };
    case 'XFRM_MSG_MIGRATE_STATE':
      return { kind: 'migrate-state', message: m };
    case 'XFRM_MSG_MAPPING': {
      // 6.1 leaves bytes 4–15 of IPv4 addresses uninitialised here: read them in the SA's family.
      const f = m.body.id.family;
      const mapping = { ...m.body, oldSaddr: addressInFamily(m.body.oldSaddr, f), newSaddr: addressInFamily(m.body.newSaddr, f) };
      return { kind: 'mapping', mapping, message: m };
    }
    case 'XFRM_MSG_GETDEFAULT':
      return { kind: 'default-policy', defaults: m.body, message: m };
    default:
      return { kind: 'unknown', message: m };
  }
}
