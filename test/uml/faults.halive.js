/**
 * Live-HA suite, part 3 (guest, see README.md): faults of the sync while S follows A. Each ends
 * with S's journal holding exactly A's SAs (identity and key) and policies.
 *
 * - the standby killed (SIGKILL) and restarted mid-stream: it resumes from its journal;
 * - the A–S link cut (`ip link set down`) and restored: nothing arrives while it is down, all
 *   of it afterwards;
 * - an overrun of the publisher's subscription (`NLX_HA_RCVBUF=4096`, a burst of SA adds): the
 *   publisher says `resync (overrun)`, the follower sees the resync in the stream;
 * - the publisher killed during the full-state send of 600 SAs, then restarted.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sleep } from './esp-setup.js';
import { allOk, bulkSas, haPairIds, HA_PAIRS, SYNC } from './ha-live-setup.js';
import { readJournal } from './ha-live-procs.js';
import { closeHaContext, openHaContext, resetPairs } from './ha-live-scenario.js';
import { activeView, LiveSync, saKey } from './ha-live-sync.js';
import { ipBatch } from '../helpers/netns.js';
import { existsSync, statSync } from 'node:fs';
let ctx;
beforeAll(async () => {
    ctx = await openHaContext();
    await resetPairs(ctx);
});
afterAll(() => closeHaContext(ctx));
/** Whether the journal holds exactly A's SAs right now. */
async function mirrorsActive(sync) {
    const j = await readJournal(sync.journal);
    const want = await activeView(ctx.ca);
    return j.complete && JSON.stringify(j.sas.map((m) => saKey(m.sa)).sort()) === JSON.stringify(want.sas);
}
describe.sequential('live mirror under faults', () => {
    let sync;
    test('the standby killed (SIGKILL) and restarted mid-stream resumes from its journal and ends with A\'s state', async () => {
        sync = new LiveSync(ctx);
        await sync.start();
        expect(await sync.converged(ctx.ca, 60_000)).toEqual({ sas: 4, policies: 4 });
        sync.follower.kill('SIGKILL');
        await sync.follower.exited;
        allOk(await ctx.ca.addStates(bulkSas(ctx.t, 20, 0x3000000)), 'bulk SAs');
        allOk(await ctx.ca.deleteStates([haPairIds(ctx.t, HA_PAIRS[1]).toVip, ...bulkSas(ctx.t, 5, 0x3000000).map((s) => ({ daddr: s.daddr, spi: s.spi, proto: s.proto }))]), 'deletes');
        const stale = await readJournal(sync.journal);
        expect(stale.sas).toHaveLength(4); // what the killed standby had
        sync.startFollower();
        expect(await sync.converged(ctx.ca, 60_000)).toEqual({ sas: 4 + 20 - 1 - 5, policies: 4 });
        // the restarted standby opened the journal it had, not a new one
        expect(sync.follower.stderr).not.toMatch(/journal \S+: new/);
    });
    test('the A–S link cut and restored: nothing arrives while it is down, everything afterwards', async () => {
        ipBatch([`link set ${SYNC} down`], ctx.t.active.ns);
        try {
            allOk(await ctx.ca.addStates(bulkSas(ctx.t, 10, 0x3100000)), 'bulk SAs');
            allOk(await ctx.ca.deleteStates(bulkSas(ctx.t, 3, 0x3000010).map((s) => ({ daddr: s.daddr, spi: s.spi, proto: s.proto }))), 'deletes');
            await sleep(1500);
            expect(await mirrorsActive(sync), 'the journal cannot follow while the link is down').toBe(false);
        }
        finally {
            ipBatch([`link set ${SYNC} up`], ctx.t.active.ns);
        }
        expect(await sync.converged(ctx.ca, 90_000)).toEqual({ sas: 18 + 10 - 3, policies: 4 });
        await sync.stop();
    });
    test('an overrun of the publisher\'s subscription (NLX_HA_RCVBUF=4096, 300 SAs added at once): "resync (overrun)" in the stream, the journal ends with A\'s state', async () => {
        await resetPairs(ctx);
        const s = new LiveSync(ctx, { publishEnv: { NLX_HA_RCVBUF: '4096' } });
        try {
            await s.start();
            await s.converged(ctx.ca, 60_000);
            allOk(await ctx.ca.addStates(bulkSas(ctx.t, 300, 0x3200000)), 'bulk SAs');
            await s.publisher.waitFor((p) => /resync \(overrun\)/.test(p.stderr), 60_000, 'a resync after an overrun');
            expect(await s.converged(ctx.ca, 90_000)).toEqual({ sas: 304, policies: 4 });
            await s.follower.waitFor((p) => /resync \(overrun\)/.test(p.stderr), 10_000, 'the resync seen by the follower');
        }
        finally {
            await s.stop();
        }
    });
    test('the publisher killed during the full-state send of 600 SAs, then restarted: the follower completes', async () => {
        await resetPairs(ctx);
        allOk(await ctx.ca.addStates(bulkSas(ctx.t, 600, 0x3300000)), 'bulk SAs');
        const s = new LiveSync(ctx);
        try {
            s.startFollower();
            await s.startPublisher();
            await s.publisher.waitFor((p) => /standby connected/.test(p.stderr), 60_000, 'the standby connected');
            // kill once the follower has logged part of the full state (~0.5 KiB per SA)
            const log = `${s.journal}.log`;
            const deadline = Date.now() + 60_000;
            while ((existsSync(log) ? statSync(log).size : 0) < 32 * 1024 && Date.now() < deadline)
                await sleep(20);
            s.publisher.kill('SIGKILL');
            await s.publisher.exited;
            const logged = statSync(log).size;
            const cut = await readJournal(s.journal);
            console.log(`publisher killed with ${logged} bytes of the journal log written: journal ${cut.complete ? 'complete' : 'incomplete'}, ${cut.sas.length} SAs`);
            expect(logged, 'part of the full state reached the journal').toBeGreaterThanOrEqual(32 * 1024);
            // the partial full state is not the mirror: a takeover now would install nothing of it
            expect(cut.complete, 'the kill landed inside the full-state send').toBe(false);
            expect(cut.sas).toEqual([]);
            await s.startPublisher();
            expect(await s.converged(ctx.ca, 120_000)).toEqual({ sas: 604, policies: 4 });
        }
        finally {
            await s.stop();
        }
    });
});
