/**
 * `XFRM_MSG_NEWAE` and `XFRM_MSG_GETAE` (header `struct xfrm_aevent_id`): an SA's replay
 * state, lifetime counters and async-event thresholds.
 * @module
 */
import { XFRM_MSG_GETAE, XFRM_MSG_NEWAE, XFRMNLGRP_AEVENTS } from '../constants.js';
import { xfrmAttrSpace, type XfrmAttrName } from '../attributes.js';
import { xfrmAeventIdCodec } from '../structs/aevent-id.js';
import { type XfrmMessageSpecOf } from './spec.js';

/** @internal Attributes of an AE message. */
const AE_ATTRS: readonly XfrmAttrName[] = ['XFRMA_REPLAY_VAL', 'XFRMA_REPLAY_ESN_VAL', 'XFRMA_LTIME_VAL', 'XFRMA_REPLAY_THRESH', 'XFRMA_ETIMER_THRESH'];

/**
 * `XFRM_MSG_NEWAE`: set replay state / lifetime counters / thresholds of a VALID SA in place.
 * Requires `NLM_F_REPLACE`. The only way to change replay state of a live SA. Also the
 * type of GETAE replies and of `XFRMNLGRP_AEVENTS` events.
 */
export const xfrmMsgNewae: XfrmMessageSpecOf<'XFRM_MSG_NEWAE'> = {
  type: XFRM_MSG_NEWAE,
  name: 'XFRM_MSG_NEWAE',
  body: xfrmAeventIdCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: [...AE_ATTRS, 'XFRMA_MARK', 'XFRMA_MTIMER_THRESH'],
  kernelAttrs: [...AE_ATTRS, 'XFRMA_MARK', 'XFRMA_IF_ID', 'XFRMA_SA_PCPU', 'XFRMA_SA_DIR'],
  group: XFRMNLGRP_AEVENTS,
  summary: 'set an SA\'s replay state and counters; GETAE replies; aevents',
};

/** `XFRM_MSG_GETAE`: read an SA's replay state and lifetime counters (reply: NEWAE). */
export const xfrmMsgGetae: XfrmMessageSpecOf<'XFRM_MSG_GETAE'> = {
  type: XFRM_MSG_GETAE,
  name: 'XFRM_MSG_GETAE',
  body: xfrmAeventIdCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: ['XFRMA_MARK'],
  kernelAttrs: [],
  summary: 'get an SA\'s replay state and counters',
};
