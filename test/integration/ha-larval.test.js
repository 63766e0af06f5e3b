/**
 * Larval SAs of the host kernel and HA snapshot/restore (issue 10 item 9). An IKE daemon in
 * mid-negotiation leaves two kinds of larval state: the ACQUIRE placeholder (traffic hit an
 * OUT policy whose template has no SA: SPI 0, the acquire seq, no algorithms) and an SPI
 * reserved by ALLOCSPI. Both exist for real on the host kernel (no ESP needed), in two fresh
 * namespaces joined by a veth pair. `snapshot` must leave them out and say so; a restore of
 * an older snapshot holding them must skip them and succeed.
 *
 * Needs root and the native shim; skipped loudly otherwise.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { XfrmClient } from '../../src/client/client.js';
import { restore, snapshot } from '../../src/client/ha.js';
import { template } from '../../src/client/policy.js';
import { stateToAttrs, stateToUsersaInfo } from '../../src/client/state.js';
import { runWith } from '../../src/cli/main.js';
import { defaultEnv } from '../../src/cli/context.js';
import { IPPROTO_ESP, XFRM_MODE_TUNNEL, XFRM_POLICY_OUT, xfrmMessageToJson } from '../../src/xfrm/index.js';
import { createNsPair, destroyNsPair, hostKernelTests, ping } from '../helpers/netns.js';
import { hostSelector } from '../uml/esp-setup.js';
const canRun = hostKernelTests('test/integration/ha-larval.test.ts');
const tag = randomBytes(3).toString('hex');
let pair;
let ca;
async function states(c) {
    const out = [];
    for await (const s of c.listStates())
        out.push(s);
    return out;
}
/** Run the CLI with the real environment (native sockets) but captured output. */
async function cli(argv, input) {
    let stdout = '';
    let stderr = '';
    const env = defaultEnv();
    const code = await runWith(argv, {
        ...env,
        out: (s) => void (stdout += s),
        err: (s) => void (stderr += s),
        stdoutIsTTY: false,
        stderrIsTTY: false,
        ...(input !== undefined ? { readInput: () => Buffer.from(input) } : {}),
    });
    return { code, stdout, stderr };
}
describe.skipIf(!canRun).sequential('larval SAs on the host kernel and snapshot/restore', () => {
    beforeAll(async () => {
        pair = createNsPair(`nlxl${tag}a`, `nlxl${tag}b`);
        ca = XfrmClient.open({ netns: pair.a.ns });
        // An OUT policy with an ESP template and no SA: the first packet makes the kernel ACQUIRE.
        await ca.addPolicy({
            selector: hostSelector(pair.a.v4, pair.b.v4),
            dir: XFRM_POLICY_OUT,
            templates: [template({ proto: IPPROTO_ESP, saddr: pair.a.v4, daddr: pair.b.v4, reqid: 0x51, mode: XFRM_MODE_TUNNEL })],
        });
        // The kernel keeps the placeholder only if a key manager listens to ACQUIRE (else the
        // multicast fails and the larval state dies at once): listen like an IKE daemon.
        const events = ca.events(['acquire']);
        const first = events.next();
        expect(ping(pair.a.ns, pair.b.v4, { count: 1, wait: 0.3 }).received).toBe(0);
        const ev = await Promise.race([first, new Promise((_, rej) => setTimeout(() => rej(new Error('no ACQUIRE within 5 s')), 5000))]);
        expect(ev.value?.kind).toBe('acquire');
        await events.return();
        // ... and an IKE daemon's ALLOCSPI for the reverse SA
        await ca.allocSpi({ saddr: pair.b.v4, daddr: pair.a.v4, proto: IPPROTO_ESP, reqid: 0x51, min: 0x5100, max: 0x51ff });
    });
    afterAll(() => {
        ca?.close();
        if (pair)
            destroyNsPair(pair);
    });
    test('the kernel holds both kinds of larval SA', async () => {
        const all = await states(ca);
        expect(all.map((s) => ({ spi: s.spi === 0 ? 0 : 'allocated', daddr: s.daddr, algs: Boolean(s.aead || s.auth || s.crypt) })).sort((x, y) => String(x.spi).localeCompare(String(y.spi)))).toEqual([
            { spi: 0, daddr: pair.b.v4, algs: false },
            { spi: 'allocated', daddr: pair.a.v4, algs: false },
        ]);
        expect(all.find((s) => s.spi === 0).acquireSeq).toBeGreaterThan(0);
    });
    test('snapshot() exports neither and lists both in `skipped` with the reason; the CLI says so and exits 0', async () => {
        const snap = await snapshot(ca);
        expect(snap.states).toEqual([]);
        const acq = (await states(ca)).find((s) => s.spi === 0);
        const reserved = (await states(ca)).find((s) => s.spi !== 0);
        expect(snap.skipped?.map((k) => [k.id.spi, k.reason, k.detail]).sort()).toEqual([
            [0, 'larval', `larval SA: acquire placeholder (spi 0, acquire seq ${acq.acquireSeq}, no keys yet)`],
            [reserved.spi, 'larval', 'larval SA: SPI reserved by ALLOCSPI (no keys yet)'],
        ].sort());
        const r = await cli(['--netns', pair.a.ns, 'snapshot']);
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout).states).toEqual([]);
        expect(r.stderr.trim().split('\n')).toHaveLength(2);
        expect(r.stderr).toContain('larval SA: acquire placeholder (spi 0');
    });
    test('restore of an older snapshot that exported the larval SAs skips them and succeeds (library and CLI, exit 0)', async () => {
        const larval = await states(ca);
        const older = {
            version: 1,
            takenAt: new Date().toISOString(),
            states: larval.map((s) => ({
                sa: xfrmMessageToJson({ type: 'XFRM_MSG_NEWSA', flags: 0, seq: 0, pid: 0, body: stateToUsersaInfo(s), attrs: stateToAttrs(s, true) }, { showKeys: true }),
            })),
        };
        const results = await restore(ca, older, { outboundSeqMargin: 100 });
        expect(results.map((r) => [r.status, r.ok])).toEqual([
            ['skipped', true],
            ['skipped', true],
        ]);
        const r = await cli(['--netns', pair.a.ns, 'restore', '--outbound-seq-margin', '100', '-'], JSON.stringify(older));
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout.split('\n').at(-2)).toBe('restored 0 of 0 SAs, outbound sequence numbers raised by 100; 2 larval SAs skipped (no keys yet: an IKE negotiation in progress)');
        // the kernel's larval SAs are untouched
        expect((await states(ca)).length).toBe(2);
    });
});
