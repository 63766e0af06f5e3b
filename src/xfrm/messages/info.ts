/**
 * SAD and SPD information: `XFRM_MSG_GETSADINFO`/`NEWSADINFO` and
 * `XFRM_MSG_GETSPDINFO`/`NEWSPDINFO`. The fixed header is a u32 flags word the kernel echoes.
 * @module
 */
import { u32 } from '../../netlink/codec.js';
import { XFRM_MSG_GETSADINFO, XFRM_MSG_GETSPDINFO, XFRM_MSG_NEWSADINFO, XFRM_MSG_NEWSPDINFO } from '../constants.js';
import { xfrmAttrSpace, xfrmSadAttrSpace, xfrmSpdAttrSpace } from '../attributes.js';
import { type XfrmMessageSpecOf } from './spec.js';

/** `XFRM_MSG_GETSADINFO`: ask for the SA count and hash table size (reply: NEWSADINFO). */
export const xfrmMsgGetsadinfo: XfrmMessageSpecOf<'XFRM_MSG_GETSADINFO'> = {
  type: XFRM_MSG_GETSADINFO,
  name: 'XFRM_MSG_GETSADINFO',
  body: u32,
  attrs: xfrmAttrSpace,
  requestAttrs: [],
  kernelAttrs: [],
  summary: 'get SAD information',
};

/** `XFRM_MSG_NEWSADINFO`: reply to GETSADINFO with `XFRMA_SAD_CNT` and `XFRMA_SAD_HINFO`. */
export const xfrmMsgNewsadinfo: XfrmMessageSpecOf<'XFRM_MSG_NEWSADINFO'> = {
  type: XFRM_MSG_NEWSADINFO,
  name: 'XFRM_MSG_NEWSADINFO',
  body: u32,
  attrs: xfrmSadAttrSpace,
  requestAttrs: [],
  kernelAttrs: ['XFRMA_SAD_CNT', 'XFRMA_SAD_HINFO'],
  summary: 'SAD information (reply only)',
};

/** `XFRM_MSG_GETSPDINFO`: ask for policy counts, hash sizes and thresholds (reply: NEWSPDINFO). */
export const xfrmMsgGetspdinfo: XfrmMessageSpecOf<'XFRM_MSG_GETSPDINFO'> = {
  type: XFRM_MSG_GETSPDINFO,
  name: 'XFRM_MSG_GETSPDINFO',
  body: u32,
  attrs: xfrmAttrSpace,
  requestAttrs: [],
  kernelAttrs: [],
  summary: 'get SPD information',
};

/**
 * `XFRM_MSG_NEWSPDINFO`: set the selector-prefix hash thresholds (`XFRMA_SPD_IPV4_HTHRESH`,
 * `XFRMA_SPD_IPV6_HTHRESH`); also the reply to GETSPDINFO.
 */
export const xfrmMsgNewspdinfo: XfrmMessageSpecOf<'XFRM_MSG_NEWSPDINFO'> = {
  type: XFRM_MSG_NEWSPDINFO,
  name: 'XFRM_MSG_NEWSPDINFO',
  body: u32,
  attrs: xfrmSpdAttrSpace,
  requestAttrs: ['XFRMA_SPD_IPV4_HTHRESH', 'XFRMA_SPD_IPV6_HTHRESH'],
  kernelAttrs: ['XFRMA_SPD_INFO', 'XFRMA_SPD_HINFO', 'XFRMA_SPD_IPV4_HTHRESH', 'XFRMA_SPD_IPV6_HTHRESH'],
  summary: 'set SPD hash thresholds; SPD information reply',
};
