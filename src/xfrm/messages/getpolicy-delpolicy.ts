/**
 * `XFRM_MSG_GETPOLICY` and `XFRM_MSG_DELPOLICY` (header `struct xfrm_userpolicy_id`).
 * @module
 */
import { XFRM_MSG_DELPOLICY, XFRM_MSG_GETPOLICY, XFRMNLGRP_POLICY } from '../constants.js';
import { xfrmAttrSpace, type XfrmAttrName } from '../attributes.js';
import { xfrmUserpolicyIdCodec } from '../structs/userpolicy-id.js';
import { POLICY_KERNEL_ATTRS } from './newpolicy.js';
import { type XfrmMessageSpecOf } from './spec.js';

/** @internal Attributes that select a policy. */
const POLICY_LOOKUP_ATTRS: readonly XfrmAttrName[] = ['XFRMA_MARK', 'XFRMA_IF_ID', 'XFRMA_POLICY_TYPE', 'XFRMA_SEC_CTX'];

/**
 * `XFRM_MSG_GETPOLICY`: get a policy by index or selector (reply: NEWPOLICY), or dump all
 * policies with `NLM_F_DUMP` (the request payload is then ignored by the kernel).
 */
export const xfrmMsgGetpolicy: XfrmMessageSpecOf<'XFRM_MSG_GETPOLICY'> = {
  type: XFRM_MSG_GETPOLICY,
  name: 'XFRM_MSG_GETPOLICY',
  body: xfrmUserpolicyIdCodec,
  attrs: xfrmAttrSpace,
  dumpable: true,
  requestAttrs: POLICY_LOOKUP_ATTRS,
  kernelAttrs: [],
  summary: 'get a policy by index or selector, or dump policies',
};

/**
 * `XFRM_MSG_DELPOLICY`: delete a policy (ENOENT if absent). The notification carries the
 * deleted policy in `XFRMA_POLICY`.
 */
export const xfrmMsgDelpolicy: XfrmMessageSpecOf<'XFRM_MSG_DELPOLICY'> = {
  type: XFRM_MSG_DELPOLICY,
  name: 'XFRM_MSG_DELPOLICY',
  body: xfrmUserpolicyIdCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: POLICY_LOOKUP_ATTRS,
  kernelAttrs: ['XFRMA_POLICY', ...POLICY_KERNEL_ATTRS],
  group: XFRMNLGRP_POLICY,
  summary: 'delete a policy',
};
