/**
 * `XFRM_MSG_MIGRATE` (header `struct xfrm_userpolicy_id`) and `XFRM_MSG_MIGRATE_STATE`
 * (header `struct xfrm_user_migrate_state`, kernel 7.2+).
 * @module
 */
import { XFRM_MSG_MIGRATE, XFRM_MSG_MIGRATE_STATE, XFRMNLGRP_MIGRATE } from '../constants.js';
import { xfrmAttrSpace } from '../attributes.js';
import { xfrmUserMigrateStateCodec } from '../structs/user-migrate-state.js';
import { xfrmUserpolicyIdCodec } from '../structs/userpolicy-id.js';
import { type XfrmMessageSpecOf } from './spec.js';

/**
 * `XFRM_MSG_MIGRATE`: move the SAs and templates of a policy to new addresses (MOBIKE).
 * Needs `XFRMA_MIGRATE` (1–6 entries); ENOPROTOOPT without `CONFIG_XFRM_MIGRATE`.
 */
export const xfrmMsgMigrate: XfrmMessageSpecOf<'XFRM_MSG_MIGRATE'> = {
  type: XFRM_MSG_MIGRATE,
  name: 'XFRM_MSG_MIGRATE',
  body: xfrmUserpolicyIdCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: ['XFRMA_MIGRATE', 'XFRMA_KMADDRESS', 'XFRMA_ENCAP', 'XFRMA_IF_ID', 'XFRMA_OFFLOAD_DEV', 'XFRMA_POLICY_TYPE'],
  kernelAttrs: ['XFRMA_KMADDRESS', 'XFRMA_ENCAP', 'XFRMA_POLICY_TYPE', 'XFRMA_MIGRATE'],
  group: XFRMNLGRP_MIGRATE,
  summary: 'migrate a policy and its SAs',
};

/**
 * `XFRM_MSG_MIGRATE_STATE`: migrate one SA by SPI, carrying its replay state over
 * atomically (kernel 7.2+; EINVAL on older kernels, where the type is out of range).
 */
export const xfrmMsgMigrateState: XfrmMessageSpecOf<'XFRM_MSG_MIGRATE_STATE'> = {
  type: XFRM_MSG_MIGRATE_STATE,
  name: 'XFRM_MSG_MIGRATE_STATE',
  body: xfrmUserMigrateStateCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: ['XFRMA_MARK', 'XFRMA_ENCAP', 'XFRMA_OFFLOAD_DEV', 'XFRMA_SET_MARK', 'XFRMA_SET_MARK_MASK', 'XFRMA_MTIMER_THRESH', 'XFRMA_NAT_KEEPALIVE_INTERVAL'],
  kernelAttrs: ['XFRMA_ENCAP', 'XFRMA_OFFLOAD_DEV', 'XFRMA_MARK', 'XFRMA_SET_MARK', 'XFRMA_SET_MARK_MASK', 'XFRMA_MTIMER_THRESH', 'XFRMA_NAT_KEEPALIVE_INTERVAL', 'XFRMA_SA_DIR'],
  group: XFRMNLGRP_MIGRATE,
  summary: 'migrate one SA (kernel 7.2+)',
};
