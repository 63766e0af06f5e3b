/**
 * Internal (not re-exported from `client/index.ts`): what a run that installs SAs learns about
 * the kernel — its HZ (XFRMA_ETIMER_THRESH is written in jiffies but read back in 100 ms
 * units) and which newer SA fields it keeps. Shared by `restore` (client/ha.ts) and the HA
 * takeover executor (ha/takeover.ts), so HZ is probed the same way, at most once per run.
 * @module
 */
import { NetlinkError } from '../netlink/errors.js';
import { type XfrmState } from './state.js';
import { type XfrmClient, type XfrmSaId } from './client.js';
import { SA_NEWER_FIELDS } from './sa-fields.js';

/** Timer threshold (jiffies) a restore installs on the first SA to learn HZ from GETAE's answer. */
export const HZ_PROBE_JIFFIES = 1_000_000;

/** HZ from a GETAE answer to an SA whose timer threshold is {@link HZ_PROBE_JIFFIES}. @throws {@link NetlinkError} without one. */
export function hzFromReport(ae: { etimerThresh?: number }): number {
  const r = ae.etimerThresh;
  if (!r) throw new NetlinkError('cannot measure HZ: GETAE reported no timer threshold');
  return Math.round((HZ_PROBE_JIFFIES * 10) / r);
}

/** What one restore run learnt about the kernel: its HZ, and which newer SA fields it keeps. */
export class KernelFacts {
  /** Kernel HZ once measured (at most one probe per run). */
  hz: number | undefined;
  private readonly kept = new Set<string>();
  private readonly dropped = new Set<string>();
  /** Record the newer fields a state read from (or accepted by) this kernel carries. */
  learnKept(s: XfrmState): void {
    for (const f of SA_NEWER_FIELDS) if (s[f] !== undefined) this.kept.add(f);
  }
  /** Record fields this kernel was seen to drop. */
  learnDropped(fields: readonly string[]): void {
    for (const f of fields) this.dropped.add(f);
  }
  /** Fields of `s` this kernel is known to drop. */
  knownDropped(s: XfrmState): string[] {
    return SA_NEWER_FIELDS.filter((f) => s[f] !== undefined && this.dropped.has(f) && !this.kept.has(f));
  }
  /** The timer threshold to send for a saved value in 100 ms units: jiffies when HZ is known, else the probe. */
  timerToSend(units: number | undefined): number | undefined {
    if (units === undefined) return undefined;
    return this.hz !== undefined ? Math.round((units * this.hz) / 10) : HZ_PROBE_JIFFIES;
  }
  /**
   * After `id` was written with {@link timerToSend}: if it carried the probe, learn HZ from
   * GETAE and set the real value (the only NEWAE a NEWSA restore sends).
   */
  async settleTimer(client: XfrmClient, id: XfrmSaId, units: number | undefined, sent: number | undefined): Promise<void> {
    if (units === undefined || sent !== HZ_PROBE_JIFFIES || this.hz !== undefined) return;
    try {
      const hz = hzFromReport(await client.getReplayState(id, { thresholds: true }));
      await client.setReplayState(id, { etimerThresh: Math.round((units * hz) / 10) });
      this.hz = hz;
    } catch (e) {
      // The SA itself is in place: say so, or the caller would believe it missing.
      throw new NetlinkError(`the SA was installed, but its timer threshold could not be set: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
}
