/**
 * `XFRM_MSG_FLUSHSA` (header `struct xfrm_usersa_flush`, 1 byte).
 * @module
 */
import { XFRM_MSG_FLUSHSA, XFRMNLGRP_SA } from '../constants.js';
import { xfrmAttrSpace } from '../attributes.js';
import { xfrmUsersaFlushCodec } from '../structs/usersa-flush.js';
import { type XfrmMessageSpecOf } from './spec.js';

/** `XFRM_MSG_FLUSHSA`: delete all SAs of a protocol (0 = all, 255 = AH+ESP+COMP). */
export const xfrmMsgFlushsa: XfrmMessageSpecOf<'XFRM_MSG_FLUSHSA'> = {
  type: XFRM_MSG_FLUSHSA,
  name: 'XFRM_MSG_FLUSHSA',
  body: xfrmUsersaFlushCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: [],
  kernelAttrs: [],
  group: XFRMNLGRP_SA,
  summary: 'flush SAs',
};
