/**
 * Constants of `<linux/xfrm.h>` (kernel 7.3 uapi), spelled exactly as in the header so that `grep`
 * works across the kernel, iproute2, strongSwan and this library. Plain numbers, not enums: they
 * tree-shake and print as numbers. Values are checked against the C compiler by `test/layout.test.ts`.
 * @module
 */

/** `XFRM_SC_DOI_RESERVED` from `<linux/xfrm.h>`. */
export const XFRM_SC_DOI_RESERVED = 0;
/** `XFRM_SC_DOI_LSM` from `<linux/xfrm.h>`. */
export const XFRM_SC_DOI_LSM = 1;
/** `XFRM_SC_ALG_RESERVED` from `<linux/xfrm.h>`. */
export const XFRM_SC_ALG_RESERVED = 0;
/** `XFRM_SC_ALG_SELINUX` from `<linux/xfrm.h>`. */
export const XFRM_SC_ALG_SELINUX = 1;
/** `XFRM_INF` from `<linux/xfrm.h>`. "No limit" for byte/packet lifetimes. For the *_expires_seconds fields it means IMMEDIATE expiry (0 is unlimited there). @group Constants */
export const XFRM_INF = 0xffffffffffffffffn;
/** `XFRMA_REPLAY_ESN_MAX` from `<linux/xfrm.h>`. Largest ESN replay window in bits (so `bmp_len` ≤ 128 words). */
export const XFRMA_REPLAY_ESN_MAX = 4096;
/** `XFRM_MODE_TRANSPORT` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_MODE_TRANSPORT = 0;
/** `XFRM_MODE_TUNNEL` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_MODE_TUNNEL = 1;
/** `XFRM_MODE_ROUTEOPTIMIZATION` from `<linux/xfrm.h>`. */
export const XFRM_MODE_ROUTEOPTIMIZATION = 2;
/** `XFRM_MODE_IN_TRIGGER` from `<linux/xfrm.h>`. Rejected for SAs; accepted in templates. */
export const XFRM_MODE_IN_TRIGGER = 3;
/** `XFRM_MODE_BEET` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_MODE_BEET = 4;
/** `XFRM_MODE_IPTFS` from `<linux/xfrm.h>`. IP-TFS (kernel 6.14+): ESP only, needs `XFRMA_SA_DIR`. @group Constants */
export const XFRM_MODE_IPTFS = 5;
/** `XFRM_MODE_MAX` from `<linux/xfrm.h>`. One more than the highest mode (6 since 6.14, 5 before): template `mode` must be below it. */
export const XFRM_MODE_MAX = 6;
/** `XFRM_MSG_MAX` from `<linux/xfrm.h>`. */
export const XFRM_MSG_MAX = 41;
/** `XFRM_NR_MSGTYPES` from `<linux/xfrm.h>`. */
export const XFRM_NR_MSGTYPES = 26;
/** `XFRM_AE_MAX` from `<linux/xfrm.h>`. */
export const XFRM_AE_MAX = 64;
/** `XFRMA_OUTPUT_MARK` from `<linux/xfrm.h>`. Old name of `XFRMA_SET_MARK` (same number). */
export const XFRMA_OUTPUT_MARK = 29;
/** `XFRMA_MAX` from `<linux/xfrm.h>`. */
export const XFRMA_MAX = 41;
/** `XFRMA_SAD_MAX` from `<linux/xfrm.h>`. */
export const XFRMA_SAD_MAX = 2;
/** `XFRMA_SPD_MAX` from `<linux/xfrm.h>`. */
export const XFRMA_SPD_MAX = 4;
/** `XFRM_STATE_NOECN` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_STATE_NOECN = 1;
/** `XFRM_STATE_DECAP_DSCP` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_STATE_DECAP_DSCP = 2;
/** `XFRM_STATE_NOPMTUDISC` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_STATE_NOPMTUDISC = 4;
/** `XFRM_STATE_WILDRECV` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_STATE_WILDRECV = 8;
/** `XFRM_STATE_ICMP` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_STATE_ICMP = 16;
/** `XFRM_STATE_AF_UNSPEC` from `<linux/xfrm.h>`. Keep `sel.family` = 0 so the selector matches both families. @group Constants */
export const XFRM_STATE_AF_UNSPEC = 32;
/** `XFRM_STATE_ALIGN4` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_STATE_ALIGN4 = 64;
/** `XFRM_STATE_ESN` from `<linux/xfrm.h>`. 64-bit extended sequence numbers; requires `XFRMA_REPLAY_ESN_VAL`. @group Constants */
export const XFRM_STATE_ESN = 128;
/** `XFRM_SA_XFLAG_DONT_ENCAP_DSCP` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_SA_XFLAG_DONT_ENCAP_DSCP = 1;
/** `XFRM_SA_XFLAG_OSEQ_MAY_WRAP` from `<linux/xfrm.h>`. Non-ESN output sequence may wrap instead of failing with EOVERFLOW. @group Constants */
export const XFRM_SA_XFLAG_OSEQ_MAY_WRAP = 2;
/** `XFRM_POLICY_ALLOW` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_POLICY_ALLOW = 0;
/** `XFRM_POLICY_BLOCK` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_POLICY_BLOCK = 1;
/** `XFRM_POLICY_LOCALOK` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_POLICY_LOCALOK = 1;
/** `XFRM_POLICY_ICMP` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_POLICY_ICMP = 2;
/** `XFRM_POLICY_CPU_ACQUIRE` from `<linux/xfrm.h>`. */
export const XFRM_POLICY_CPU_ACQUIRE = 4;
/** `XFRM_MIGRATE_STATE_KNOWN_FLAGS` from `<linux/xfrm.h>`. */
export const XFRM_MIGRATE_STATE_KNOWN_FLAGS = 3;
/** `XFRM_OFFLOAD_IPV6` from `<linux/xfrm.h>`. */
export const XFRM_OFFLOAD_IPV6 = 1;
/** `XFRM_OFFLOAD_INBOUND` from `<linux/xfrm.h>`. */
export const XFRM_OFFLOAD_INBOUND = 2;
/** `XFRM_OFFLOAD_PACKET` from `<linux/xfrm.h>`. */
export const XFRM_OFFLOAD_PACKET = 4;
/** `XFRM_USERPOLICY_UNSPEC` from `<linux/xfrm.h>`. Default-policy value meaning "leave unchanged" on SETDEFAULT. @group Constants */
export const XFRM_USERPOLICY_UNSPEC = 0;
/** `XFRM_USERPOLICY_BLOCK` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_USERPOLICY_BLOCK = 1;
/** `XFRM_USERPOLICY_ACCEPT` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_USERPOLICY_ACCEPT = 2;
/** `XFRMGRP_ACQUIRE` from `<linux/xfrm.h>`. */
export const XFRMGRP_ACQUIRE = 1;
/** `XFRMGRP_EXPIRE` from `<linux/xfrm.h>`. */
export const XFRMGRP_EXPIRE = 2;
/** `XFRMGRP_SA` from `<linux/xfrm.h>`. */
export const XFRMGRP_SA = 4;
/** `XFRMGRP_POLICY` from `<linux/xfrm.h>`. */
export const XFRMGRP_POLICY = 8;
/** `XFRMGRP_REPORT` from `<linux/xfrm.h>`. */
export const XFRMGRP_REPORT = 32;
/** `XFRMNLGRP_MAX` from `<linux/xfrm.h>`. */
export const XFRMNLGRP_MAX = 8;
/** `XFRM_POLICY_TYPE_MAIN` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_POLICY_TYPE_MAIN = 0;
/** `XFRM_POLICY_TYPE_SUB` from `<linux/xfrm.h>`. Sub-policy; needs `CONFIG_XFRM_SUB_POLICY`. @group Constants */
export const XFRM_POLICY_TYPE_SUB = 1;
/** `XFRM_POLICY_TYPE_MAX` from `<linux/xfrm.h>`. */
export const XFRM_POLICY_TYPE_MAX = 2;
/** `XFRM_POLICY_TYPE_ANY` from `<linux/xfrm.h>`. */
export const XFRM_POLICY_TYPE_ANY = 255;
/** `XFRM_POLICY_IN` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_POLICY_IN = 0;
/** `XFRM_POLICY_OUT` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_POLICY_OUT = 1;
/** `XFRM_POLICY_FWD` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_POLICY_FWD = 2;
/** `XFRM_POLICY_MASK` from `<linux/xfrm.h>`. */
export const XFRM_POLICY_MASK = 3;
/** `XFRM_POLICY_MAX` from `<linux/xfrm.h>`. */
export const XFRM_POLICY_MAX = 3;
/** `XFRM_SA_DIR_IN` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_SA_DIR_IN = 1;
/** `XFRM_SA_DIR_OUT` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_SA_DIR_OUT = 2;
/** `XFRM_SHARE_ANY` from `<linux/xfrm.h>`. */
export const XFRM_SHARE_ANY = 0;
/** `XFRM_SHARE_SESSION` from `<linux/xfrm.h>`. */
export const XFRM_SHARE_SESSION = 1;
/** `XFRM_SHARE_USER` from `<linux/xfrm.h>`. */
export const XFRM_SHARE_USER = 2;
/** `XFRM_SHARE_UNIQUE` from `<linux/xfrm.h>`. */
export const XFRM_SHARE_UNIQUE = 3;
/** `XFRM_MSG_BASE` from `<linux/xfrm.h>`. */
export const XFRM_MSG_BASE = 16;
/** `XFRM_MSG_NEWSA` from `<linux/xfrm.h>`. */
export const XFRM_MSG_NEWSA = 16;
/** `XFRM_MSG_DELSA` from `<linux/xfrm.h>`. */
export const XFRM_MSG_DELSA = 17;
/** `XFRM_MSG_GETSA` from `<linux/xfrm.h>`. */
export const XFRM_MSG_GETSA = 18;
/** `XFRM_MSG_NEWPOLICY` from `<linux/xfrm.h>`. */
export const XFRM_MSG_NEWPOLICY = 19;
/** `XFRM_MSG_DELPOLICY` from `<linux/xfrm.h>`. */
export const XFRM_MSG_DELPOLICY = 20;
/** `XFRM_MSG_GETPOLICY` from `<linux/xfrm.h>`. */
export const XFRM_MSG_GETPOLICY = 21;
/** `XFRM_MSG_ALLOCSPI` from `<linux/xfrm.h>`. */
export const XFRM_MSG_ALLOCSPI = 22;
/** `XFRM_MSG_ACQUIRE` from `<linux/xfrm.h>`. */
export const XFRM_MSG_ACQUIRE = 23;
/** `XFRM_MSG_EXPIRE` from `<linux/xfrm.h>`. */
export const XFRM_MSG_EXPIRE = 24;
/** `XFRM_MSG_UPDPOLICY` from `<linux/xfrm.h>`. */
export const XFRM_MSG_UPDPOLICY = 25;
/** `XFRM_MSG_UPDSA` from `<linux/xfrm.h>`. */
export const XFRM_MSG_UPDSA = 26;
/** `XFRM_MSG_POLEXPIRE` from `<linux/xfrm.h>`. */
export const XFRM_MSG_POLEXPIRE = 27;
/** `XFRM_MSG_FLUSHSA` from `<linux/xfrm.h>`. */
export const XFRM_MSG_FLUSHSA = 28;
/** `XFRM_MSG_FLUSHPOLICY` from `<linux/xfrm.h>`. */
export const XFRM_MSG_FLUSHPOLICY = 29;
/** `XFRM_MSG_NEWAE` from `<linux/xfrm.h>`. */
export const XFRM_MSG_NEWAE = 30;
/** `XFRM_MSG_GETAE` from `<linux/xfrm.h>`. */
export const XFRM_MSG_GETAE = 31;
/** `XFRM_MSG_REPORT` from `<linux/xfrm.h>`. */
export const XFRM_MSG_REPORT = 32;
/** `XFRM_MSG_MIGRATE` from `<linux/xfrm.h>`. */
export const XFRM_MSG_MIGRATE = 33;
/** `XFRM_MSG_NEWSADINFO` from `<linux/xfrm.h>`. */
export const XFRM_MSG_NEWSADINFO = 34;
/** `XFRM_MSG_GETSADINFO` from `<linux/xfrm.h>`. */
export const XFRM_MSG_GETSADINFO = 35;
/** `XFRM_MSG_NEWSPDINFO` from `<linux/xfrm.h>`. */
export const XFRM_MSG_NEWSPDINFO = 36;
/** `XFRM_MSG_GETSPDINFO` from `<linux/xfrm.h>`. */
export const XFRM_MSG_GETSPDINFO = 37;
/** `XFRM_MSG_MAPPING` from `<linux/xfrm.h>`. */
export const XFRM_MSG_MAPPING = 38;
/** `XFRM_MSG_SETDEFAULT` from `<linux/xfrm.h>`. */
export const XFRM_MSG_SETDEFAULT = 39;
/** `XFRM_MSG_GETDEFAULT` from `<linux/xfrm.h>`. */
export const XFRM_MSG_GETDEFAULT = 40;
/** `XFRM_MSG_MIGRATE_STATE` from `<linux/xfrm.h>`. */
export const XFRM_MSG_MIGRATE_STATE = 41;
/** `XFRM_AE_UNSPEC` from `<linux/xfrm.h>`. */
export const XFRM_AE_UNSPEC = 0;
/** `XFRM_AE_RTHR` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_AE_RTHR = 1;
/** `XFRM_AE_RVAL` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_AE_RVAL = 2;
/** `XFRM_AE_LVAL` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_AE_LVAL = 4;
/** `XFRM_AE_ETHR` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_AE_ETHR = 8;
/** `XFRM_AE_CR` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_AE_CR = 16;
/** `XFRM_AE_CE` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_AE_CE = 32;
/** `XFRM_AE_CU` from `<linux/xfrm.h>`. @group Constants */
export const XFRM_AE_CU = 64;
/** `XFRMA_UNSPEC` from `<linux/xfrm.h>`. */
export const XFRMA_UNSPEC = 0;
/** `XFRMA_ALG_AUTH` from `<linux/xfrm.h>`. */
export const XFRMA_ALG_AUTH = 1;
/** `XFRMA_ALG_CRYPT` from `<linux/xfrm.h>`. */
export const XFRMA_ALG_CRYPT = 2;
/** `XFRMA_ALG_COMP` from `<linux/xfrm.h>`. */
export const XFRMA_ALG_COMP = 3;
/** `XFRMA_ENCAP` from `<linux/xfrm.h>`. */
export const XFRMA_ENCAP = 4;
/** `XFRMA_TMPL` from `<linux/xfrm.h>`. */
export const XFRMA_TMPL = 5;
/** `XFRMA_SA` from `<linux/xfrm.h>`. */
export const XFRMA_SA = 6;
/** `XFRMA_POLICY` from `<linux/xfrm.h>`. */
export const XFRMA_POLICY = 7;
/** `XFRMA_SEC_CTX` from `<linux/xfrm.h>`. */
export const XFRMA_SEC_CTX = 8;
/** `XFRMA_LTIME_VAL` from `<linux/xfrm.h>`. */
export const XFRMA_LTIME_VAL = 9;
/** `XFRMA_REPLAY_VAL` from `<linux/xfrm.h>`. */
export const XFRMA_REPLAY_VAL = 10;
/** `XFRMA_REPLAY_THRESH` from `<linux/xfrm.h>`. */
export const XFRMA_REPLAY_THRESH = 11;
/** `XFRMA_ETIMER_THRESH` from `<linux/xfrm.h>`. */
export const XFRMA_ETIMER_THRESH = 12;
/** `XFRMA_SRCADDR` from `<linux/xfrm.h>`. */
export const XFRMA_SRCADDR = 13;
/** `XFRMA_COADDR` from `<linux/xfrm.h>`. */
export const XFRMA_COADDR = 14;
/** `XFRMA_LASTUSED` from `<linux/xfrm.h>`. */
export const XFRMA_LASTUSED = 15;
/** `XFRMA_POLICY_TYPE` from `<linux/xfrm.h>`. */
export const XFRMA_POLICY_TYPE = 16;
/** `XFRMA_MIGRATE` from `<linux/xfrm.h>`. */
export const XFRMA_MIGRATE = 17;
/** `XFRMA_ALG_AEAD` from `<linux/xfrm.h>`. */
export const XFRMA_ALG_AEAD = 18;
/** `XFRMA_KMADDRESS` from `<linux/xfrm.h>`. */
export const XFRMA_KMADDRESS = 19;
/** `XFRMA_ALG_AUTH_TRUNC` from `<linux/xfrm.h>`. */
export const XFRMA_ALG_AUTH_TRUNC = 20;
/** `XFRMA_MARK` from `<linux/xfrm.h>`. */
export const XFRMA_MARK = 21;
/** `XFRMA_TFCPAD` from `<linux/xfrm.h>`. */
export const XFRMA_TFCPAD = 22;
/** `XFRMA_REPLAY_ESN_VAL` from `<linux/xfrm.h>`. */
export const XFRMA_REPLAY_ESN_VAL = 23;
/** `XFRMA_SA_EXTRA_FLAGS` from `<linux/xfrm.h>`. */
export const XFRMA_SA_EXTRA_FLAGS = 24;
/** `XFRMA_PROTO` from `<linux/xfrm.h>`. */
export const XFRMA_PROTO = 25;
/** `XFRMA_ADDRESS_FILTER` from `<linux/xfrm.h>`. */
export const XFRMA_ADDRESS_FILTER = 26;
/** `XFRMA_PAD` from `<linux/xfrm.h>`. */
export const XFRMA_PAD = 27;
/** `XFRMA_OFFLOAD_DEV` from `<linux/xfrm.h>`. */
export const XFRMA_OFFLOAD_DEV = 28;
/** `XFRMA_SET_MARK` from `<linux/xfrm.h>`. */
export const XFRMA_SET_MARK = 29;
/** `XFRMA_SET_MARK_MASK` from `<linux/xfrm.h>`. */
export const XFRMA_SET_MARK_MASK = 30;
/** `XFRMA_IF_ID` from `<linux/xfrm.h>`. */
export const XFRMA_IF_ID = 31;
/** `XFRMA_MTIMER_THRESH` from `<linux/xfrm.h>`. */
export const XFRMA_MTIMER_THRESH = 32;
/** `XFRMA_SA_DIR` from `<linux/xfrm.h>`. */
export const XFRMA_SA_DIR = 33;
/** `XFRMA_NAT_KEEPALIVE_INTERVAL` from `<linux/xfrm.h>`. */
export const XFRMA_NAT_KEEPALIVE_INTERVAL = 34;
/** `XFRMA_SA_PCPU` from `<linux/xfrm.h>`. */
export const XFRMA_SA_PCPU = 35;
/** `XFRMA_IPTFS_DROP_TIME` from `<linux/xfrm.h>`. */
export const XFRMA_IPTFS_DROP_TIME = 36;
/** `XFRMA_IPTFS_REORDER_WINDOW` from `<linux/xfrm.h>`. */
export const XFRMA_IPTFS_REORDER_WINDOW = 37;
/** `XFRMA_IPTFS_DONT_FRAG` from `<linux/xfrm.h>`. */
export const XFRMA_IPTFS_DONT_FRAG = 38;
/** `XFRMA_IPTFS_INIT_DELAY` from `<linux/xfrm.h>`. */
export const XFRMA_IPTFS_INIT_DELAY = 39;
/** `XFRMA_IPTFS_MAX_QSIZE` from `<linux/xfrm.h>`. */
export const XFRMA_IPTFS_MAX_QSIZE = 40;
/** `XFRMA_IPTFS_PKT_SIZE` from `<linux/xfrm.h>`. */
export const XFRMA_IPTFS_PKT_SIZE = 41;
/** `XFRMA_SAD_UNSPEC` from `<linux/xfrm.h>`. */
export const XFRMA_SAD_UNSPEC = 0;
/** `XFRMA_SAD_CNT` from `<linux/xfrm.h>`. */
export const XFRMA_SAD_CNT = 1;
/** `XFRMA_SAD_HINFO` from `<linux/xfrm.h>`. */
export const XFRMA_SAD_HINFO = 2;
/** `XFRMA_SPD_UNSPEC` from `<linux/xfrm.h>`. */
export const XFRMA_SPD_UNSPEC = 0;
/** `XFRMA_SPD_INFO` from `<linux/xfrm.h>`. */
export const XFRMA_SPD_INFO = 1;
/** `XFRMA_SPD_HINFO` from `<linux/xfrm.h>`. */
export const XFRMA_SPD_HINFO = 2;
/** `XFRMA_SPD_IPV4_HTHRESH` from `<linux/xfrm.h>`. */
export const XFRMA_SPD_IPV4_HTHRESH = 3;
/** `XFRMA_SPD_IPV6_HTHRESH` from `<linux/xfrm.h>`. */
export const XFRMA_SPD_IPV6_HTHRESH = 4;
/** `XFRM_MIGRATE_STATE_CLEAR_OFFLOAD` from `<linux/xfrm.h>`. */
export const XFRM_MIGRATE_STATE_CLEAR_OFFLOAD = 1;
/** `XFRM_MIGRATE_STATE_UPDATE_H2H_SEL` from `<linux/xfrm.h>`. */
export const XFRM_MIGRATE_STATE_UPDATE_H2H_SEL = 2;
/** `XFRMNLGRP_NONE` from `<linux/xfrm.h>`. */
export const XFRMNLGRP_NONE = 0;
/** `XFRMNLGRP_ACQUIRE` from `<linux/xfrm.h>`. */
export const XFRMNLGRP_ACQUIRE = 1;
/** `XFRMNLGRP_EXPIRE` from `<linux/xfrm.h>`. */
export const XFRMNLGRP_EXPIRE = 2;
/** `XFRMNLGRP_SA` from `<linux/xfrm.h>`. */
export const XFRMNLGRP_SA = 3;
/** `XFRMNLGRP_POLICY` from `<linux/xfrm.h>`. */
export const XFRMNLGRP_POLICY = 4;
/** `XFRMNLGRP_AEVENTS` from `<linux/xfrm.h>`. */
export const XFRMNLGRP_AEVENTS = 5;
/** `XFRMNLGRP_REPORT` from `<linux/xfrm.h>`. */
export const XFRMNLGRP_REPORT = 6;
/** `XFRMNLGRP_MIGRATE` from `<linux/xfrm.h>`. */
export const XFRMNLGRP_MIGRATE = 7;
/** `XFRMNLGRP_MAPPING` from `<linux/xfrm.h>`. */
export const XFRMNLGRP_MAPPING = 8;

