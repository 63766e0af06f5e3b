/**
 * Batches ask for one ACK per sendmsg: only the last request of each chunk carries
 * NLM_F_ACK, as the real kernel answers errors whatever the flag. These tests use a fake
 * that behaves like the kernel here (ACK only when asked, errors always).
 */
import { describe, expect, test } from 'vitest';
import { NLM_F_ACK } from '../../src/netlink/index.js';
import { NetlinkSocket } from '../../src/socket/index.js';
import { FakeKernel } from '../../src/testing/index.js';
import { toyFamily, toyNew } from './toy-family.js';
function kernelLike(fail, opts = {}) {
    let acked = 0;
    const kernel = new FakeKernel({
        family: toyFamily,
        handler(req, k) {
            const body = req.message.body;
            if (body === opts.overrunAt)
                return k.overrun();
            if (fail(body))
                return k.error(req, 17, { message: `entry ${body} exists` });
            if (req.header.flags & NLM_F_ACK) {
                acked++;
                return k.ack(req);
            }
            return undefined;
        },
    });
    const sock = NetlinkSocket.open({ family: toyFamily, transport: kernel.socket() });
    return { sock, acks: () => acked };
}
describe('batch with one ACK per chunk', () => {
    test('errors are attributed to their own requests; the rest succeed', async () => {
        const { sock, acks } = kernelLike((b) => b % 1000 === 500);
        const results = await sock.batch(Array.from({ length: 5000 }, (_, i) => toyNew(i)), { chunkSize: 16 * 1024 });
        const failed = results.flatMap((r, i) => (r.ok ? [] : [[i, r.error.code, r.error.message]]));
        expect(failed.map((f) => f[0])).toEqual([500, 1500, 2500, 3500, 4500]);
        expect(failed.every((f) => f[1] === 'EEXIST')).toBe(true);
        expect(String(failed[0][2])).toContain('entry 500 exists');
        // One ACK per sendmsg (fewer when a chunk's last request failed), not one per request.
        expect(acks()).toBeLessThanOrEqual(sock.stats.sendCalls);
        expect(acks()).toBeGreaterThanOrEqual(sock.stats.sendCalls - failed.length);
        expect(acks()).toBeLessThan(100);
        sock.close();
    });
    test('a chunk whose answers may have been lost to an overrun is reported as overrun, never as success', async () => {
        const { sock } = kernelLike(() => false, { overrunAt: 3 });
        const results = await sock.batch(Array.from({ length: 10 }, (_, i) => toyNew(i)));
        // The last request's own ACK confirms it; for the others an error may have been dropped.
        expect(results[9]).toMatchObject({ ok: true });
        expect(results.slice(0, 9).every((r) => !r.ok && r.error.reason === 'overrun')).toBe(true);
        sock.close();
    });
});
