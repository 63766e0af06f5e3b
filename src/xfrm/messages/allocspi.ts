/**
 * `XFRM_MSG_ALLOCSPI` (header `struct xfrm_userspi_info`): reserve an SPI in a range.
 * @module
 */
import { XFRM_MSG_ALLOCSPI } from '../constants.js';
import { xfrmAttrSpace } from '../attributes.js';
import { xfrmUserspiInfoCodec } from '../structs/userspi-info.js';
import { type XfrmMessageSpecOf } from './spec.js';

/**
 * `XFRM_MSG_ALLOCSPI`: find or create a larval SA and give it an SPI from `[min, max]`
 * (host order). Reply: NEWSA with the larval SA. The larval SA hard-expires after
 * `net.core.xfrm_acq_expires` seconds unless filled with UPDSA.
 */
export const xfrmMsgAllocspi: XfrmMessageSpecOf<'XFRM_MSG_ALLOCSPI'> = {
  type: XFRM_MSG_ALLOCSPI,
  name: 'XFRM_MSG_ALLOCSPI',
  body: xfrmUserspiInfoCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: ['XFRMA_MARK', 'XFRMA_IF_ID', 'XFRMA_SA_PCPU', 'XFRMA_SA_DIR'],
  kernelAttrs: [],
  summary: 'allocate an SPI (creates a larval SA)',
};
