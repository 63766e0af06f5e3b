/**
 * Live-HA suite, part 2 (guest, see README.md): the crash with a LIVE mirror. `ha publish` runs
 * in A, `ha follow` in S over the A–S link; A dies without warning (publisher SIGKILLed, VIP
 * removed, no final snapshot); S runs `ha takeover`, takes the VIP.
 *
 * - while S follows, an SA pair added, rekeyed (new SPIs replace the old) and deleted on A
 *   appears, is replaced and disappears in S's journal, policies included;
 * - after the crash: takeover exits 0 with every SA and policy installed; traffic resumes both
 *   ways; P counts no replay, integrity or other XFRM error; frames A had accepted, captured
 *   and replayed to S, are all rejected by S (no packet accepted, no reply sent);
 * - negative controls: margin 0 (forced) → P counts replays; a mirror without thresholds
 *   (no aevent ever fires) and a small forced margin → P counts replays; a wrong PSK → S's
 *   journal gets nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sleep } from './esp-setup.js';
import { deleteHaPairPolicies, deleteHaPairSas, EXTRA_PAIR, haPairStates, installHaPair, rekeyed } from './ha-live-setup.js';
import { readJournal } from './ha-live-procs.js';
import { closeHaContext, crashFailover, openHaContext, resetPairs } from './ha-live-scenario.js';
import { LiveSync, pskFile } from './ha-live-sync.js';
let ctx;
beforeAll(async () => {
    ctx = await openHaContext();
});
afterAll(() => closeHaContext(ctx));
const show = (o) => JSON.stringify({ pings: o.pings, resumedMs: o.resumedMs, replays: o.replays, peerStat: o.peerStat, timeline: o.timeline }, (_, v) => (typeof v === 'bigint' ? String(v) : v), 1);
/**
 * A negative control: a fresh failover with `opts`; the takeover succeeds, but P counts XFRM
 * errors (xfrm_stat and its inbound SAs' drop counters) for what S sends.
 */
