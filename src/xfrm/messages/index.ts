/**
 * Every `XFRM_MSG_*` kind, one spec per type number.
 * @module
 */
import { xfrmMsgAcquire } from './acquire.js';
import { xfrmMsgGetae, xfrmMsgNewae } from './ae.js';
import { xfrmMsgAllocspi } from './allocspi.js';
import { xfrmMsgGetdefault, xfrmMsgSetdefault } from './default.js';
import { xfrmMsgExpire } from './expire.js';
import { xfrmMsgFlushpolicy } from './flushpolicy.js';
import { xfrmMsgFlushsa } from './flushsa.js';
import { xfrmMsgDelpolicy, xfrmMsgGetpolicy } from './getpolicy-delpolicy.js';
import { xfrmMsgDelsa, xfrmMsgGetsa } from './getsa-delsa.js';
import { xfrmMsgGetsadinfo, xfrmMsgGetspdinfo, xfrmMsgNewsadinfo, xfrmMsgNewspdinfo } from './info.js';
import { xfrmMsgMapping } from './mapping.js';
import { xfrmMsgMigrate, xfrmMsgMigrateState } from './migrate.js';
import { xfrmMsgNewpolicy, xfrmMsgUpdpolicy } from './newpolicy.js';
import { xfrmMsgNewsa, xfrmMsgUpdsa } from './newsa.js';
import { xfrmMsgPolexpire } from './polexpire.js';
import { xfrmMsgReport } from './report.js';
import { type XfrmMessageName } from '../family.js';
import { type XfrmMessageSpec, type XfrmMessageSpecOf } from './spec.js';

export * from './spec.js';
export {
  xfrmMsgAcquire,
  xfrmMsgGetae,
  xfrmMsgNewae,
  xfrmMsgAllocspi,
  xfrmMsgGetdefault,
  xfrmMsgSetdefault,
  xfrmMsgExpire,
  xfrmMsgFlushpolicy,
  xfrmMsgFlushsa,
  xfrmMsgDelpolicy,
  xfrmMsgGetpolicy,
  xfrmMsgDelsa,
  xfrmMsgGetsa,
  xfrmMsgGetsadinfo,
  xfrmMsgGetspdinfo,
  xfrmMsgNewsadinfo,
  xfrmMsgNewspdinfo,
  xfrmMsgMapping,
  xfrmMsgMigrate,
  xfrmMsgMigrateState,
  xfrmMsgNewpolicy,
  xfrmMsgUpdpolicy,
  xfrmMsgNewsa,
  xfrmMsgUpdsa,
  xfrmMsgPolexpire,
  xfrmMsgReport,
};

/**
 * One spec per message name, in type order: the compiler names a message of
 * `XfrmMessageBodies` without a spec, and a spec whose name, body codec or attribute names do
 * not fit its message.
 */
const SPECS = {
  XFRM_MSG_NEWSA: xfrmMsgNewsa,
  XFRM_MSG_DELSA: xfrmMsgDelsa,
  XFRM_MSG_GETSA: xfrmMsgGetsa,
  XFRM_MSG_NEWPOLICY: xfrmMsgNewpolicy,
  XFRM_MSG_DELPOLICY: xfrmMsgDelpolicy,
  XFRM_MSG_GETPOLICY: xfrmMsgGetpolicy,
  XFRM_MSG_ALLOCSPI: xfrmMsgAllocspi,
  XFRM_MSG_ACQUIRE: xfrmMsgAcquire,
  XFRM_MSG_EXPIRE: xfrmMsgExpire,
  XFRM_MSG_UPDPOLICY: xfrmMsgUpdpolicy,
  XFRM_MSG_UPDSA: xfrmMsgUpdsa,
  XFRM_MSG_POLEXPIRE: xfrmMsgPolexpire,
  XFRM_MSG_FLUSHSA: xfrmMsgFlushsa,
  XFRM_MSG_FLUSHPOLICY: xfrmMsgFlushpolicy,
  XFRM_MSG_NEWAE: xfrmMsgNewae,
  XFRM_MSG_GETAE: xfrmMsgGetae,
  XFRM_MSG_REPORT: xfrmMsgReport,
  XFRM_MSG_MIGRATE: xfrmMsgMigrate,
  XFRM_MSG_NEWSADINFO: xfrmMsgNewsadinfo,
  XFRM_MSG_GETSADINFO: xfrmMsgGetsadinfo,
  XFRM_MSG_NEWSPDINFO: xfrmMsgNewspdinfo,
  XFRM_MSG_GETSPDINFO: xfrmMsgGetspdinfo,
  XFRM_MSG_MAPPING: xfrmMsgMapping,
  XFRM_MSG_SETDEFAULT: xfrmMsgSetdefault,
  XFRM_MSG_GETDEFAULT: xfrmMsgGetdefault,
  XFRM_MSG_MIGRATE_STATE: xfrmMsgMigrateState,
} satisfies { readonly [K in XfrmMessageName]: XfrmMessageSpecOf<K> };

/** All XFRM message specs, in type order. */
export const XFRM_MESSAGE_SPECS: readonly XfrmMessageSpec[] = Object.values(SPECS);
