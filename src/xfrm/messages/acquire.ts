/**
 * `XFRM_MSG_ACQUIRE` (header `struct xfrm_user_acquire`).
 * @module
 */
import { XFRM_MSG_ACQUIRE, XFRMNLGRP_ACQUIRE } from '../constants.js';
import { xfrmAttrSpace } from '../attributes.js';
import { xfrmUserAcquireCodec } from '../structs/user-acquire.js';
import { type XfrmMessageSpecOf } from './spec.js';

/**
 * `XFRM_MSG_ACQUIRE`: the kernel asks the key manager for an SA (traffic hit a policy whose
 * template has no SA); `seq` must be passed back in the SA's `seq`. Userspace may also send
 * it to trigger acquires itself.
 */
export const xfrmMsgAcquire: XfrmMessageSpecOf<'XFRM_MSG_ACQUIRE'> = {
  type: XFRM_MSG_ACQUIRE,
  name: 'XFRM_MSG_ACQUIRE',
  body: xfrmUserAcquireCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: ['XFRMA_TMPL', 'XFRMA_SEC_CTX', 'XFRMA_MARK', 'XFRMA_SA_PCPU', 'XFRMA_POLICY_TYPE'],
  kernelAttrs: ['XFRMA_TMPL', 'XFRMA_SEC_CTX', 'XFRMA_POLICY_TYPE', 'XFRMA_MARK', 'XFRMA_IF_ID', 'XFRMA_OFFLOAD_DEV', 'XFRMA_SA_PCPU'],
  group: XFRMNLGRP_ACQUIRE,
  summary: 'SA acquire request from the kernel',
};
