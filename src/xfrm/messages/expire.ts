/**
 * `XFRM_MSG_EXPIRE` (header `struct xfrm_user_expire`).
 * @module
 */
import { XFRM_MSG_EXPIRE, XFRMNLGRP_EXPIRE } from '../constants.js';
import { xfrmAttrSpace } from '../attributes.js';
import { xfrmUserExpireCodec } from '../structs/user-expire.js';
import { type XfrmMessageSpecOf } from './spec.js';

/** `XFRM_MSG_EXPIRE`: an SA reached a soft (`hard` = 0) or hard (`hard` = 1, deleted) limit. */
export const xfrmMsgExpire: XfrmMessageSpecOf<'XFRM_MSG_EXPIRE'> = {
  type: XFRM_MSG_EXPIRE,
  name: 'XFRM_MSG_EXPIRE',
  body: xfrmUserExpireCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: ['XFRMA_MARK'],
  kernelAttrs: ['XFRMA_MARK', 'XFRMA_IF_ID', 'XFRMA_SA_PCPU', 'XFRMA_SA_DIR'],
  group: XFRMNLGRP_EXPIRE,
  summary: 'SA soft/hard expiry',
};
