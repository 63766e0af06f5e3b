/**
 * netlink-xfrm: the Linux netlink protocol and its XFRM family (IPsec SAs, policies, replay
 * state, events) in TypeScript.
 *
 * Start with {@link XfrmClient} (group "Client"): `XfrmClient.open()`, then `addState`,
 * `addPolicy`, `getReplayState`, `events()`. The groups below follow a user's path: the client,
 * the models it reads and writes, events, errors, snapshot/restore, live HA, then the
 * constants and kernel structs those models hold.
 *
 * ## Overview
 * - `netlink-xfrm/netlink`: the netlink core (framing, attributes, acks, errors); knows nothing of XFRM.
 * - `netlink-xfrm/xfrm`: every `<linux/xfrm.h>` struct, attribute and message as pure codecs.
 * - `netlink-xfrm/socket`: the only I/O: `NetlinkSocket` (requests, dumps, batches) and
 *   `subscribe` (multicast events) over a tiny native `AF_NETLINK` shim.
 * - `netlink-xfrm/client`: {@link XfrmClient}, friendly SA/policy models, typed events, HA
 *   snapshot/restore.
 * - `netlink-xfrm/ha`: live HA: a publisher on the active node, a follower and journal on the
 *   standby, the takeover after a crash.
 * - `netlink-xfrm/testing`: a fake kernel below the framing code, for tests without root.
 *
 * The root export is what a user of the client needs: {@link XfrmClient} with its options,
 * models, inputs, ids and results, the typed events, the errors a caller catches, the
 * constants a caller passes, snapshot/restore, and the live-HA entry points. Codecs, sockets
 * and the other building blocks are in their subpaths.
 *
 * ## Privileges
 * Every XFRM request, reads included, needs `CAP_NET_ADMIN` in the network namespace of the
 * socket; joining XFRM multicast groups too. Without it the kernel answers `EPERM`.
 *
 * ## Network namespaces
 * `XfrmClient.open({ netns: 'blue' })` opens the socket inside `/run/netns/blue` (or any
 * namespace path) and returns the process to its own namespace; the socket stays bound to
 * the namespace it was created in.
 *
 * ## Byte order and ABI
 * Codecs take an `le` argument (default: the host's order); `__be` fields are always
 * big-endian. Struct layouts are those of 64-bit kernels (x86_64, arm64): six structs differ
 * on i386, where the socket layer refuses to run.
 * @packageDocumentation
 */
