/**
 * `demo`: the motivating case end to end, narrated. As root, in two throwaway network
 * namespaces joined by a veth pair (TEST-NET-1 addresses, only inside those namespaces):
 * ESP SAs (rfc4106(gcm(aes)), ESN, 128-packet window) and policies both ways, a ping, the
 * replay counters, a snapshot, a simulated failover (every SA of one side deleted), a
 * restore with a sequence margin, counters continuing above the saved values, another ping.
 * The namespaces are always removed. On a kernel without ESP the demo re-runs itself inside
 * a user-mode-linux guest when one is installed.
 * @module
 */
import { quoteSafe } from '../netlink/secret.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type XfrmClient } from '../client/client.js';
import { restore, snapshot } from '../client/ha.js';
import { template } from '../client/policy.js';
import { type XfrmStateInput } from '../client/state.js';
import { NetlinkKernelError } from '../netlink/errors.js';
import { packageRoot } from '../socket/native.js';
import {
  AF_INET,
  IPPROTO_ESP,
  XFRM_MODE_TRANSPORT,
  XFRM_POLICY_IN,
  XFRM_POLICY_OUT,
  XFRM_STATE_ESN,
} from '../xfrm/constants.js';
import { esnInboundSeq, esnOutboundSeq } from '../xfrm/replay.js';
import { takeOptions, usageError } from './args.js';
import { type CommandContext } from './context.js';
import { CommandError, errorText, isMissingModule } from './errors.js';
import { CliError, EXIT_IO, EXIT_KERNEL } from './exit-codes.js';
import { formatPolicy, formatState } from './format.js';
import { runInUmlGuest, signalExitStatus, thisHost, umlUnavailableReason, type UmlHost } from './uml.js';
import { USAGE } from './usage.js';

const NS_A = 'nlx-demo-a';
const NS_B = 'nlx-demo-b';
const ADDR_A = '192.0.2.1';
const ADDR_B = '192.0.2.2';
const SPI_AB = 0x0000a001;
const SPI_BA = 0x0000b001;
const WINDOW = 128;
const MARGIN = 1000;
const AEAD = 'rfc4106(gcm(aes))';

/**
 * The kernel cannot hold the demo's SA: no ESP ("Requested type not found",
 * EPROTONOSUPPORT) or no rfc4106(gcm(aes)) ("Requested AEAD algorithm not found", ENOSYS —
 * the kernel checks the algorithm before the protocol, so a kernel without either says this).
 */
export function isNoEsp(e: unknown): boolean {
  return e instanceof NetlinkKernelError && isMissingModule(e);
}

class NoEsp extends Error {
  constructor(readonly kernelError: unknown) {
    super('no ESP in this kernel');
  }
}

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function nsExists(name: string): boolean {
  return existsSync(`/run/netns/${name}`);
}

function sa(src: string, dst: string, spi: number, reqid: number, key: Uint8Array): XfrmStateInput {
  return {
    saddr: src,
    daddr: dst,
    spi,
    proto: IPPROTO_ESP,
    mode: XFRM_MODE_TRANSPORT,
    reqid,
    flags: XFRM_STATE_ESN,
    aead: { name: AEAD, key, icvLen: 128 },
    replayEsn: { bmpLen: WINDOW / 32, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, replayWindow: WINDOW, bmp: new Array(WINDOW / 32).fill(0) },
  };
}

function hostPolicies(local: string, remote: string, outReqid: number, inReqid: number) {
  const sel = (s: string, d: string) => ({
    saddr: s,
    daddr: d,
    prefixlenS: 32,
    prefixlenD: 32,
    family: AF_INET,
    sport: 0,
    sportMask: 0,
    dport: 0,
    dportMask: 0,
    proto: 0,
    ifindex: 0,
    user: 0,
  });
  return [
    { selector: sel(local, remote), dir: XFRM_POLICY_OUT, templates: [template({ proto: IPPROTO_ESP, reqid: outReqid, mode: XFRM_MODE_TRANSPORT })] },
    { selector: sel(remote, local), dir: XFRM_POLICY_IN, templates: [template({ proto: IPPROTO_ESP, reqid: inReqid, mode: XFRM_MODE_TRANSPORT })] },
  ];
}

