import { describe, expect, test } from 'vitest';
import { fixtureSeeds, fuzzSocketAndSubscription } from '../helpers/socket-fuzz.js';
describe('mutated kernel datagrams through the real socket and subscription code (issue 10, fuzzer)', () => {
    test('the seeds are the fixtures\' kernel datagrams', () => {
        expect(fixtureSeeds().length).toBeGreaterThan(100);
    });
    test('seeded with the 36-byte NLMSG_ERROR whose decoding throws RangeError (issue 10 item 1): typed everywhere', async () => {
        // nlmsg_len 36, NLMSG_ERROR, NLM_F_ACK_TLVS, error -22, echoed nlmsg_len 0x80000010.
        const b = Buffer.alloc(36);
        b.writeUInt32LE(36, 0);
        b.writeUInt16LE(2, 4);
        b.writeUInt16LE(0x200, 6);
        b.writeInt32LE(-22, 16);
        b.writeUInt32LE(0x80000010, 20);
        const r = await fuzzSocketAndSubscription({ seed: 36, iterations: 400, seeds: [new Uint8Array(b)] });
        expect(r.failures).toEqual([]);
        expect(r.requests.typedError).toBeGreaterThan(50);
    });
    for (const asyncIo of [false, true]) {
        test(`seed 0x5eed, 3000 inputs${asyncIo ? ', with the read-ahead path' : ''}: everything settles typed, counters add up`, async () => {
            const r = await fuzzSocketAndSubscription({ seed: 0x5eed + (asyncIo ? 1 : 0), iterations: 3000, asyncIo });
            expect(r.failures).toEqual([]);
            expect(r.inputs).toBe(3000);
            expect(r.requests.ok + r.requests.typedError).toBe(r.requests.sent);
            expect(r.dumps.ok + r.dumps.typedError).toBe(r.dumps.run);
            expect(r.reopened).toBe(0);
            // The inputs reach every path, and both outcomes of each.
            expect(r.requests.ok).toBeGreaterThan(100);
            expect(r.requests.typedError).toBeGreaterThan(100);
            expect(r.requests.lostToOverrun).toBeGreaterThan(10);
            expect(r.notifications.overruns).toBeGreaterThan(5);
            expect(r.dumps.ok).toBeGreaterThan(10);
            expect(r.dumps.typedError).toBeGreaterThan(10);
            expect(r.dumps.yielded).toBeGreaterThan(10);
            expect(r.notifications.events).toBeGreaterThan(r.notifications.injected / 2);
            console.log(`[socket-fuzz] ${JSON.stringify({ ...r, failures: r.failures.length })}`);
        });
    }
});
