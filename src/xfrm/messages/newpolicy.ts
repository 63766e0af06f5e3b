/**
 * `XFRM_MSG_NEWPOLICY` and `XFRM_MSG_UPDPOLICY` (header `struct xfrm_userpolicy_info`).
 * NEWPOLICY is also the type of GETPOLICY replies and policy dump entries.
 * @module
 */
import { XFRM_MSG_NEWPOLICY, XFRM_MSG_UPDPOLICY, XFRMNLGRP_POLICY } from '../constants.js';
import { xfrmAttrSpace, type XfrmAttrName } from '../attributes.js';
import { xfrmUserpolicyInfoCodec } from '../structs/userpolicy-info.js';
import { type XfrmMessageSpecOf } from './spec.js';

/** @internal Attributes the kernel writes after a policy header. */
export const POLICY_KERNEL_ATTRS: readonly XfrmAttrName[] = ['XFRMA_TMPL', 'XFRMA_SEC_CTX', 'XFRMA_POLICY_TYPE', 'XFRMA_MARK', 'XFRMA_IF_ID', 'XFRMA_OFFLOAD_DEV'];

/** `XFRM_MSG_NEWPOLICY`: add a policy (EEXIST if an identical one exists). */
export const xfrmMsgNewpolicy: XfrmMessageSpecOf<'XFRM_MSG_NEWPOLICY'> = {
  type: XFRM_MSG_NEWPOLICY,
  name: 'XFRM_MSG_NEWPOLICY',
  body: xfrmUserpolicyInfoCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: ['XFRMA_TMPL', 'XFRMA_SEC_CTX', 'XFRMA_POLICY_TYPE', 'XFRMA_MARK', 'XFRMA_IF_ID', 'XFRMA_OFFLOAD_DEV'],
  kernelAttrs: POLICY_KERNEL_ATTRS,
  group: XFRMNLGRP_POLICY,
  summary: 'add a policy; also GETPOLICY replies and policy dump entries',
};

/** `XFRM_MSG_UPDPOLICY`: add or replace a policy. */
export const xfrmMsgUpdpolicy: XfrmMessageSpecOf<'XFRM_MSG_UPDPOLICY'> = {
  ...xfrmMsgNewpolicy,
  type: XFRM_MSG_UPDPOLICY,
  name: 'XFRM_MSG_UPDPOLICY',
  summary: 'add or replace a policy',
};
