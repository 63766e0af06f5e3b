/**
 * `XFRM_MSG_REPORT` (header `struct xfrm_user_report`), kernel to user only.
 * @module
 */
import { XFRM_MSG_REPORT, XFRMNLGRP_REPORT } from '../constants.js';
import { xfrmAttrSpace } from '../attributes.js';
import { xfrmUserReportCodec } from '../structs/user-report.js';
import { type XfrmMessageSpecOf } from './spec.js';

/** `XFRM_MSG_REPORT`: the kernel reports a MIPv6 event (e.g. a packet with an unknown care-of address). */
export const xfrmMsgReport: XfrmMessageSpecOf<'XFRM_MSG_REPORT'> = {
  type: XFRM_MSG_REPORT,
  name: 'XFRM_MSG_REPORT',
  body: xfrmUserReportCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: [],
  kernelAttrs: ['XFRMA_COADDR'],
  group: XFRMNLGRP_REPORT,
  summary: 'MIPv6 report (kernel to user only)',
};
