/**
 * `XFRM_MSG_FLUSHPOLICY` (no fixed header).
 * @module
 */
import { XFRM_MSG_FLUSHPOLICY, XFRMNLGRP_POLICY } from '../constants.js';
import { xfrmAttrSpace } from '../attributes.js';
import { type XfrmMessageSpecOf } from './spec.js';

/** `XFRM_MSG_FLUSHPOLICY`: delete all policies of a type (`XFRMA_POLICY_TYPE`, default main). */
export const xfrmMsgFlushpolicy: XfrmMessageSpecOf<'XFRM_MSG_FLUSHPOLICY'> = {
  type: XFRM_MSG_FLUSHPOLICY,
  name: 'XFRM_MSG_FLUSHPOLICY',
  body: null,
  attrs: xfrmAttrSpace,
  requestAttrs: ['XFRMA_POLICY_TYPE'],
  kernelAttrs: ['XFRMA_POLICY_TYPE'],
  group: XFRMNLGRP_POLICY,
  summary: 'flush policies',
};
