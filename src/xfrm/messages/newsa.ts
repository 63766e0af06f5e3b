/**
 * `XFRM_MSG_NEWSA` and `XFRM_MSG_UPDSA`: add or update an SA (header `struct xfrm_usersa_info`).
 * NEWSA is also the type of GETSA/ALLOCSPI replies and SA dump entries.
 * @module
 */
import { XFRM_MSG_NEWSA, XFRM_MSG_UPDSA, XFRMNLGRP_SA } from '../constants.js';
import { xfrmAttrSpace, type XfrmAttrName } from '../attributes.js';
import { xfrmUsersaInfoCodec } from '../structs/usersa-info.js';
import { type XfrmMessageSpecOf } from './spec.js';

/** @internal Attributes the kernel reads from NEWSA/UPDSA. */
export const SA_REQUEST_ATTRS: readonly XfrmAttrName[] = ['XFRMA_ALG_AUTH', 'XFRMA_ALG_AUTH_TRUNC', 'XFRMA_ALG_CRYPT', 'XFRMA_ALG_AEAD', 'XFRMA_ALG_COMP', 'XFRMA_ENCAP', 'XFRMA_SEC_CTX', 'XFRMA_LTIME_VAL', 'XFRMA_REPLAY_VAL', 'XFRMA_REPLAY_ESN_VAL', 'XFRMA_REPLAY_THRESH', 'XFRMA_ETIMER_THRESH', 'XFRMA_COADDR', 'XFRMA_MARK', 'XFRMA_TFCPAD', 'XFRMA_SA_EXTRA_FLAGS', 'XFRMA_OFFLOAD_DEV', 'XFRMA_SET_MARK', 'XFRMA_SET_MARK_MASK', 'XFRMA_IF_ID', 'XFRMA_MTIMER_THRESH', 'XFRMA_SA_DIR', 'XFRMA_NAT_KEEPALIVE_INTERVAL', 'XFRMA_SA_PCPU', 'XFRMA_IPTFS_DROP_TIME', 'XFRMA_IPTFS_REORDER_WINDOW', 'XFRMA_IPTFS_DONT_FRAG', 'XFRMA_IPTFS_INIT_DELAY', 'XFRMA_IPTFS_MAX_QSIZE', 'XFRMA_IPTFS_PKT_SIZE'];
/** @internal Attributes the kernel writes after an SA header (`copy_to_user_state_extra`). */
export const SA_KERNEL_ATTRS: readonly XfrmAttrName[] = ['XFRMA_SA_EXTRA_FLAGS', 'XFRMA_COADDR', 'XFRMA_LASTUSED', 'XFRMA_ALG_AEAD', 'XFRMA_ALG_AUTH', 'XFRMA_ALG_AUTH_TRUNC', 'XFRMA_ALG_CRYPT', 'XFRMA_ALG_COMP', 'XFRMA_ENCAP', 'XFRMA_TFCPAD', 'XFRMA_MARK', 'XFRMA_SET_MARK', 'XFRMA_SET_MARK_MASK', 'XFRMA_REPLAY_VAL', 'XFRMA_REPLAY_ESN_VAL', 'XFRMA_OFFLOAD_DEV', 'XFRMA_IF_ID', 'XFRMA_SEC_CTX', 'XFRMA_IPTFS_DROP_TIME', 'XFRMA_IPTFS_REORDER_WINDOW', 'XFRMA_IPTFS_DONT_FRAG', 'XFRMA_IPTFS_INIT_DELAY', 'XFRMA_IPTFS_MAX_QSIZE', 'XFRMA_IPTFS_PKT_SIZE', 'XFRMA_MTIMER_THRESH', 'XFRMA_SA_PCPU', 'XFRMA_SA_DIR', 'XFRMA_NAT_KEEPALIVE_INTERVAL', 'XFRMA_PAD'];

/**
 * `XFRM_MSG_NEWSA`: create an SA. Fails with EEXIST if (daddr, spi, proto, mark) exists,
 * including an SA reserved by ALLOCSPI (use UPDSA for those). Success: an ACK only.
 */
export const xfrmMsgNewsa: XfrmMessageSpecOf<'XFRM_MSG_NEWSA'> = {
  type: XFRM_MSG_NEWSA,
  name: 'XFRM_MSG_NEWSA',
  body: xfrmUsersaInfoCodec,
  attrs: xfrmAttrSpace,
  requestAttrs: SA_REQUEST_ATTRS,
  kernelAttrs: SA_KERNEL_ATTRS,
  group: XFRMNLGRP_SA,
  summary: 'add an SA; also GETSA/ALLOCSPI replies and SA dump entries',
};

/**
 * `XFRM_MSG_UPDSA`: update an SA. Over a larval (ALLOCSPI/ACQUIRE) SA it installs the full
 * SA, replay state included; over a VALID SA it copies only encap, coaddr, selector,
 * lifetimes, output mark and if_id, and silently ignores keys, algorithms and replay state.
 */
export const xfrmMsgUpdsa: XfrmMessageSpecOf<'XFRM_MSG_UPDSA'> = {
  ...xfrmMsgNewsa,
  type: XFRM_MSG_UPDSA,
  name: 'XFRM_MSG_UPDSA',
  summary: 'update an SA (fills an SA reserved by ALLOCSPI)',
};
