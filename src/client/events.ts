/**
 * Typed XFRM events: multicast notifications turned into one discriminated union, each with
 * the raw message kept in `message` for whoever needs more.
 * @module
 */
import { type NlmsgRawMessage } from '../netlink/message.js';
import { findAttr } from '../netlink/nlattr.js';
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
import { policyFromMessage, type XfrmPolicy } from './policy.js';
import { stateFromMessage, type XfrmState } from './state.js';
import { aeFromMessage, type XfrmAeState } from './ae.js';

/** Event group names accepted by {@link XfrmClient.events}, mapped to `XFRMNLGRP_*`. */
export const XFRM_EVENT_GROUPS = {
  acquire: XFRMNLGRP_ACQUIRE,
  expire: XFRMNLGRP_EXPIRE,
  sa: XFRMNLGRP_SA,
  policy: XFRMNLGRP_POLICY,
  aevents: XFRMNLGRP_AEVENTS,
  report: XFRMNLGRP_REPORT,
  migrate: XFRMNLGRP_MIGRATE,
  mapping: XFRMNLGRP_MAPPING,
} as const;

/** Name of an event group. */
export type XfrmEventGroup = keyof typeof XFRM_EVENT_GROUPS;

/** One XFRM event. `message` is the decoded notification it came from. */
export type XfrmEvent =
  | { kind: 'acquire'; acquire: XfrmUserAcquire; templates: XfrmUserTmpl[]; attrs: XfrmAttribute[]; message: XfrmMessage }
  | { kind: 'expire'; hard: boolean; state: XfrmState; message: XfrmMessage }
  | { kind: 'polexpire'; hard: boolean; policy: XfrmPolicy; message: XfrmMessage }
  | { kind: 'newsa' | 'updsa'; state: XfrmState; message: XfrmMessage }
  | { kind: 'delsa'; id: XfrmUsersaId; state?: XfrmState; message: XfrmMessage }
  | { kind: 'flushsa'; proto: number; message: XfrmMessage }
  | { kind: 'newpolicy' | 'updpolicy'; policy: XfrmPolicy; message: XfrmMessage }
  | { kind: 'delpolicy'; id: XfrmUserpolicyId; policy?: XfrmPolicy; message: XfrmMessage }
  | { kind: 'flushpolicy'; message: XfrmMessage }
  | { kind: 'aevent'; id: XfrmAeventId; ae: XfrmAeState; message: XfrmMessage }
  | { kind: 'report'; report: XfrmUserReport; coaddr?: string; message: XfrmMessage }
  | { kind: 'migrate'; id: XfrmUserpolicyId; migrations: XfrmUserMigrate[]; message: XfrmMessage }
  | { kind: 'migrate-state'; message: XfrmMessage }
  | { kind: 'mapping'; mapping: XfrmUserMapping; message: XfrmMessage }
  | { kind: 'default-policy'; defaults: XfrmUserpolicyDefault; message: XfrmMessage }
  /** The receive buffer overflowed and events were lost: resynchronise with a dump. */
  | { kind: 'overrun' }
  /** A message of a type this library does not know (newer kernel). */
  | { kind: 'unknown'; message: XfrmMessage | NlmsgRawMessage };

/** Turn one notification into an {@link XfrmEvent}. */
export function eventFromMessage(m: XfrmMessage | NlmsgRawMessage): XfrmEvent {
  if (!('body' in m)) return { kind: 'unknown', message: m };
  switch (m.type) {
    case 'XFRM_MSG_ACQUIRE':
      return { kind: 'acquire', acquire: m.body, templates: findAttr<XfrmUserTmpl[]>(m.attrs, 'XFRMA_TMPL') ?? [], attrs: m.attrs, message: m };
    case 'XFRM_MSG_EXPIRE':
      return { kind: 'expire', hard: m.body.hard !== 0, state: stateFromMessage(m.body.state, m.attrs), message: m };
    case 'XFRM_MSG_POLEXPIRE':
      return { kind: 'polexpire', hard: m.body.hard !== 0, policy: policyFromMessage(m.body.pol, m.attrs), message: m };
    case 'XFRM_MSG_NEWSA':
      return { kind: 'newsa', state: stateFromMessage(m.body, m.attrs), message: m };
    case 'XFRM_MSG_UPDSA':
      return { kind: 'updsa', state: stateFromMessage(m.body, m.attrs), message: m };
    case 'XFRM_MSG_DELSA': {
      const sa = findAttr<import('../xfrm/structs/usersa-info.js').XfrmUsersaInfo>(m.attrs, 'XFRMA_SA');
      return sa
        ? { kind: 'delsa', id: m.body, state: stateFromMessage(sa, m.attrs), message: m }
        : { kind: 'delsa', id: m.body, message: m };
    }
    case 'XFRM_MSG_FLUSHSA':
      return { kind: 'flushsa', proto: m.body.proto, message: m };
    case 'XFRM_MSG_NEWPOLICY':
      return { kind: 'newpolicy', policy: policyFromMessage(m.body, m.attrs), message: m };
    case 'XFRM_MSG_UPDPOLICY':
      return { kind: 'updpolicy', policy: policyFromMessage(m.body, m.attrs), message: m };
    case 'XFRM_MSG_DELPOLICY': {
      const pol = findAttr<import('../xfrm/structs/userpolicy-info.js').XfrmUserpolicyInfo>(m.attrs, 'XFRMA_POLICY');
      return pol
        ? { kind: 'delpolicy', id: m.body, policy: policyFromMessage(pol, m.attrs), message: m }
        : { kind: 'delpolicy', id: m.body, message: m };
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
    case 'XFRM_MSG_MAPPING':
      return { kind: 'mapping', mapping: m.body, message: m };
    case 'XFRM_MSG_GETDEFAULT':
      return { kind: 'default-policy', defaults: m.body, message: m };
    default:
      return { kind: 'unknown', message: m };
  }
}
