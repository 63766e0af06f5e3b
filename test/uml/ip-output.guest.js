/**
 * Guest test (runs inside the UML kernel, see README.md): the CLI's human output reads like
 * `ip -s xfrm state` / `ip -s xfrm policy` (issue 13) on what a real IKE daemon installs.
 *
 * Two strongSwan charon daemons (one per namespace, own strongswan.conf, swanctl.conf and vici
 * socket written by this file; the host's /etc is never read or written) negotiate an IKE_SA
 * over NAT-T (`encap = yes`) with three CHILD_SAs: an AES-GCM ESN tunnel with a 128-packet
 * window (pinged 40 times, so its bitmap spans two words), an AES-GCM tunnel with marks and
 * interface ids, and an AES-CBC/HMAC transport SA for one TCP port; plus a trap policy.
 * charon also puts per-socket bypass policies on its IKE sockets (`socket in`/`socket out`).
 * Beside them the test adds, with `ip` itself, SAs charon does not make: BMP replay state
 * (window 128 without ESN), every state flag with an extra flag, a mark with an output mark,
 * an output mark alone,
 * TFC padding, a selector with ports, a security context, and policies with
 * a block action, flags, a sub type, ICMPv6 type/code and an optional template.
 *
 * Then `ip -s xfrm state` and `netlink-xfrm state list --show-keys` (and the same for
 * policies) are taken back to back and compared line by line. Normalised, and only that:
 *
 * - blanks at the end of a line (ip leaves one after many words);
 * - times: ip prints local time (`TZ=UTC` here), netlink-xfrm UTC marked with `Z`;
 * - ip writes `extra_flag` straight after the last flag name with no space between.
 *
 * Without charon/swanctl installed the whole file is skipped with a banner saying so.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultEnv } from '../../src/cli/context.js';
import { runWith } from '../../src/cli/main.js';
import { createNsPair, destroyNsPair, ipBatch, ping } from '../helpers/netns.js';
import { sleep } from './esp-setup.js';
import { CHARON_MISSING, CharonDaemons, HAVE_CHARON, logOf, swanctl, warnCharonMissing } from './charon-daemons.js';
warnCharonMissing("IP-OUTPUT GUEST TEST SKIPPED: the CLI text was NOT compared with ip on charon's SAs");
let pair;
let work;
let sockets;
let charons;
/**
 * The responder picks a child config by traffic selectors, first match first: the narrow
 * children come before the one for all traffic between the two hosts.
 */
