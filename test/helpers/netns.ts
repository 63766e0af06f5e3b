/**
 * Guest-side helpers of the real-kernel ESP suite (test/uml/*.guest.ts): two network
 * namespaces joined by a veth pair, `ping` between them, `/proc/net/xfrm_stat` of a
 * namespace, and a UDP socket with `UDP_ENCAP_ESPINUDP` (the NAT-T receive path).
 *
 * Everything here shells out (`ip`, `ping`, `perl`) and needs root; it is meant to run inside
 * the user-mode-linux guest, where the namespaces cannot leak onto the host. Only links,
 * addresses, neighbours and routes are made with `ip`: SAs and policies go through the
 * library under test.
 */
import { nativeShimAvailable } from '../../src/socket/index.js';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';

/**
 * A throwaway network namespace `nlx-<random>` for the suite (`describe`) this is called in:
 * added before its tests, deleted after them (the host's tables are never touched). Returns
 * its name.
 */
export function throwawayNetns(): string {
  const ns = `nlx-${randomBytes(4).toString('hex')}`;
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', ns]);
  });
  afterAll(() => {
    try {
      execFileSync('ip', ['netns', 'del', ns]);
    } catch {
      /* already gone */
    }
  });
  return ns;
}

/**
 * Whether host-kernel tests can run here, and if not why: they need root, `ip`, the native
 * shim and Linux; `NLX_SKIP_HOST_KERNEL=1` opts out. A file that cannot run prints a loud
 * line naming itself (nothing of the real kernel was tested) and skips.
 */
export function hostKernelTests(file: string): boolean {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let hasIp = true;
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    hasIp = false;
  }
  const shim = nativeShimAvailable();
  const optOut = process.env.NLX_SKIP_HOST_KERNEL === '1';
  const ok = !optOut && isRoot && hasIp && shim && process.platform === 'linux';
  if (!ok) {
    const why = [optOut && 'NLX_SKIP_HOST_KERNEL=1', !isRoot && 'not root', !hasIp && 'no `ip` command', !shim && 'native shim not built']
      .filter(Boolean)
      .join(', ');
    const line = '!'.repeat(78);
    console.warn(
      `\n${line}\n!!! SKIPPING ${file}: ${why}.\n` +
        `!!! These tests need root and the native shim (npm run build:native); nothing of the real kernel was tested.\n${line}\n`,
    );
  }
  return ok;
}

/** Run a command; throws with its stderr when it fails. */
export function run(argv: readonly string[], input?: string): string {
  try {
    return execFileSync(argv[0]!, argv.slice(1), {
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(input !== undefined ? { input } : {}),
    });
  } catch (e) {
    const err = e as { status?: number; stderr?: string; stdout?: string };
    throw new Error(`${argv.join(' ')} failed (status ${err.status}): ${err.stderr ?? ''}${err.stdout ?? ''}`);
  }
}

/** Run `ip -batch -` with one command per line (one exec instead of many; each costs ~50 ms under UML). */
export function ipBatch(lines: readonly string[], netns?: string): void {
  if (lines.length === 0) return;
  run(['ip', ...(netns ? ['-n', netns] : []), '-batch', '-'], lines.join('\n') + '\n');
}

/** Addresses of one side of a {@link NsPair}. */
export interface NsSide {
  /** Namespace name (under /run/netns). */
  ns: string;
  /** veth name inside the namespace. */
  dev: string;
  /** IPv4 address (TEST-NET-1). */
  v4: string;
  /** IPv6 address (documentation prefix). */
  v6: string;
  /** MAC address of the veth end. */
  mac: string;
}

/** Two namespaces joined by a veth pair. */
export interface NsPair {
  a: NsSide;
  b: NsSide;
}

/**
 * Create namespaces `a` and `b` joined by a veth pair: 192.0.2.1/24 + 2001:db8::1/64 in `a`,
 * .2/::2 in `b`, `lo` up, and PERMANENT neighbour entries both ways so that no ARP/ND packet
 * ever meets an IPsec policy (ND would otherwise be caught by host-to-host IPv6 selectors).
 * Removes leftovers of the same names first.
 */
export function createNsPair(a = 'nlxa', b = 'nlxb'): NsPair {
  destroyNsPair({ a: { ns: a } as NsSide, b: { ns: b } as NsSide });
  const pair: NsPair = {
    a: { ns: a, dev: 'veth0', v4: '192.0.2.1', v6: '2001:db8::1', mac: '02:00:5e:00:53:01' },
    b: { ns: b, dev: 'veth0', v4: '192.0.2.2', v6: '2001:db8::2', mac: '02:00:5e:00:53:02' },
  };
  ipBatch([`netns add ${a}`, `netns add ${b}`]);
  ipBatch([`link add veth0 address ${pair.a.mac} type veth peer name veth0b address ${pair.b.mac} netns ${b}`, `link set veth0 netns ${a}`]);
  // inside b the peer is called veth0b; rename so both sides use veth0
  ipBatch([`link set veth0b name veth0`], b);
  for (const [me, peer] of [
    [pair.a, pair.b],
    [pair.b, pair.a],
  ] as const) {
    ipBatch(
      [
        'link set lo up',
        `addr add ${me.v4}/24 dev veth0`,
        `addr add ${me.v6}/64 dev veth0 nodad`,
        'link set veth0 up',
        `neigh replace ${peer.v4} lladdr ${peer.mac} dev veth0 nud permanent`,
        `neigh replace ${peer.v6} lladdr ${peer.mac} dev veth0 nud permanent`,
      ],
      me.ns,
    );
  }
  return pair;
}

/** Delete both namespaces (and with them the veth pair, SAs and policies); ignores absent ones. */
export function destroyNsPair(pair: NsPair): void {
  for (const ns of [pair.a.ns, pair.b.ns]) spawnSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
}

