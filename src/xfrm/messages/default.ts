/**
 * `XFRM_MSG_SETDEFAULT` and `XFRM_MSG_GETDEFAULT` (header `struct xfrm_userpolicy_default`).
 * @module
 */
import { XFRM_MSG_GETDEFAULT, XFRM_MSG_SETDEFAULT, XFRMNLGRP_POLICY } from '../constants.js';
import { xfrmAttrSpace } from '../attributes.js';
import { xfrmUserpolicyDefaultCodec } from '../structs/userpolicy-default.js';
import { type XfrmMessageSpecOf } from './spec.js';

/** `XFRM_MSG_SETDEFAULT`: set the default action per direction (0 leaves a direction unchanged). */
export const xfrmMsgSetdefault: XfrmMessageSpecOf<'XFRM_MSG_SETDEFAULT'> = {
  type: XFRM_MSG_SETDEFAULT,
  name: 'XFRM_MSG_SETDEFAULT',
  body: xfrmUserpolicyDefaultCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: [],
  kernelAttrs: [],
  summary: 'set the default policy',
};

/**
 * `XFRM_MSG_GETDEFAULT`: read the default action per direction. The kernel also sends this
 * type to `XFRMNLGRP_POLICY` after every SETDEFAULT.
 */
export const xfrmMsgGetdefault: XfrmMessageSpecOf<'XFRM_MSG_GETDEFAULT'> = {
  type: XFRM_MSG_GETDEFAULT,
  name: 'XFRM_MSG_GETDEFAULT',
  body: xfrmUserpolicyDefaultCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: [],
  kernelAttrs: [],
  group: XFRMNLGRP_POLICY,
  summary: 'get the default policy; notification after SETDEFAULT',
};