function ping(ns: string, count: number): { ok: boolean; summary: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'ping', '-n', '-c', String(count), '-i', '0.2', '-W', '1', ADDR_B], { encoding: 'utf8' });
  const line = (r.stdout ?? '').split('\n').find((l) => /packets transmitted/.test(l)) ?? (r.stderr || r.stdout || '').trim();
  return { ok: r.status === 0, summary: line.trim() };
}

async function counters(a: XfrmClient, b: XfrmClient): Promise<{ aOut: bigint; bIn: bigint; bOut: bigint; aIn: bigint }> {
  const ab = { daddr: ADDR_B, spi: SPI_AB, proto: IPPROTO_ESP };
  const ba = { daddr: ADDR_A, spi: SPI_BA, proto: IPPROTO_ESP };
  const [aOut, bIn, bOut, aIn] = await Promise.all([a.getReplayState(ab), b.getReplayState(ab), b.getReplayState(ba), a.getReplayState(ba)]);
  return {
    aOut: esnOutboundSeq(aOut.replayEsn!),
    bIn: esnInboundSeq(bIn.replayEsn!),
    bOut: esnOutboundSeq(bOut.replayEsn!),
    aIn: esnInboundSeq(aIn.replayEsn!),
  };
}

/** The demo proper, in this kernel. @throws NoEsp when the first SA cannot be added for lack of ESP. */
async function runDemo(ctx: CommandContext, say: (s?: string) => void): Promise<void> {
  const showKeys = ctx.opts.showKeys;
  for (const ns of [NS_A, NS_B]) {
    if (nsExists(ns)) {
      throw new CliError(`network namespace ${ns} already exists (left over from an interrupted demo?): remove it with \`ip netns del ${ns}\``, EXIT_IO);
    }
  }
  let made: string[] = [];
  let a: XfrmClient | undefined;
  let b: XfrmClient | undefined;
  const removeNamespaces = (): void => {
    for (const ns of made) {
      try {
        ip(['netns', 'del', ns]);
      } catch (e) {
        ctx.env.err(`netlink-xfrm: demo: could not remove network namespace ${ns}: ${(e as Error).message}\n`);
      }
    }
    if (made.length > 0) say(`== cleanup: removed network namespaces ${made.join(', ')}`);
    made = [];
  };
  // Interrupted? Remove the namespaces before leaving (a signal skips `finally`).
  const onSignal = (sig: NodeJS.Signals): void => {
    ctx.env.err(`\nnetlink-xfrm: demo: interrupted (${sig})\n`);
    removeNamespaces();
    process.exit(signalExitStatus(sig));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    say(`== 1. Two throwaway network namespaces, ${NS_A} (${ADDR_A}) and ${NS_B} (${ADDR_B}), joined by a veth pair`);
    for (const ns of [NS_A, NS_B]) {
      ip(['netns', 'add', ns]);
      made.push(ns);
    }
    ip(['link', 'add', 'nlx-va', 'netns', NS_A, 'type', 'veth', 'peer', 'name', 'nlx-vb', 'netns', NS_B]);
    ip(['-n', NS_A, 'addr', 'add', `${ADDR_A}/24`, 'dev', 'nlx-va']);
    ip(['-n', NS_B, 'addr', 'add', `${ADDR_B}/24`, 'dev', 'nlx-vb']);
    for (const [ns, dev] of [
      [NS_A, 'nlx-va'],
      [NS_B, 'nlx-vb'],
    ] as const) {
      ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      ip(['-n', ns, 'link', 'set', dev, 'up']);
    }
    a = ctx.env.openClient({ netns: NS_A });
    b = ctx.env.openClient({ netns: NS_B });

    say();
    say(`== 2. ESP SAs both ways: aead ${AEAD} (128-bit ICV), ESN, replay window ${WINDOW}; policies requiring them`);
    const keyAB = randomBytes(20); // 16-byte AES key + 4-byte salt
    const keyBA = randomBytes(20);
    const sas = [sa(ADDR_A, ADDR_B, SPI_AB, 1, keyAB), sa(ADDR_B, ADDR_A, SPI_BA, 2, keyBA)];
    try {
      await a.addState(sas[0]!);
    } catch (e) {
      if (isNoEsp(e)) throw new NoEsp(e);
      throw new CommandError(e, { command: 'demo: state add' });
    }
    try {
      await a.addState(sas[1]!);
      for (const s of sas) await b.addState(s);
      for (const p of hostPolicies(ADDR_A, ADDR_B, 1, 2)) await a.addPolicy(p);
      for (const p of hostPolicies(ADDR_B, ADDR_A, 2, 1)) await b.addPolicy(p);
    } catch (e) {
      throw new CommandError(e, { command: 'demo: install' });
    }
    say(`   installed 2 SAs and 2 policies in each namespace. ${NS_A} now holds:`);
    for await (const s of a.listStates()) say(indent(formatState(s, { showKeys })));
    for await (const p of a.listPolicies()) say(indent(formatPolicy(p)));
    say();

    say(`== 3. Traffic: ping ${ADDR_B} from ${NS_A}, 5 packets (ESP both ways)`);
    const p1 = ping(NS_A, 5);
    say(`   ${p1.summary}`);
    if (!p1.ok) throw new CliError('demo: the ping over ESP failed', EXIT_KERNEL);

    say();
    say('== 4. Replay counters (XFRM_MSG_GETAE): oseq = last sequence number sent, seq = highest received');
    const c1 = await counters(a, b);
    say(`   A->B spi 0x${SPI_AB.toString(16)}: ${NS_A} oseq ${c1.aOut}, ${NS_B} seq ${c1.bIn}`);
    say(`   B->A spi 0x${SPI_BA.toString(16)}: ${NS_B} oseq ${c1.bOut}, ${NS_A} seq ${c1.aIn}`);

    say();
    say(`== 5. Snapshot of ${NS_A}'s SAs (keys, ESN replay state, lifetime counters) as JSON`);
    const snap = await snapshot(a);
    say(`   ${snap.states.length} SAs, ${JSON.stringify(snap).length} bytes of JSON (it holds the keys: store it like key material)`);

    say();
    say(`== 6. Failover: ${NS_A} loses every SA (state flush); its traffic stops`);
    await a.flushStates();
    say(`   SAs left in ${NS_A}: ${(await a.countStates()).count}`);
    const p2 = ping(NS_A, 1);
    say(`   ${p2.summary}${p2.ok ? '' : '  (expected: no SA for the policy)'}`);

    say();
    say(`== 7. Restore the snapshot with an outbound sequence margin of ${MARGIN}`);
    const results = await restore(a, snap, { outboundSeqMargin: MARGIN });
    for (const r of results) {
      if (r.status === 'restored') say(`   restored spi 0x${r.id.spi.toString(16)} dst ${r.id.daddr}: oseq ${r.oseq}`);
      else if (r.status === 'skipped') say(`   skipped spi 0x${r.id.spi.toString(16)} dst ${r.id.daddr}: ${r.reason}`);
      else throw new CommandError(r.error, { command: 'demo: restore' });
    }
    const c2 = await counters(a, b);
    say(`   ${NS_A} A->B oseq: saved ${c1.aOut}, now ${c2.aOut} (the next packet carries ${c2.aOut + 1n}, above anything sent before)`);
    say(`   ${NS_A} B->A seq:  saved ${c1.aIn}, now ${c2.aIn} (the inbound window still rejects replays of 1..${c2.aIn})`);

    say();
    say('== 8. Traffic again: 5 more packets');
    const p3 = ping(NS_A, 5);
    say(`   ${p3.summary}`);
    const c3 = await counters(a, b);
    say(`   A->B: ${NS_A} oseq ${c3.aOut}, ${NS_B} seq ${c3.bIn} — the peer accepted the jump from ${c1.bIn} to ${c3.bIn}`);
    say(`   B->A: ${NS_B} oseq ${c3.bOut}, ${NS_A} seq ${c3.aIn} — continued from the restored window`);
    if (!p3.ok) throw new CliError('demo: the ping after the restore failed', EXIT_KERNEL);
    if (c3.aOut <= c1.aOut + BigInt(MARGIN) || c3.bIn !== c3.aOut) throw new CliError('demo: the counters did not continue as expected', EXIT_KERNEL);
    say();
    say('demo complete: the restored SAs continued above the saved sequence numbers and the peer accepted them.');
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    a?.close();
    b?.close();
    removeNamespaces();
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => '   ' + l.replace(/\t/g, '    '))
    .join('\n');
}

