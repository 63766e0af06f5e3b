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
import { type XfrmMessageSpec } from './spec.js';

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

/** All XFRM message specs, in type order. */
export const XFRM_MESSAGE_SPECS: readonly XfrmMessageSpec<any>[] = [
  xfrmMsgNewsa,
  xfrmMsgDelsa,
  xfrmMsgGetsa,
  xfrmMsgNewpolicy,
  xfrmMsgDelpolicy,
  xfrmMsgGetpolicy,
  xfrmMsgAllocspi,
  xfrmMsgAcquire,
  xfrmMsgExpire,
  xfrmMsgUpdpolicy,
  xfrmMsgUpdsa,
  xfrmMsgPolexpire,
  xfrmMsgFlushsa,
  xfrmMsgFlushpolicy,
  xfrmMsgNewae,
  xfrmMsgGetae,
  xfrmMsgReport,
  xfrmMsgMigrate,
  xfrmMsgNewsadinfo,
  xfrmMsgGetsadinfo,
  xfrmMsgNewspdinfo,
  xfrmMsgGetspdinfo,
  xfrmMsgMapping,
  xfrmMsgSetdefault,
  xfrmMsgGetdefault,
  xfrmMsgMigrateState,
];
