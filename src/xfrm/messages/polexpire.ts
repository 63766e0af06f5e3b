/**
 * `XFRM_MSG_POLEXPIRE` (header `struct xfrm_user_polexpire`).
 * @module
 */
import { XFRM_MSG_POLEXPIRE, XFRMNLGRP_EXPIRE } from '../constants.js';
import { xfrmAttrSpace } from '../attributes.js';
import { xfrmUserPolexpireCodec } from '../structs/user-polexpire.js';
import { POLICY_KERNEL_ATTRS } from './newpolicy.js';
import { type XfrmMessageSpecOf } from './spec.js';

/** `XFRM_MSG_POLEXPIRE`: a policy reached a soft or hard (deleted) lifetime limit. */
export const xfrmMsgPolexpire: XfrmMessageSpecOf<'XFRM_MSG_POLEXPIRE'> = {
  type: XFRM_MSG_POLEXPIRE,
  name: 'XFRM_MSG_POLEXPIRE',
  body: xfrmUserPolexpireCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: ['XFRMA_SEC_CTX', 'XFRMA_POLICY_TYPE', 'XFRMA_MARK', 'XFRMA_IF_ID'],
  kernelAttrs: POLICY_KERNEL_ATTRS,
  group: XFRMNLGRP_EXPIRE,
  summary: 'policy soft/hard expiry',
};