async function expectPeerErrors(label, opts, trafficMs) {
    await resetPairs(ctx);
    // (a gap between the publisher's death and A's: A's counters move past anything synced)
    const o = await crashFailover(ctx, new LiveSync(ctx, opts), { trafficMs, gapMs: 300 });
    console.log(`${label}: ${show(o)}`);
    expect(o.takeover.status, o.takeover.stderr).toBe(0);
    const stat = (o.peerStat.XfrmInStateSeqError ?? 0) + (o.peerStat.XfrmInStateProtoError ?? 0);
    expect(stat, JSON.stringify(o.peerStat)).toBeGreaterThan(0);
    const sa = o.peerSaStats.reduce((n, x) => n + x.replay + x.replayWindow + x.integrityFailed, 0);
    expect(sa, JSON.stringify(o.peerSaStats)).toBeGreaterThan(0);
}
describe.sequential('live mirror: crash of the active node, takeover by the standby', () => {
    let sync;
    test('while S follows, an SA pair added, rekeyed (new SPI pair replacing the old) and deleted on A appears, is replaced and disappears in S\'s journal', async () => {
        await resetPairs(ctx);
        sync = new LiveSync(ctx);
        await sync.start();
        const base = await sync.converged(ctx.ca, 60_000);
        expect(base).toEqual({ sas: 4, policies: 4 });
        const spis = async () => (await readJournal(sync.journal)).sas.map((m) => m.sa.spi);
        const extra1 = rekeyed(EXTRA_PAIR, 1);
        await installHaPair(ctx.cp, ctx.ca, ctx.t, EXTRA_PAIR);
        expect(await sync.converged(ctx.ca, 30_000)).toEqual({ sas: 6, policies: 6 });
        expect(await spis()).toEqual(expect.arrayContaining([EXTRA_PAIR.spiIn, EXTRA_PAIR.spiOut]));
        // rekey: the new pair first (same reqid and selectors, new SPIs and keys), then the old one goes
        await installHaPair(ctx.cp, ctx.ca, ctx.t, extra1, false);
        await deleteHaPairSas(ctx.cp, ctx.ca, ctx.t, EXTRA_PAIR);
        expect(await sync.converged(ctx.ca, 30_000)).toEqual({ sas: 6, policies: 6 });
        const afterRekey = await spis();
        expect(afterRekey).toEqual(expect.arrayContaining([extra1.spiIn, extra1.spiOut]));
        expect(afterRekey).not.toContain(EXTRA_PAIR.spiIn);
        expect(afterRekey).not.toContain(EXTRA_PAIR.spiOut);
        const j = await readJournal(sync.journal);
        const key = (spi) => j.sas.find((m) => m.sa.spi === spi)?.sa.aead?.key;
        expect(Buffer.from(key(extra1.spiIn)).equals(Buffer.from(haPairStates(ctx.t, extra1).toVip.aead.key))).toBe(true);
        await deleteHaPairSas(ctx.cp, ctx.ca, ctx.t, extra1);
        await deleteHaPairPolicies(ctx.cp, ctx.ca, ctx.t, EXTRA_PAIR);
        expect(await sync.converged(ctx.ca, 30_000)).toEqual({ sas: 4, policies: 4 });
        expect(await spis()).not.toContain(extra1.spiIn);
    });
    test('crash without warning (publisher SIGKILLed, VIP removed), `ha takeover` on S: every SA and policy installed, traffic resumes both ways, P counts no replay or integrity error, frames A accepted and replayed to S are all rejected', async () => {
        const o = await crashFailover(ctx, sync);
        console.log(`live failover: ${show(o)}`);
        expect(o.takeover.status, `${o.takeover.stderr}\n${o.takeover.stdout}`).toBe(0);
        const report = JSON.parse(o.takeover.stdout);
        expect(report.ok).toBe(true);
        expect(report.sas.map((s) => s.status)).toEqual(['installed', 'installed', 'installed', 'installed']);
        expect(report.policies.map((s) => s.status)).toEqual(['installed', 'installed', 'installed', 'installed']);
        expect(o.resumedMs, 'S carried traffic after the announcement').toBeDefined();
        for (const a of o.after) {
            expect(a.fromPeer.received, `${a.pair} from P`).toBe(20);
            expect(a.fromStandby.received, `${a.pair} from S`).toBe(20);
        }
        expect(o.peerStat, 'xfrm_stat changes in P').toEqual({});
        for (const s of o.peerSaStats)
            expect(s).toEqual({ pair: s.pair, replayWindow: 0, replay: 0, integrityFailed: 0 });
        for (const r of o.replays) {
            expect(r.sent, `${r.pair}: captured frames`).toBeGreaterThan(0);
            expect(r.seqs[1], `${r.pair}: the newest replayed frame is the last one A accepted`).toBe(Number(r.activeTop & 0xffffffffn));
            expect(r.standbyTop, `${r.pair}: S's window starts at or above everything A accepted`).toBeGreaterThanOrEqual(r.activeTop);
            expect(r.accepted, `${r.pair}: replayed frames S accepted`).toBe(0);
            expect(r.repliesSent, `${r.pair}: replies S sent`).toBe(0);
            // within the window a replay, below it replay-window; with ESN far below it the ICV fails (assumed wrap)
            expect(r.replay + r.replayWindow + r.integrityFailed, `${r.pair}: replayed frames dropped`).toBe(r.sent);
        }
    });
    test('negative control: takeover with --outbound-seq-margin 0 --force: S resends sequence numbers A used after the last sync, P counts them', async () => {
        await sync.stop();
        await expectPeerErrors('margin 0', { takeoverArgs: ['--outbound-seq-margin', '0', '--force'] }, 1000);
    });
    // (Not --timer-thresh 0: on 6.1 an SA whose replay timer once found nothing new keeps
    // XFRM_TIME_DEFER set, and with no timer to clear it every packet then sends an aevent.)
    test('negative control: a mirror whose counters never advanced (publisher with --replay-thresh 1000000000 --timer-thresh 3600000: no aevent during the test) and takeover --outbound-seq-margin 10 --force: P counts replays', async () => {
        await expectPeerErrors('no thresholds', { publishArgs: ['--replay-thresh', '1000000000', '--timer-thresh', '3600000'], takeoverArgs: ['--outbound-seq-margin', '10', '--force'] }, 1500);
    });
    test('negative control: a follower with the wrong PSK gets nothing: the publisher refuses it, the journal holds no SA', async () => {
        await resetPairs(ctx);
        const s = new LiveSync(ctx, { followerPsk: pskFile(ctx, 'a different key of the same length;') });
        try {
            await s.start();
            await s.publisher.waitFor((p) => /refused a connection/.test(p.stderr), 30_000, 'a refused connection');
            await sleep(1000);
            const j = await readJournal(s.journal);
            expect(j.sas).toEqual([]);
            expect(j.policies).toEqual([]);
            expect(j.complete).toBe(false);
            expect(s.publisher.stderr).not.toMatch(/standby connected/);
        }
        finally {
            await s.stop();
        }
    });
});
