/**
 * `XFRM_MSG_MAPPING` (header `struct xfrm_user_mapping`), kernel to user only.
 * @module
 */
import { XFRM_MSG_MAPPING, XFRMNLGRP_MAPPING } from '../constants.js';
import { xfrmAttrSpace } from '../attributes.js';
import { xfrmUserMappingCodec } from '../structs/user-mapping.js';
import { type XfrmMessageSpecOf } from './spec.js';

/** `XFRM_MSG_MAPPING`: the peer's NAT-T source address or port changed on an ESP-in-UDP SA. */
export const xfrmMsgMapping: XfrmMessageSpecOf<'XFRM_MSG_MAPPING'> = {
  type: XFRM_MSG_MAPPING,
  name: 'XFRM_MSG_MAPPING',
  body: xfrmUserMappingCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: [],
  kernelAttrs: [],
  group: XFRMNLGRP_MAPPING,
  summary: 'NAT-T mapping change (kernel to user only)',
};
