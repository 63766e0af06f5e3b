/**
 * Live HA (in progress): the foundation of a standby that mirrors an active node's SAs,
 * policies and replay counters and takes over after a crash (issue 11).
 *
 * This layer sits above `client/` (it imports `client/`, `xfrm/` and `netlink/`, never
 * `socket/` directly and never `cli/`). It has the record stream and its wire form
 * (`records.ts`), the standby's in-memory mirror (`mirror.ts`), the mirror on disk
 * (`journal.ts`, `atomic-file.ts`), the pure takeover plan (`takeover-plan.ts`), its
 * executor (`takeover.ts`) and the link between the nodes (`link.ts`: the transport interface
 * and line framing; `tls-link.ts`: the built-in TLS-PSK transport).
 *
 * Not yet exported from the package (`package.json` `exports`, the root index, the API
 * reference): the publisher, the follower loop and the CLI commands are
 * still to come, and the API may change until they exist.
 * @module
 */
export { fsyncDir, HaFileError, writeFileAtomic } from './atomic-file.js';
export {
  crc32,
  frameLine,
  HA_JOURNAL_COMPACT_BYTES,
  HA_JOURNAL_VERSION,
  HaJournal,
  readFrames,
  type HaFrames,
  type HaJournalOptions,
  type HaJournalRestored,
} from './journal.js';
export {
  decodeHaLinkLine,
  encodeHaLinkLine,
  HA_LINK_MAX_QUEUED,
  haLinkLag,
  HaLinkError,
  StreamHaLink,
  type HaLink,
  type HaLinkErrorCode,
  type HaLinkLag,
  type HaLinkMessage,
  type HaLinkStats,
  type StreamHaLinkOptions,
} from './link.js';
export { haSaKey, HaMirror, HaOrderError, type HaApplyStatus, type HaMirrorOptions, type HaMirrorSa, type HaMirrorSummary } from './mirror.js';
export {
  decodeHaRecord,
  encodeHaRecord,
  HA_RECORD_MAX_LINE,
  HA_RECORD_VERSION,
  HaProtocolError,
  haSaIdOf,
  isHaRecordType,
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
