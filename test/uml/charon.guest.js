/**
 * Guest test (runs inside the UML kernel, see README.md): HA snapshot/restore while a REAL
 * strongSwan charon has an IKE negotiation in progress (issue 10 item 9).
 *
 * Two charon daemons, one per namespace, each with its own strongswan.conf, swanctl.conf and
 * vici socket written by this file (the host's /etc/strongswan*, /etc/ipsec* and /etc/swanctl
 * are never read or written):
 *
 * - A (initiator): a CHILD_SA for ICMP between A and B with `start_action = trap`, so charon
 *   installs the policies and ICMP traffic makes the kernel send an ACQUIRE;
 * - B (responder): answers IKE_SA_INIT on UDP 500 but listens for NAT-T on 4501 instead of 4500.
 *   A moves to port 4500 for IKE_AUTH (MOBIKE), so its IKE_AUTH request is never answered and
 *   charon keeps retransmitting it (every 4 s, for minutes).
 *
 * One ping from A therefore leaves A's kernel with both kinds of larval SA for as long as the
 * test needs: the acquire placeholder (dst B, spi 0, no algorithms) and the inbound SPI charon
 * reserved with ALLOCSPI before sending IKE_AUTH (dst A, no algorithms). Beside them the test
 * installs a complete SA pair itself; snapshot, flush and restore must bring back exactly that
 * pair and report the larval SAs as skipped.
 *
 * Each charon runs under `ip netns exec` (a mount namespace of its own) on a private tmpfs
 * /run, because its pid file is always /run/charon.pid; the vici sockets live in a directory
 * under the guest's own /dev/shm. Both daemons are stopped (SIGTERM, then SIGKILL) in afterAll.
 * Without charon/swanctl installed the whole file is skipped with a banner saying so.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { XfrmClient } from '../../src/client/client.js';
import { restore, snapshot, snapshotStates } from '../../src/client/ha.js';
import { defaultEnv } from '../../src/cli/context.js';
import { runWith } from '../../src/cli/main.js';
import { IPPROTO_ESP, XFRM_MODE_TUNNEL } from '../../src/xfrm/constants.js';
import { createNsPair, destroyNsPair, ping } from '../helpers/netns.js';
import { idOf, KEYS, olderSnapshot, pairStates, sleep } from './esp-setup.js';
import { CHARON_MISSING, CharonDaemons, HAVE_CHARON, logOf, swanctl, warnCharonMissing } from './charon-daemons.js';
warnCharonMissing('CHARON GUEST TEST SKIPPED: a real IKE negotiation in progress was NOT tested');
let pair;
let ca;
let work;
let sockets;
let charons;
function swanctlConf(me, peer, myId, peerId, startAction) {
    // The PSK is a fixed test value, not a secret of anything.
    return `connections {
  pending {
    version = 2
    local_addrs = ${me}
    remote_addrs = ${peer}
    proposals = aes128-sha256-modp2048
    local {
      auth = psk
      id = ${myId}
    }
    remote {
      auth = psk
      id = ${peerId}
    }
    children {
      icmp {
        local_ts = ${me}/32[icmp]
        remote_ts = ${peer}/32[icmp]
        esp_proposals = aes128-sha256
        start_action = ${startAction}
      }
    }
  }
}
secrets {
  ike-test {
    secret = "netlink-xfrm charon guest test"
    id-a = ${myId}
    id-b = ${peerId}
  }
}
`;
}
async function states() {
    const all = [];
    for await (const s of ca.listStates())
        all.push(s);
    return all;
}
/** The complete SA pair the test installs itself (no policies: it only has to be restored). */
let mine;
/** charon's larval SAs once the negotiation is pending. */
let placeholder;
let reserved;
describe.skipIf(!HAVE_CHARON).sequential(`HA with a real strongSwan charon negotiation in progress${HAVE_CHARON ? '' : ` [SKIPPED: ${CHARON_MISSING}]`}`, () => {
    beforeAll(async () => {
        pair = createNsPair('nlxca', 'nlxcb');
        ca = XfrmClient.open({ netns: pair.a.ns });
        work = mkdtempSync(join(tmpdir(), 'nlx-charon-'));
        // unix sockets on the guest's own tmpfs (the work dir is the host's file system, hostfs)
        mkdirSync('/dev/shm', { recursive: true });
        sockets = mkdtempSync('/dev/shm/nlx-charon-');
        charons = new CharonDaemons(work, sockets);
        const a = await charons.start('a', pair.a.ns, { natPort: 4500, ikeLog: true });
        const b = await charons.start('b', pair.b.ns, { natPort: 4501, ikeLog: true });
        writeFileSync(join(work, 'a.swanctl.conf'), swanctlConf(pair.a.v4, pair.b.v4, 'a.test', 'b.test', 'trap'));
        writeFileSync(join(work, 'b.swanctl.conf'), swanctlConf(pair.b.v4, pair.a.v4, 'b.test', 'a.test', 'none'));
        swanctl(a, ['--load-all', '--file', join(work, 'a.swanctl.conf')]);
        swanctl(b, ['--load-all', '--file', join(work, 'b.swanctl.conf')]);
    });
    afterAll(async () => {
        await charons?.stopAll();
        ca?.close();
        if (pair)
            destroyNsPair(pair);
        if (sockets)
            rmSync(sockets, { recursive: true, force: true });
        if (work)
            rmSync(work, { recursive: true, force: true });
    });
    test('a ping through charon\'s trap policy starts a negotiation that stays pending: the kernel holds the acquire placeholder and the SPI charon reserved with ALLOCSPI', async () => {
        mine = pairStates(pair, {
            family: 'v4', proto: IPPROTO_ESP, mode: XFRM_MODE_TUNNEL, reqid: 0x81, spiAB: 0x8101, spiBA: 0x8102,
            algs: { aead: { name: 'rfc4106(gcm(aes))', key: KEYS.gcm128, icvLen: 128 } },
            common: { replayWindow: 32, replay: { oseq: 41, seq: 0, bitmap: 0 } },
        });
        await ca.addState(mine.aOut);
        await ca.addState(mine.aIn);
        // the trap policy is charon's own
        const traps = [];
        for await (const p of ca.listPolicies())
            if (p.templates.length > 0)
                traps.push(p);
        expect(traps.length, 'policies with a template installed by charon').toBeGreaterThan(0);
        expect(ping(pair.a.ns, pair.b.v4, { count: 1, wait: 0.3 }).received).toBe(0);
        const a = charons.daemons[0];
        const deadline = Date.now() + 15_000;
        let larval = [];
        for (;;) {
            larval = (await states()).filter((s) => !s.aead && !s.crypt && !s.auth);
            if (larval.some((s) => s.spi === 0) && larval.some((s) => s.spi !== 0))
                break;
            if (Date.now() > deadline) {
                throw new Error(`no acquire placeholder + ALLOCSPI SA after 15 s; larval: ${JSON.stringify(larval.map((s) => [s.daddr, s.spi]))}\n--- charon a log ---\n${logOf(a)}`);
            }
            await sleep(100);
        }
        placeholder = larval.find((s) => s.spi === 0);
        reserved = larval.find((s) => s.spi !== 0);
        expect(placeholder.daddr).toBe(pair.b.v4);
        expect(placeholder.acquireSeq, 'acquire seq of the placeholder').toBeGreaterThan(0);
        expect(reserved.daddr).toBe(pair.a.v4);
        // the reservation is charon's: it logs the SPI it got before sending IKE_AUTH
        const got = /got SPI ([0-9a-f]{8})/.exec(logOf(a));
        expect(got?.[1], `charon a log:\n${logOf(a)}`).toBe(reserved.spi.toString(16).padStart(8, '0'));
        // the negotiation is in progress, not failed: the IKE_SA is still CONNECTING
        expect(swanctl(a, ['--list-sas'])).toMatch(/pending: #\d+, CONNECTING/);
    });
    test('snapshot (library and CLI) exports only the complete SAs and lists both larval SAs in "skipped" with reason "larval"', async () => {
        expect(placeholder && reserved, 'the previous test found the larval SAs').toBeTruthy();
        // the CLI's file first: the next test restores it whatever this one finds
        const file = join(work, 'snapshot.json');
        let stderr = '';
        const code = await runWith(['--netns', pair.a.ns, 'snapshot', '--output', file], {
            ...defaultEnv(),
            out: () => undefined,
            err: (t) => void (stderr += t),
            stdoutIsTTY: false,
            stderrIsTTY: false,
        });
        const snap = await snapshot(ca);
        expect(code, stderr).toBe(0);
        expect(snapshotStates(snap).map((s) => s.spi).sort()).toEqual([mine.aOut.spi, mine.aIn.spi].sort());
        const skipped = (snap.skipped ?? []).map((k) => ({ daddr: k.id.daddr, spi: k.id.spi, reason: k.reason })).sort((p, q) => p.spi - q.spi);
        expect(skipped).toEqual([
            { daddr: pair.b.v4, spi: 0, reason: 'larval' },
            { daddr: pair.a.v4, spi: reserved.spi, reason: 'larval' },
        ]);
        expect(stderr).toMatch(/skipped .*acquire placeholder/);
        expect(stderr).toMatch(/skipped .*SPI reserved by ALLOCSPI/);
        const fromCli = JSON.parse(readFileSync(file, 'utf8'));
        expect(snapshotStates(fromCli).map((s) => s.spi).sort()).toEqual([mine.aOut.spi, mine.aIn.spi].sort());
        expect(fromCli.skipped?.map((k) => k.reason)).toEqual(['larval', 'larval']);
    });
    test('flush, then CLI restore of that snapshot: the complete SAs come back, exit 0, nothing failed', async () => {
        // the negotiation is still pending while the SAs are flushed and restored
        expect(swanctl(charons.daemons[0], ['--list-sas'])).toMatch(/pending: #\d+, CONNECTING/);
        await ca.flushStates();
        expect((await ca.countStates()).count).toBe(0);
        let stdout = '';
        let stderr = '';
        const code = await runWith(['--netns', pair.a.ns, 'restore', '--outbound-seq-margin', '1000', join(work, 'snapshot.json')], {
            ...defaultEnv(),
            out: (t) => void (stdout += t),
            err: (t) => void (stderr += t),
            stdoutIsTTY: false,
            stderrIsTTY: false,
        });
        expect(stderr).toBe('');
        expect(code).toBe(0);
        expect(stdout.trim().split('\n').at(-1)).toBe('restored 2 of 2 SAs, outbound sequence numbers raised by 1000');
        const back = await ca.getState(idOf(mine.aOut));
        expect(back.replay?.oseq).toBe(1041);
        expect(Buffer.from(back.aead.key).equals(Buffer.from(KEYS.gcm128))).toBe(true);
        expect((await ca.getState(idOf(mine.aIn))).aead?.name).toBe('rfc4106(gcm(aes))');
    });
    test('an older snapshot that still holds charon\'s larval SAs restores the complete SAs and reports the larval ones as skipped, none failed', async () => {
        // charon's larval SAs went with the flush; the older snapshot is made of the restored SAs
        // and the larval SAs as the kernel reported them while the negotiation was pending.
        const larvalNow = async () => (await states()).filter((s) => !s.aead && !s.crypt && !s.auth);
        // what an older version exported: every kernel state, larval ones included
        const all = [...(await states()), placeholder, reserved];
        const older = olderSnapshot(all);
        await ca.flushStates();
        const results = await restore(ca, older, { outboundSeqMargin: 1000 });
        expect(results.filter((r) => r.status === 'failed')).toEqual([]);
        expect(results.filter((r) => r.status === 'restored').map((r) => r.id?.spi).sort()).toEqual([mine.aOut.spi, mine.aIn.spi].sort());
        expect(results.filter((r) => r.status === 'skipped').map((r) => r.id?.spi).sort((p, q) => (p ?? 0) - (q ?? 0))).toEqual([0, reserved.spi]);
        // restore added no larval SA of its own
        expect(await larvalNow()).toEqual([]);
    });
});