/** `IPPROTO_ESP`: Encapsulating Security Payload. @group Constants */
export const IPPROTO_ESP = 50;
/** `IPPROTO_AH`: Authentication Header. @group Constants */
export const IPPROTO_AH = 51;
/** `IPPROTO_COMP`: IP payload compression (the SPI is a 16-bit CPI). @group Constants */
export const IPPROTO_COMP = 108;
/** `IPPROTO_ROUTING`: IPv6 routing header (MIPv6 SAs). */
export const IPPROTO_ROUTING = 43;
/** `IPPROTO_DSTOPTS`: IPv6 destination options (MIPv6 SAs). */
export const IPPROTO_DSTOPTS = 60;
/** `IPPROTO_IPIP`: IPv4-in-IPv4. */
export const IPPROTO_IPIP = 4;
/** `IPPROTO_IPV6`: IPv6-in-IP. */
export const IPPROTO_IPV6 = 41;
/** `IPPROTO_UDP`: UDP (selector proto). */
export const IPPROTO_UDP = 17;
/** `IPPROTO_TCP`: TCP (selector proto). */
export const IPPROTO_TCP = 6;
/** `IPPROTO_ICMP`: ICMP (selector proto; ports carry type/code). */
export const IPPROTO_ICMP = 1;
/** `IPPROTO_ICMPV6`: ICMPv6 (selector proto; ports carry type/code). */
export const IPPROTO_ICMPV6 = 58;
/** `IPPROTO_MH`: Mobility header (selector proto). */
export const IPPROTO_MH = 135;
/** `IPPROTO_DCCP`: DCCP (selector proto). */
export const IPPROTO_DCCP = 33;
/** `IPPROTO_GRE`: GRE (selector proto). */
export const IPPROTO_GRE = 47;
/** `IPPROTO_SCTP`: SCTP (selector proto). */
export const IPPROTO_SCTP = 132;
/** `IPPROTO_AGGFRAG`: IP-TFS aggregation/fragmentation payload. */
export const IPPROTO_AGGFRAG = 144;
/** `IPSEC_PROTO_ANY`: Wildcard AH/ESP/COMP for `xfrm_usersa_id.proto` and FLUSHSA. @group Constants */
export const IPSEC_PROTO_ANY = 255;
/** `AF_UNSPEC`: Unspecified address family. */
export const AF_UNSPEC = 0;
/** `AF_INET`: IPv4 address family. @group Constants */
export const AF_INET = 2;
/** `AF_INET6`: IPv6 address family. @group Constants */
export const AF_INET6 = 10;
/** `UDP_ENCAP_ESPINUDP_NON_IKE`: Legacy non-IKE ESP-in-UDP; rejected by current kernels. */
export const UDP_ENCAP_ESPINUDP_NON_IKE = 1;
/** `UDP_ENCAP_ESPINUDP`: RFC 3948 ESP-in-UDP: `encap_type` for NAT-T. @group Constants */
export const UDP_ENCAP_ESPINUDP = 2;
/** `TCP_ENCAP_ESPINTCP`: RFC 8229 ESP-in-TCP (needs `CONFIG_INET_ESPINTCP`). @group Constants */
export const TCP_ENCAP_ESPINTCP = 7;

/** `XFRM_MAX_DEPTH` (kernel-internal): most templates per policy and most SAs per MIGRATE. */
export const XFRM_MAX_DEPTH = 6;