// The errors a caller catches, and the redacted bytes keys arrive in.
export {
  errnoName,
  NetlinkDecodeError,
  NetlinkDumpInterruptedError,
  NetlinkEncodeError,
  NetlinkError,
  NetlinkKernelError,
  NetlinkProtocolError,
  NetlinkSocketError,
  REDACTED,
  SecretBytes,
  type NetlinkProtocolReason,
} from './netlink/index.js';
// The constants a caller passes (families, protocols, modes, directions, flags).
export {
  AF_INET,
  AF_INET6,
  IPPROTO_AH,
  IPPROTO_COMP,
  IPPROTO_ESP,
  IPSEC_PROTO_ANY,
  TCP_ENCAP_ESPINTCP,
  UDP_ENCAP_ESPINUDP,
  XFRM_AE_CR,
  XFRM_AE_CE,
  XFRM_AE_CU,
  XFRM_AE_ETHR,
  XFRM_AE_LVAL,
  XFRM_AE_RTHR,
  XFRM_AE_RVAL,
  XFRM_INF,
  XFRM_MODE_BEET,
  XFRM_MODE_IPTFS,
  XFRM_MODE_TRANSPORT,
  XFRM_MODE_TUNNEL,
  XFRM_POLICY_ALLOW,
  XFRM_POLICY_BLOCK,
  XFRM_POLICY_FWD,
  XFRM_POLICY_ICMP,
  XFRM_POLICY_IN,
  XFRM_POLICY_LOCALOK,
  XFRM_POLICY_OUT,
  XFRM_POLICY_TYPE_MAIN,
  XFRM_POLICY_TYPE_SUB,
  XFRM_SA_DIR_IN,
  XFRM_SA_DIR_OUT,
  XFRM_SA_XFLAG_DONT_ENCAP_DSCP,
  XFRM_SA_XFLAG_OSEQ_MAY_WRAP,
  XFRM_STATE_AF_UNSPEC,
  XFRM_STATE_ALIGN4,
  XFRM_STATE_DECAP_DSCP,
  XFRM_STATE_ESN,
  XFRM_STATE_ICMP,
  XFRM_STATE_NOECN,
  XFRM_STATE_NOPMTUDISC,
  XFRM_STATE_WILDRECV,
  XFRM_USERPOLICY_ACCEPT,
  XFRM_USERPOLICY_BLOCK,
  XFRM_USERPOLICY_UNSPEC,
  XfrmKey,
} from './xfrm/index.js';
// The kernel structs the client's models, inputs and events hold.
export type {
  XfrmAeventId,
  XfrmAttribute,
  XfrmEncapTmpl,
  XfrmId,
  XfrmLifetimeCfg,
  XfrmLifetimeCur,
  XfrmMark,
  XfrmMessage,
  XfrmReplayState,
  XfrmReplayStateEsn,
  XfrmSelector,
  XfrmStats,
  XfrmuSpdhinfo,
  XfrmuSpdhthresh,
  XfrmuSpdinfo,
  XfrmUserAcquire,
  XfrmUserKmaddress,
  XfrmUserMapping,
  XfrmUserMigrate,
  XfrmUserMigrateState,
  XfrmUserOffload,
  XfrmUserpolicyDefault,
  XfrmUserpolicyId,
  XfrmUserReport,
  XfrmUsersaId,
  XfrmUserSecCtx,
  XfrmUserTmpl,
} from './xfrm/index.js';
export { nativeShimAvailable, NetlinkShimUnavailableError, type CallOptions } from './socket/index.js';
// The client: models, inputs, ids, results, events, snapshot/restore.
export {
  anySelector,
  type AllocSpiInput,
  type MigrateInput,
  template,
  type TemplateInput,
  unlimitedLifetime,
  XfrmClient,
  type XfrmAeadAlgorithm,
  type XfrmAeState,
  type XfrmAeUpdate,
  XfrmReplayKindError,
  type XfrmReplayStateChange,
  type BulkOptions,
  type XfrmAuthAlgorithm,
  type XfrmClientOptions,
  type XfrmIptfsOptions,
  type XfrmKeyedAlgorithm,
  type XfrmOutputMark,
  type XfrmPolicy,
  type XfrmPolicyId,
  type XfrmPolicyIdBase,
  type XfrmPolicyIndexId,
  type XfrmPolicyInput,
  type XfrmPolicySelectorId,
  type XfrmPrefix,
  type XfrmSadInfo,
  type XfrmSaId,
  type XfrmSpdInfo,
  type XfrmState,
  type XfrmStateFilter,
  type XfrmStateInput,
  XfrmUnsupportedError,
  XfrmEventStream,
  type XfrmAcquireEvent,
  type XfrmAeventEvent,
  type XfrmDefaultPolicyEvent,
  type XfrmDelpolicyEvent,
  type XfrmDelsaEvent,
  type XfrmEvent,
  type XfrmEventBase,
  type XfrmEventGroup,
  type XfrmExpireEvent,
  type XfrmFlushpolicyEvent,
  type XfrmFlushsaEvent,
  type XfrmMappingEvent,
  type XfrmMigrateEvent,
  type XfrmMigrateStateEvent,
  type XfrmOverrunEvent,
  type XfrmPolexpireEvent,
  type XfrmPolicyEvent,
  type XfrmReportEvent,
  type XfrmSaEvent,
  type XfrmUnknownEvent,
  restore,
  restoreInPlace,
  snapshot,
  type RestoreFailure,
  type RestoreOptions,
  type RestorePrevious,
  type RestorePreviousLost,
  type RestorePreviousReinstalled,
  type RestoreResult,
  type RestoreSkip,
  type RestoreSuccess,
  XFRM_SNAPSHOT_VERSION,
  XfrmSnapshotEntryError,
  XfrmSnapshotError,
  type XfrmSnapshot,
  type XfrmSnapshotEntry,
  type XfrmSnapshotSkipped,
} from './client/index.js';
// Live HA: publisher, follower and journal, takeover, the link.
export {
  connectHaLink,
  HA_DEFAULT_REPLAY_THRESH,
  HA_DEFAULT_TIMER_THRESH_MS,
  HA_RECORD_MAX_LINE,
  HaFileError,
  HaFollower,
  HaJournal,
  HaLinkError,
  HaMirror,
  HaOrderError,
  HaProtocolError,
  HaPublisher,
  HaTakeoverConflictError,
  HaTakeoverRefusedError,
  listenHaLink,
  planTakeover,
  readPskFile,
  StreamHaLink,
  takeover,
  type HaFollowerEvent,
  type HaFollowerOptions,
  type HaFollowerStatus,
  type HaJournalOptions,
  type HaJournalRestored,
  type HaLink,
  type HaLinkConnectOptions,
  type HaLinkCredentials,
  type HaLinkErrorCode,
  type HaLinkLag,
  type HaLinkListenOptions,
  type HaLinkMessage,
  type HaLinkServer,
  type HaLinkStats,
  type HaMirrorOptions,
  type HaMirrorSa,
  type HaMirrorSummary,
  type HaPublisherEvent,
  type HaPublisherOptions,
  type HaPublisherSessionStats,
  type HaPublisherStats,
  type HaResyncReason,
  type HaSaId,
  type HaTakeoverOptions,
  type HaTakeoverPlan,
  type HaTakeoverPolicyResult,
  type HaTakeoverProblem,
  type HaTakeoverProblemKind,
  type HaTakeoverReport,
  type HaTakeoverRunOptions,
  type HaTakeoverSa,
  type HaTakeoverSaResult,
  type HaTakeoverSource,
  type HaTakeoverStatus,
  type HaTakeoverStep,
  type StreamHaLinkOptions,
} from './ha/index.js';