/** The built CLI the guest runs: this one when it is `cli.js`, else the package's `dist/cli.js`. */
function guestCli(): string | undefined {
  const self = process.argv[1];
  if (self && /cli\.c?js$/.test(self) && existsSync(self)) return self;
  const root = packageRoot();
  const dist = root ? join(root, 'dist', 'cli.js') : undefined;
  return dist && existsSync(dist) ? dist : undefined;
}

/**
 * After this kernel refused ESP: run the demo again inside a user-mode-linux guest
 * (`<node> <cli> demo --in-guest [--show-keys]`), or say why it cannot be done.
 * @returns the exit code (the guest's, or EXIT_KERNEL when no guest can run).
 * @throws {@link CliError} (EXIT_IO) when the built CLI is not found.
 */
export async function demoInGuest(
  ctx: CommandContext,
  say: (s?: string) => void,
  host: UmlHost = thisHost(),
  findCli: () => string | undefined = guestCli,
): Promise<number> {
  const why = umlUnavailableReason(host);
  if (why !== undefined) {
    say(`!! A user-mode-linux kernel with ESP could run the demo instead, but ${why}.`);
    say('!! Fix that and run the demo again.');
    return EXIT_KERNEL;
  }
  const cli = findCli();
  if (cli === undefined) {
    throw new CliError('demo: dist/cli.js not found: run `npm run build` first, the UML guest runs the built CLI', EXIT_IO);
  }
  say('!! Running the demo again inside a user-mode-linux guest (Debian linux.uml, with ESP); booting takes a few seconds.');
  say('!! The guest prints its output when it has finished.');
  say();
  const argv = [process.execPath, cli, 'demo', '--in-guest', ...(ctx.opts.showKeys ? ['--show-keys'] : [])];
  // A shim named by the environment is the one the guest must load too (run.sh starts the command with a clean environment).
  const shim = host.env.NETLINK_XFRM_SHIM;
  return runInUmlGuest({ command: argv, out: ctx.env.out, err: ctx.env.err, ...(shim ? { env: { NETLINK_XFRM_SHIM: shim } } : {}) }, host);
}