/** Result of {@link ping}. */
export interface PingResult {
  transmitted: number;
  received: number;
  /** ping's output (for failure messages). */
  output: string;
}

/** Options of {@link ping}. */
export interface PingOptions {
  /** Packets (default 3). */
  count?: number;
  /** Interval in seconds (default 0.2). */
  interval?: number;
  /** Seconds to wait for each reply (default 1). */
  wait?: number;
  /** Payload size (`-s`). */
  size?: number;
  /** Payload pattern (`-p`, hex). */
  pattern?: string;
  /** SO_MARK of the sending socket (`-m`). */
  mark?: number;
}

/** `ping` from inside `ns`; never throws for lost packets (look at `received`). */
export function ping(ns: string, dst: string, o: PingOptions = {}): PingResult {
  const count = o.count ?? 3;
  const args = ['netns', 'exec', ns, 'ping', '-n', '-q', '-c', String(count), '-i', String(o.interval ?? 0.2), '-W', String(o.wait ?? 1)];
  if (o.size !== undefined) args.push('-s', String(o.size));
  if (o.pattern !== undefined) args.push('-p', o.pattern);
  if (o.mark !== undefined) args.push('-m', String(o.mark));
  args.push(dst);
  // (no `-w`: with a deadline ping keeps sending until it has `count` REPLIES)
  const limitMs = Math.ceil((count * (o.interval ?? 0.2) + (o.wait ?? 1)) * 1000) + 10_000;
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: limitMs });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const m = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  return { transmitted: m ? Number(m[1]) : 0, received: m ? Number(m[2]) : 0, output };
}

/** The counters of `/proc/net/xfrm_stat` as seen inside `ns`. */
export function xfrmStat(ns: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of run(['ip', 'netns', 'exec', ns, 'cat', '/proc/net/xfrm_stat']).split('\n')) {
    const m = /^(\w+)\s+(\d+)/.exec(line);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** `after − before` for every counter that changed. */
export function statDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const d: Record<string, number> = {};
  for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const v = (after[k] ?? 0) - (before[k] ?? 0);
    if (v !== 0) d[k] = v;
  }
  return d;
}

/** A UDP socket held open by a helper process. */
export interface HeldSocket {
  /** Close the socket (ends the helper process). */
  close(): Promise<void>;
}

/**
 * Open a UDP socket on `port` in `ns` with `setsockopt(SOL_UDP, UDP_ENCAP, UDP_ENCAP_ESPINUDP)`:
 * without such a socket the kernel does not decapsulate ESP-in-UDP (it is what an IKE
 * daemon's NAT-T port does). Node cannot set UDP_ENCAP, so a tiny perl process holds it.
 *
 * With `bypass` (default) the socket also gets per-socket bypass policies for both
 * directions (`IP_XFRM_POLICY`/`IPV6_XFRM_POLICY` with a template-less ALLOW policy), like
 * IKE daemons install: on 6.1 the UDP receive path checks the inbound SPD BEFORE handing
 * the datagram to the ESP-in-UDP decapsulation, so a policy whose selector covers the
 * outer UDP/4500 packet (e.g. host-to-host, any protocol) would drop it
 * (`XfrmInTmplMismatch`) unless the socket bypasses the SPD.
 */
export async function udpEncapSocket(ns: string, port: number, opts: { family?: 'v4' | 'v6'; bypass?: boolean } = {}): Promise<HeldSocket> {
  const v6 = opts.family === 'v6';
  const level = v6 ? 41 : 0; // IPPROTO_IPV6 / IPPROTO_IP
  const optname = v6 ? 35 : 17; // IPV6_XFRM_POLICY / IP_XFRM_POLICY
  // struct xfrm_userpolicy_info (168 bytes): selector (56, zero but for its family, which the
  // kernel validates), lifetime_cfg (byte/packet limits XFRM_INF, seconds 0), lifetime_cur (32, zero), priority, index, dir, action
  // (0 = ALLOW), flags, share, 4 bytes padding. No templates = bypass.
  const bypassCode =
    opts.bypass === false
      ? ''
      : `for my $d (0, 1) { my $p = pack("x40 S x14 Q4 Q4 x32 L L C C C C x4", ${v6 ? 10 : 2}, (~0) x 4, (0) x 4, 0, 0, $d, 0, 0, 0); ` +
        `setsockopt($s, ${level}, ${optname}, $p) or die "XFRM_POLICY dir $d: $!"; } `;
  const script = v6
    ? `use Socket qw(:all); socket(my $s, PF_INET6, SOCK_DGRAM, 17) or die "socket: $!"; ` +
      `setsockopt($s, 17, 100, pack("i", 2)) or die "UDP_ENCAP: $!"; ${bypassCode}` +
      `bind($s, pack_sockaddr_in6(${port}, IN6ADDR_ANY)) or die "bind: $!"; $| = 1; print "ready\\n"; <STDIN>;`
    : `use Socket; socket(my $s, PF_INET, SOCK_DGRAM, 17) or die "socket: $!"; ` +
      `setsockopt($s, 17, 100, pack("i", 2)) or die "UDP_ENCAP: $!"; ${bypassCode}` +
      `bind($s, pack_sockaddr_in(${port}, INADDR_ANY)) or die "bind: $!"; $| = 1; print "ready\\n"; <STDIN>;`;
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns, 'perl', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`udpEncapSocket(${ns}, ${port}): no answer; ${err}`)), 10_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`udpEncapSocket(${ns}, ${port}) exited ${code}: ${err}`));
    });
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.on('exit', () => resolve());
        child.stdin!.end();
      }),
  };
}
