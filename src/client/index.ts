/**
 * The high-level client: {@link XfrmClient}, the friendly SA and policy models, typed
 * events and HA snapshot/restore. Subpath `netlink-xfrm/client`.
 * @module client
 */
export {
  NetlinkDecodeError,
  NetlinkEncodeError,
  NetlinkError,
  NetlinkKernelError,
  NetlinkProtocolError,
  NetlinkSocketError,
} from '../netlink/errors.js';
export {
  anySelector, completeState, stateFromMessage, stateToAttrs, stateToUsersaInfo, unlimitedLifetime,
  type XfrmAeadAlgorithm, type XfrmAuthAlgorithm, type XfrmIptfsOptions, type XfrmKeyedAlgorithm,
  type XfrmOutputMark, type XfrmState, type XfrmStateInput,
} from './state.js';
export {
  completePolicy, policyFromMessage, policyToAttrs, policyToInfo, template, type TemplateInput, type XfrmPolicy,
  type XfrmPolicyInput,
} from './policy.js';
export {
  aeFromMessage, checkAeKind, mergeReplayState, type XfrmAeState, type XfrmAeUpdate, XfrmLarvalStateError, XfrmReplayKindError,
  type XfrmReplayStateChange,
} from './ae.js';
export { forEachPolicyView, XfrmPolicyView, XfrmSelectorView, XfrmViewExpiredError } from './views.js';
export { forEachStateView, XfrmStateView } from './state-view.js';
export { XfrmEventStream } from './event-stream.js';
export { XfrmEventPolicyView, XfrmEventView, type XfrmEventKind } from './event-view.js';
export { LARVAL_SA_HINT, xfrmErrorHint, type XfrmHintContext } from './hints.js';
export { toJson, XFRM_JSON_VERSION, type XfrmJsonOptions } from './json.js';
export {
  eventFromMessage, XFRM_EVENT_GROUPS, type XfrmAcquireEvent, type XfrmAeventEvent, type XfrmDefaultPolicyEvent,
  type XfrmDelpolicyEvent, type XfrmDelsaEvent, type XfrmEvent, type XfrmEventBase, type XfrmEventGroup,
  type XfrmExpireEvent, type XfrmFlushpolicyEvent, type XfrmFlushsaEvent, type XfrmMappingEvent,
  type XfrmMigrateEvent, type XfrmMigrateStateEvent, type XfrmOverrunEvent, type XfrmPolexpireEvent,
  type XfrmPolicyEvent, type XfrmReportEvent, type XfrmSaEvent, type XfrmUnknownEvent,
} from './events.js';
export {
  type AllocSpiInput, type BulkOptions, type MigrateInput, XfrmClient, type XfrmClientOptions, type XfrmPolicyId,
  type XfrmPolicyIdBase, type XfrmPolicyIndexId, type XfrmPolicySelectorId, type XfrmPrefix, type XfrmSadInfo,
  type XfrmSaId, type XfrmSpdInfo, type XfrmStateFilter, XfrmUnsupportedError,
} from './client.js';
export {
  larvalReason, restore, type RestoreFailure, restoreInPlace, type RestoreOptions, type RestorePrevious,
  type RestorePreviousLost, type RestorePreviousReinstalled, type RestoreResult, type RestoreSkip,
  type RestoreSuccess, snapshot, snapshotStates, XFRM_SNAPSHOT_VERSION, type XfrmSnapshot, type XfrmSnapshotEntry,
  XfrmSnapshotEntryError, XfrmSnapshotError, type XfrmSnapshotSkipped,
} from './ha.js';