/** `demo [--in-guest] [--no-uml]`. */
export async function demoCommand(ctx: CommandContext, words: string[]): Promise<number> {
  const { rest, options } = takeOptions(words, { '--in-guest': 'flag', '--no-uml': 'flag' }, USAGE.demo);
  if (rest.length > 0) throw usageError(`unexpected ${quoteSafe(rest[0])}`, USAGE.demo);
  const say = (s = ''): void => ctx.env.out(s + '\n');
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new CliError('demo: needs root (it creates network namespaces and SAs): run it with sudo', EXIT_IO);
  }
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    throw new CliError('demo: needs the `ip` command (apt-get install iproute2)', EXIT_IO);
  }
  const kernel = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
  say(`netlink-xfrm demo on Linux ${kernel}${options.has('--in-guest') ? ' (user-mode-linux guest)' : ''}`);
  say();
  try {
    await runDemo(ctx, say);
    return 0;
  } catch (e) {
    if (!(e instanceof NoEsp)) throw e;
    say();
    say(`!! This kernel (${kernel}) cannot run ESP with ${AEAD}: adding the first SA failed with`);
    say(`!!   ${errorText(e.kernelError)}`);
    // Inside the guest (or when asked not to) there is no further fallback.
    if (options.has('--in-guest') || options.has('--no-uml')) return EXIT_KERNEL;
    return demoInGuest(ctx, say);
  }
}
