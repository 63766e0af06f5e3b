/**
 * `XFRM_MSG_GETSA` and `XFRM_MSG_DELSA` (header `struct xfrm_usersa_id`).
 * @module
 */
import { XFRM_MSG_DELSA, XFRM_MSG_GETSA, XFRMNLGRP_SA } from '../constants.js';
import { xfrmAttrSpace } from '../attributes.js';
import { xfrmUsersaIdCodec } from '../structs/usersa-id.js';
import { SA_KERNEL_ATTRS } from './newsa.js';
import { type XfrmMessageSpecOf } from './spec.js';

/**
 * `XFRM_MSG_GETSA`: get one SA (reply: NEWSA) or, with `NLM_F_DUMP`, dump all SAs. A dump
 * request may omit the header; its filters `XFRMA_ADDRESS_FILTER` and `XFRMA_PROTO` then
 * start right after the `nlmsghdr`.
 */
export const xfrmMsgGetsa: XfrmMessageSpecOf<'XFRM_MSG_GETSA'> = {
  type: XFRM_MSG_GETSA,
  name: 'XFRM_MSG_GETSA',
  body: xfrmUsersaIdCodec,
  attrs: xfrmAttrSpace,
  dumpable: true,
  requestAttrs: ['XFRMA_MARK', 'XFRMA_SRCADDR', 'XFRMA_ADDRESS_FILTER', 'XFRMA_PROTO'],
  kernelAttrs: [],
  summary: 'get an SA by (daddr, spi, proto, mark), or dump SAs',
};

/**
 * `XFRM_MSG_DELSA`: delete an SA (ESRCH if absent). The DELSA notification carries the
 * deleted SA in `XFRMA_SA` followed by its usual attributes.
 */
export const xfrmMsgDelsa: XfrmMessageSpecOf<'XFRM_MSG_DELSA'> = {
  type: XFRM_MSG_DELSA,
  name: 'XFRM_MSG_DELSA',
  body: xfrmUsersaIdCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: ['XFRMA_MARK', 'XFRMA_SRCADDR'],
  kernelAttrs: ['XFRMA_SA', ...SA_KERNEL_ATTRS],
  group: XFRMNLGRP_SA,
  summary: 'delete an SA',
};