function swanctlConf(me, peer, myId, peerId, start) {
    // The PSK is a fixed test value, not a secret of anything.
    return `connections {
  c {
    version = 2
    local_addrs = ${me}
    remote_addrs = ${peer}
    encap = yes
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
      marked {
        local_ts = ${me}/32[udp/99]
        remote_ts = ${peer}/32[udp/99]
        esp_proposals = aes128gcm16
        mark_in = 0x11/0xff
        mark_out = 0x22
        if_id_in = 0x33
        if_id_out = 0x44
        start_action = ${start}
      }
      cbc {
        local_ts = ${me}/32[tcp/22]
        remote_ts = ${peer}/32[tcp/22]
        esp_proposals = aes128-sha256
        mode = transport
        start_action = ${start}
      }
      trap {
        local_ts = ${me}/32[udp/53]
        remote_ts = 198.51.100.0/24[udp]
        esp_proposals = aes128-sha256
        start_action = trap
      }
      gcm {
        local_ts = ${me}/32
        remote_ts = ${peer}/32
        esp_proposals = aes128gcm16-esn
        replay_window = 128
        start_action = ${start}
      }
    }
  }
}
secrets {
  ike-test {
    secret = "netlink-xfrm ip-output guest test"
    id-a = ${myId}
    id-b = ${peerId}
  }
}
`;
}
function ipText(ns, what) {
    const r = spawnSync('ip', ['-s', '-n', ns, 'xfrm', what], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    if (r.status !== 0)
        throw new Error(`ip -s xfrm ${what}: ${r.stderr}`);
    return r.stdout;
}
async function cliText(ns, args) {
    let out = '';
    let err = '';
    const code = await runWith(['--netns', ns, ...args], { ...defaultEnv(), out: (t) => void (out += t), err: (t) => void (err += t), stdoutIsTTY: false, stderrIsTTY: false });
    if (code !== 0)
        throw new Error(`netlink-xfrm ${args.join(' ')} exited ${code}: ${err}`);
    return out;
}
/** The documented normalisations (see the file comment), then the lines. */
function lines(text, from) {
    return text
        .split('\n')
        .map((l) => {
        let x = l.replace(/[ \t]+$/, '');
        if (from === 'cli')
            x = x.replace(/(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)Z/g, '$1');
        if (from === 'ip')
            x = x.replace(/(\S)extra_flag /, '$1 extra_flag ');
        return x;
    })
        .filter((l, i, all) => l !== '' || i < all.length - 1);
}
/** Both outputs, taken back to back (no traffic in between: counters and use times stay put). */
async function both(what) {
    const ip = ipText(pair.a.ns, what);
    const cli = await cliText(pair.a.ns, what === 'state' ? ['state', 'list', '--show-keys'] : ['policy', 'list']);
    return { ip: lines(ip, 'ip'), cli: lines(cli, 'cli') };
}
const K20 = '0x00112233445566778899aabbccddeeff01020304';
const K16 = '0x00112233445566778899aabbccddeeff';
describe.skipIf(!HAVE_CHARON).sequential(`CLI text output against ip -s xfrm on a real charon's SAs${HAVE_CHARON ? '' : ` [SKIPPED: ${CHARON_MISSING}]`}`, () => {
    beforeAll(async () => {
        pair = createNsPair('nlxia', 'nlxib');
        work = mkdtempSync(join(tmpdir(), 'nlx-ipout-'));
        mkdirSync('/dev/shm', { recursive: true });
        sockets = mkdtempSync('/dev/shm/nlx-ipout-');
        charons = new CharonDaemons(work, sockets);
        const a = await charons.start('a', pair.a.ns);
        const b = await charons.start('b', pair.b.ns);
        writeFileSync(join(work, 'a.swanctl.conf'), swanctlConf(pair.a.v4, pair.b.v4, 'a.test', 'b.test', 'start'));
        writeFileSync(join(work, 'b.swanctl.conf'), swanctlConf(pair.b.v4, pair.a.v4, 'b.test', 'a.test', 'none'));
        swanctl(b, ['--load-all', '--file', join(work, 'b.swanctl.conf')]);
        swanctl(a, ['--load-all', '--file', join(work, 'a.swanctl.conf')]);
        // SAs and policies charon does not make, added by ip itself (on other addresses)
        ipBatch([
            `xfrm state add src 10.0.0.1 dst 10.0.0.4 proto esp spi 0x102 reqid 3 mode transport replay-window 128 aead rfc4106(gcm(aes)) ${K20} 128`,
            `xfrm state add src 10.0.0.1 dst 10.0.0.5 proto esp spi 0x103 reqid 4 mode tunnel replay-window 16 flag noecn flag decap-dscp flag nopmtudisc flag wildrecv flag icmp flag af-unspec flag align4 aead rfc4106(gcm(aes)) ${K20} 64 encap espinudp 4500 4501 0.0.0.0 mark 7 mask 0xff output-mark 0x10 mask 0xf0 if_id 9 tfcpad 100 extra-flag dont-encap-dscp sel src 10.1.0.0/16 dst 10.2.0.0/16 proto tcp sport 80 dport 443`,
            `xfrm state add src 10.0.0.1 dst 10.0.0.10 proto esp spi 0x109 reqid 10 mode tunnel aead rfc4106(gcm(aes)) ${K20} 128 output-mark 0x5`,
            `xfrm state add src 10.0.0.1 dst 10.0.0.6 proto ah spi 0x104 reqid 5 mode transport auth hmac(sha1) ${K20} limit time-soft 100 limit time-hard 200 limit byte-soft 1000 limit packet-hard 50`,
            `xfrm state add src 10.0.0.1 dst 10.0.0.7 proto comp spi 0x105 reqid 6 mode tunnel comp deflate`,
            `xfrm state add src 10.0.0.1 dst 10.0.0.8 proto esp spi 0x107 reqid 8 mode tunnel enc cbc(aes) ${K16} auth hmac(sha1) ${K20} replay-window 32 ctx system_u:object_r:x:s0`,
            `xfrm state add src 10.0.0.1 dst 10.0.0.9 proto esp spi 0x108 reqid 9 mode tunnel enc cbc(aes) ${K16} auth-trunc hmac(md5) ${K16} 96`,
            'xfrm policy add src 10.2.0.0/16 dst 10.1.0.0/16 dir fwd priority 100 mark 5 mask 0xf if_id 3 flag localok flag icmp tmpl src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x100 reqid 1 mode tunnel tmpl proto comp reqid 6 mode tunnel level use',
            'xfrm policy add src 10.3.0.0/16 dst 10.4.0.0/16 proto tcp sport 22 dport 1022 dir out action block limit time-hard 300 limit byte-soft 1000',
            'xfrm policy add src 2001:db8::/64 dst 2001:db8:1::/64 proto ipv6-icmp type 128 code 0 dir out ptype sub tmpl src 2001:db8::1 dst 2001:db8::2 proto esp reqid 7 mode beet',
            'xfrm policy add src 10.5.0.0/16 dst 10.6.0.0/16 dir out tmpl proto ah mode transport ctx system_u:object_r:x:s0',
        ], pair.a.ns);
    });
    afterAll(async () => {
        await charons?.stopAll();
        if (pair)
            destroyNsPair(pair);
        if (sockets)
            rmSync(sockets, { recursive: true, force: true });
        if (work)
            rmSync(work, { recursive: true, force: true });
    });
    test('charon establishes its three CHILD_SAs (ESN/GCM, marked, CBC transport) and traffic fills two ESN bitmap words', async () => {
        const a = charons.daemons[0];
        const deadline = Date.now() + 30_000;
        for (;;) {
            const sas = swanctl(a, ['--list-sas']);
            if ((sas.match(/INSTALLED/g) ?? []).length >= 3)
                break;
            if (Date.now() > deadline)
                throw new Error(`charon's CHILD_SAs not installed after 30 s:\n${sas}\n--- charon a log ---\n${logOf(a)}`);
            await sleep(200);
        }
        expect(ping(pair.a.ns, pair.b.v4, { count: 40, interval: 0.02, wait: 1 }).received).toBe(40);
    });
    test('state: netlink-xfrm state list reads like ip -s xfrm state, line by line', async () => {
        const { ip, cli } = await both('state');
        expect(cli).toEqual(ip);
        const text = cli.join('\n');
        // what the comparison covered (so that it cannot pass on an empty table)
        expect(ip.filter((l) => l.startsWith('src ')).length).toBeGreaterThanOrEqual(12);
        expect(text).toMatch(/flag af-unspec esn \(0x10100000\)/); // charon's ESN SAs
        expect(text).toMatch(/\n\t 00000000 00000000 000000ff ffffffff\n/); // 40 packets: bmp[1], bmp[0] last
        expect(text).toContain('\tmark 0x22/0xffffffff\n');
        expect(text).toContain('\tif_id 0x44\n');
        expect(text).toContain('\tencap type espinudp sport 4500 dport 4500 addr 0.0.0.0\n');
        expect(text).toContain('align4 extra_flag dont-encap-dscp (0x01111111)');
        expect(text).toContain('\tmark 0x7/0xff output-mark 0x10/0xf0\n');
        expect(text).toMatch(/\n\toutput-mark 0x5/); // an output mark without a mark: a line of its own
        expect(text).toContain('\tsecurity context system_u:object_r:x:s0');
    });
    test('policy: netlink-xfrm policy list reads like ip -s xfrm policy, line by line (socket policies as socket in/out)', async () => {
        const { ip, cli } = await both('policy');
        expect(cli).toEqual(ip);
        const text = cli.join('\n');
        expect(text).toMatch(/\n\tsocket in action allow index \d+ priority 0 ptype main share any flag {2}\(0x00000000\)\n/);
        expect(text).toMatch(/\n\tsocket out action allow/);
        expect(text).toMatch(/\n\tdir fwd action allow index \d+ priority 100 ptype main share any flag localok icmp \(0x00000011\)\n/);
        expect(text).toContain('\t\tlevel use share any\n');
        expect(text).toMatch(/proto udp sport 53 uid 0\n/); // charon's trap policy
    });
});
