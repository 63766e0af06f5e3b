/**
 * Live HA (`netlink-xfrm/ha`): a standby that mirrors the active node's SAs, policies and
 * replay counters through the kernel's own async events, and takes over after a crash with
 * no replay error at the peer.
 *
 * - Active node: {@link HaPublisher} (model of the node fed by notifications, thresholds set
 *   on every SA, one ordered record stream per standby) served over {@link listenHaLink}.
 * - Standby: {@link HaFollower} ({@link connectHaLink}, records applied to a {@link HaJournal}
 *   and acknowledged once durable). {@link HaJournal.mirror} is the {@link HaMirror} a daemon
 *   can read (SAs with keys and last synced counters, policies).
 * - Takeover: {@link takeover} (or {@link planTakeover} to inspect the plan first) from
 *   {@link HaJournal.read}.
 * - {@link HaLink} is the transport interface; {@link StreamHaLink} frames any byte stream.
 *
 * This layer sits above `client/` (it imports `client/`, `xfrm/` and `netlink/`, never
 * `socket/` directly and never `cli/`). Scope: the kernel's state only; an IKE daemon syncs
 * its own (IKE SAs, message IDs): see the README's "Live HA".
 * @module
 */
export { HaFileError } from './atomic-file.js';
export { HaFollower, type HaFollowerEvent, type HaFollowerOptions, type HaFollowerStatus } from './follower.js';
export { HA_JOURNAL_COMPACT_BYTES, HA_JOURNAL_VERSION, HaJournal, type HaJournalOptions, type HaJournalRestored } from './journal.js';
export {
  HA_LINK_MAX_QUEUED,
  HaLinkError,
  StreamHaLink,
  type HaLink,
  type HaLinkErrorCode,
  type HaLinkLag,
  type HaLinkMessage,
  type HaLinkStats,
  type StreamHaLinkOptions,
} from './link.js';
export {
  HA_DEFAULT_RCVBUF,
  HA_DEFAULT_REPLAY_THRESH,
  HA_DEFAULT_TIMER_THRESH_MS,
  HaPublisher,
  type HaPublisherEvent,
  type HaPublisherOptions,
  type HaPublisherSessionStats,
  type HaPublisherStats,
} from './publisher.js';
export { HaMirror, HaOrderError, type HaApplyStatus, type HaMirrorOptions, type HaMirrorSa, type HaMirrorSummary } from './mirror.js';
export { decodeHaRecord, encodeHaRecord } from './record-codec.js';
export {
  HA_RECORD_MAX_LINE,
  HA_RECORD_VERSION,
  HaProtocolError,
  type HaCounters,
  type HaFullBegin,
  type HaFullEnd,
  type HaFullPolicy,
  type HaFullSa,
  type HaPolicyAdd,
  type HaPolicyDelete,
  type HaPolicyId,
  type HaPolicyIndexId,
  type HaPolicySelectorId,
  type HaPolicyUpdate,
  type HaRecord,
  type HaRecordBase,
  type HaRecordType,
  type HaResync,
  type HaResyncReason,
  type HaSaAdd,
  type HaSaDelete,
  type HaSaId,
  type HaSaRecordBody,
  type HaSaUpdate,
} from './records.js';
export {
  connectHaLink,
  HA_PSK_CIPHERS,
  HA_PSK_IDENTITY,
  HA_PSK_MAX_BYTES,
  HA_PSK_MIN_BYTES,
  listenHaLink,
  readPskFile,
  type HaLinkConnectOptions,
  type HaLinkCredentials,
  type HaLinkListenOptions,
  type HaLinkServer,
} from './tls-link.js';
export {
  HaTakeoverRefusedError,
  planTakeover,
  type HaTakeoverOptions,
  type HaTakeoverPlan,
  type HaTakeoverProblem,
  type HaTakeoverProblemKind,
  type HaTakeoverPolicyStep,
  type HaTakeoverSa,
  type HaTakeoverSaStep,
  type HaTakeoverSource,
  type HaTakeoverStep,
} from './takeover-plan.js';
export {
  HaTakeoverConflictError,
  takeover,
  type HaTakeoverPolicyResult,
  type HaTakeoverReport,
  type HaTakeoverRunOptions,
  type HaTakeoverSaResult,
  type HaTakeoverStatus,
} from './takeover.js';
