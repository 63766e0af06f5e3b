/**
 * Internal (not re-exported from `client/index.ts`): what a run that installs SAs learns about
 * the kernel — its HZ (XFRMA_ETIMER_THRESH is written in jiffies but read back in 100 ms
 * units) and which newer SA fields it keeps — and {@link installInOrder}, which uses it to send
 * as much as it can in batches. Shared by `restore`/`restoreInPlace` (client/ha.ts) and the HA
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
  /**
   * Whether `s` carries a newer field this kernel has not been seen to keep yet: such an SA
   * must be added alone and read back (`addState` does), since an older kernel ACKs a field
   * it does not know and drops it.
   */
  unconfirmed(s: XfrmState): boolean {
    for (const f of SA_NEWER_FIELDS) if (s[f] !== undefined && !this.kept.has(f)) return true;
    return false;
  }
  /** Whether a saved timer threshold (`units`, 100 ms) has to be sent as the HZ probe: HZ is not known yet. */
  needsProbe(units: number | undefined): boolean {
    return units !== undefined && this.hz === undefined;
  }
  /**
   * Read back the SA `s` just added as `id` and learn which of its newer fields this kernel
   * kept; returns the fields it dropped (an older kernel ACKs an attribute it does not know).
   */
  async readBack(client: XfrmClient, id: XfrmSaId, s: XfrmState): Promise<string[]> {
    const back = await client.getState(id);
    const dropped = SA_NEWER_FIELDS.filter((f) => s[f] !== undefined && back[f] === undefined);
    this.learnKept(back);
    this.learnDropped(dropped);
    return dropped;
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

/**
 * Install the items `order` (indexes into the caller's list) in that order, in as few batches
 * as the kernel facts allow: consecutive items go together to `many` (one batch call); an item
 * for which `alone(i)` holds when its turn comes goes by itself to `one`, after the batch of
 * the items before it was answered — so the kernel sees the items in their order whatever
 * the grouping. `alone(i)` is asked when the walk reaches `i`, after every single install
 * before it: what one taught (HZ measured, a newer field seen kept) lets the items after it
 * join the next batch. (Facts only grow, so an item once found fit for a batch stays fit.)
 *
 * What must go alone: an SA carrying the HZ probe ({@link KernelFacts.needsProbe}) — in one
 * batch every SA would carry the probe value, and only one GETAE/NEWAE would correct one of
 * them — and for `restore` an SA with a newer field not yet seen kept
 * ({@link KernelFacts.unconfirmed}), which must be read back after its add.
 */
export async function installInOrder(
  order: readonly number[],
  alone: (i: number) => boolean,
  one: (i: number) => Promise<void>,
  many: (indexes: number[]) => Promise<void>,
): Promise<void> {
  let run: number[] = [];
  for (const i of order) {
    if (!alone(i)) {
      run.push(i);
      continue;
    }
    if (run.length > 0) {
      await many(run);
      run = [];
    }
    await one(i);
  }
  if (run.length > 0) await many(run);
}
