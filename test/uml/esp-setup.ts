/**
 * Shared setup of the guest test files: fixed keys, a pair of SAs (A→B and B→A) installed on
 * both namespaces with matching policies, read-back comparison, event collection.
 * Not a test file itself (the guest config only runs `*.guest.ts`).
 */
import { expect } from 'vitest';
import { XfrmClient } from '../../src/client/client.js';
import { type XfrmEvent, type XfrmEventGroup } from '../../src/client/events.js';
import { template, type XfrmPolicyInput } from '../../src/client/policy.js';
import { type XfrmSnapshot } from '../../src/client/ha.js';
import { completeState, stateToAttrs, stateToUsersaInfo, type XfrmState, type XfrmStateInput } from '../../src/client/state.js';
import { xfrmMessageToJson } from '../../src/xfrm/json.js';
import {
  AF_INET,
  AF_INET6,
  IPPROTO_ESP,
  XFRM_MODE_TUNNEL,
  XFRM_POLICY_IN,
  XFRM_POLICY_OUT,
} from '../../src/xfrm/constants.js';
import { type XfrmEncapTmpl } from '../../src/xfrm/structs/encap-tmpl.js';
import { type XfrmSelector } from '../../src/xfrm/structs/selector.js';
import { type NsPair, type NsSide } from '../helpers/netns.js';

/** Deterministic key bytes: `n` bytes starting at `seed`. */
export function key(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (seed + i * 7) & 0xff);
}

/** Fixed keys used by every guest test. */
export const KEYS = {
  aes128: key(16, 0x10),
  sha256: key(32, 0x20),
  sha1: key(20, 0x30),
  /** AES-128 key + 4-byte salt for rfc4106(gcm(aes)). */
  gcm128: key(20, 0x40),
  /** ChaCha20 key + 4-byte salt for rfc7539esp(chacha20,poly1305). */
  chacha: key(36, 0x50),
};

/** Address of a side in the chosen family. */
export function addr(side: NsSide, family: 'v4' | 'v6'): string {
  return family === 'v4' ? side.v4 : side.v6;
}

/** A selector for exactly `src` → `dst` (all protocols). */
export function hostSelector(src: string, dst: string): XfrmSelector {
  const v6 = src.includes(':');
  const plen = v6 ? 128 : 32;
  return {
    saddr: src,
    daddr: dst,
    sport: 0,
    sportMask: 0,
    dport: 0,
    dportMask: 0,
    family: v6 ? AF_INET6 : AF_INET,
    prefixlenS: plen,
    prefixlenD: plen,
    proto: 0,
    ifindex: 0,
    user: 0,
  };
}

/** What an SA pair between A and B looks like. */
export interface PairSpec {
  family: 'v4' | 'v6';
  proto: number;
  mode: number;
  reqid: number;
  /** SPI of the A→B SA. */
  spiAB: number;
  /** SPI of the B→A SA. */
  spiBA: number;
  /** Algorithms (auth/crypt, aead or comp). */
  algs: Pick<XfrmStateInput, 'auth' | 'crypt' | 'aead' | 'comp'>;
  /** Fields set on all four SA copies (replay, flags, lifetime, tfcpad…). */
  common?: Partial<XfrmStateInput>;
  /** Fields set only on A's copy of the A→B SA (its outbound SA): mark, output mark… */
  aOut?: Partial<XfrmStateInput>;
  /** Fields set only on A's OUT policy (e.g. the mark matching `aOut.mark`). */
  aOutPolicy?: Partial<XfrmPolicyInput>;
  /** NAT-T encapsulation per direction (B's copy of A→B gets `ab`, unless `abAtB` is given). */
  encap?: { ab: XfrmEncapTmpl; ba: XfrmEncapTmpl; abAtA?: XfrmEncapTmpl };
  /**
   * The IN policies' templates are optional (`level use`): IPComp sends packets below its
   * threshold uncompressed. (The kernel refuses optional tunnel-mode templates in OUT
   * policies: "Mode in optional template not allowed in outbound policy".)
   */
  optional?: boolean;
  /** Skip the policies (only SAs). */
  noPolicies?: boolean;
}

/** The four SA copies of a pair: `aOut` (A→B in A), `bIn` (A→B in B), `bOut`, `aIn`. */
/** AES-GCM (rfc4106, 128-bit ICV): the algorithm of every test that is not about algorithms. */
export const GCM = { aead: { name: 'rfc4106(gcm(aes))', key: KEYS.gcm128, icvLen: 128 } };

/** An IPv4 ESP tunnel pair with GCM and a legacy window of 32; SPIs derived from `reqid`. */
export function gcmTunnelSpec(reqid: number, extra: Partial<PairSpec> = {}): PairSpec {
  return {
    family: 'v4',
    proto: IPPROTO_ESP,
    mode: XFRM_MODE_TUNNEL,
    reqid,
    spiAB: (reqid << 8) | 1,
    spiBA: (reqid << 8) | 2,
    algs: GCM,
    common: { replayWindow: 32 },
    ...extra,
  };
}

export interface PairStates {
  aOut: XfrmStateInput;
  bIn: XfrmStateInput;
  bOut: XfrmStateInput;
  aIn: XfrmStateInput;
}

/** The SA inputs of a pair. */
export function pairStates(pair: NsPair, spec: PairSpec): PairStates {
  const a = addr(pair.a, spec.family);
  const b = addr(pair.b, spec.family);
  const base = (src: string, dst: string, spi: number): XfrmStateInput => ({
    saddr: src,
    daddr: dst,
    spi,
    proto: spec.proto,
    mode: spec.mode,
    reqid: spec.reqid,
    selector: hostSelector(src, dst),
    ...spec.algs,
    ...spec.common,
  });
  const ab = base(a, b, spec.spiAB);
  const ba = base(b, a, spec.spiBA);
  const encAB = spec.encap ? { encap: spec.encap.ab } : {};
  const encABatA = spec.encap ? { encap: spec.encap.abAtA ?? spec.encap.ab } : {};
  const encBA = spec.encap ? { encap: spec.encap.ba } : {};
  return {
    aOut: { ...ab, ...encABatA, ...spec.aOut },
    bIn: { ...ab, ...encAB },
    bOut: { ...ba, ...encBA },
    aIn: { ...ba, ...encBA },
  };
}

/** The policies of one side (OUT towards the peer, IN from it). */
export function pairPolicies(pair: NsPair, spec: PairSpec): { a: XfrmPolicyInput[]; b: XfrmPolicyInput[] } {
  const a = addr(pair.a, spec.family);
  const b = addr(pair.b, spec.family);
  const tmpl = (src: string, dst: string, optional: boolean) =>
    template({ proto: spec.proto, saddr: src, daddr: dst, reqid: spec.reqid, mode: spec.mode, optional });
  const pol = (src: string, dst: string, dir: number, extra: Partial<XfrmPolicyInput> = {}): XfrmPolicyInput => ({
    selector: hostSelector(src, dst),
    dir,
    templates: [tmpl(src, dst, dir === XFRM_POLICY_IN && (spec.optional ?? false))],
    ...extra,
  });
  return {
    a: [pol(a, b, XFRM_POLICY_OUT, spec.aOutPolicy), pol(b, a, XFRM_POLICY_IN)],
    b: [pol(b, a, XFRM_POLICY_OUT), pol(a, b, XFRM_POLICY_IN)],
  };
}

/** Install the four SAs and the policies of a pair. */
export async function installPair(ca: XfrmClient, cb: XfrmClient, pair: NsPair, spec: PairSpec): Promise<PairStates> {
  const st = pairStates(pair, spec);
  await ca.addState(st.aOut);
  await ca.addState(st.aIn);
  await cb.addState(st.bOut);
  await cb.addState(st.bIn);
  if (!spec.noPolicies) {
    const pols = pairPolicies(pair, spec);
    for (const p of pols.a) await ca.addPolicy(p);
    for (const p of pols.b) await cb.addPolicy(p);
  }
  return st;
}

/** Remove every SA and policy of one side. */
export async function resetSide(c: XfrmClient): Promise<void> {
  await c.flushPolicies();
  await c.flushStates();
}

/** The identity of an SA input, for getState/getReplayState. */
export function idOf(s: XfrmStateInput): { daddr: string; spi: number; proto: number; mark?: { v: number; m: number } } {
  return { daddr: s.daddr, spi: s.spi, proto: s.proto, ...(s.mark ? { mark: s.mark } : {}) };
}

/** The fields of a read-back SA that correspond to the ones written. */
const COMPARED: readonly (keyof XfrmState)[] = [
  'family', 'saddr', 'daddr', 'spi', 'proto', 'mode', 'reqid', 'flags', 'replayWindow', 'selector', 'lifetime',
  'auth', 'crypt', 'aead', 'comp', 'encap', 'replay', 'replayEsn', 'mark', 'outputMark', 'ifId', 'tfcpad',
];

/**
 * Expect `got` (from getState) to equal `written` in every field written plus the defaults
 * `completeState` filled in. `adjust` lets a test state a documented difference (e.g. the
 * kernel's default truncation of an `XFRMA_ALG_AUTH` algorithm).
 */
export function expectReadBack(got: XfrmState, written: XfrmStateInput, adjust: Partial<XfrmState> = {}): void {
  const want = { ...completeState(written), ...adjust } as XfrmState;
  const pick = (s: XfrmState, keys: readonly (keyof XfrmState)[]) => {
    const o: Record<string, unknown> = {};
    for (const k of keys) if (s[k] !== undefined) o[k] = k === 'auth' || k === 'crypt' || k === 'aead' ? plainAlg(s[k]) : s[k];
    return o;
  };
  // compare the written fields; fields the kernel adds by itself (e.g. replay state of an SA
  // written without one) are compared only when written
  const keys = COMPARED.filter((k) => want[k] !== undefined);
  expect(pick(got, keys)).toEqual(pick(want, keys));
}

function plainAlg(a: unknown): unknown {
  const o = { ...(a as Record<string, unknown>) };
  if (o.key instanceof Uint8Array) o.key = Buffer.from(o.key as Uint8Array).toString('hex');
  return o;
}

/** Collects events of a stream in the background; `waitFor` resolves with the first match. */
export class EventCollector {
  readonly events: XfrmEvent[] = [];
  private readonly stream: ReturnType<XfrmClient['events']>;
  private wake: (() => void) | undefined;
  private done = false;
  private failure: unknown;

  constructor(client: XfrmClient, groups: readonly XfrmEventGroup[]) {
    this.stream = client.events(groups);
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const r = await this.stream.next();
        if (r.done) break;
        this.events.push(r.value);
        this.wake?.();
      }
    } catch (e) {
      this.failure = e;
    } finally {
      this.done = true;
      this.wake?.();
    }
  }

  /** The first event (already received or arriving within `timeoutMs`) that satisfies `pred`. */
  async waitFor<K extends XfrmEvent['kind']>(
    pred: (e: XfrmEvent) => e is Extract<XfrmEvent, { kind: K }>,
    timeoutMs = 5000,
    what = 'event',
  ): Promise<Extract<XfrmEvent, { kind: K }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      if (this.failure) throw this.failure;
      if (this.done) throw new Error(`event stream ended while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no ${what} within ${timeoutMs} ms; got: ${this.events.map((e) => e.kind).join(', ') || 'nothing'}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Events of a kind received so far. */
  ofKind<K extends XfrmEvent['kind']>(kind: K): Extract<XfrmEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<XfrmEvent, { kind: K }> => e.kind === kind);
  }

  /** Forget the events received so far. */
  clear(): void {
    this.events.length = 0;
  }

  /** Close the subscription socket. */
  async close(): Promise<void> {
    await this.stream.return();
  }
}

/** Type guard factory: `is('expire', e => e.hard)`. */
export function is<K extends XfrmEvent['kind']>(kind: K, extra: (e: Extract<XfrmEvent, { kind: K }>) => boolean = () => true) {
  return (e: XfrmEvent): e is Extract<XfrmEvent, { kind: K }> => e.kind === kind && extra(e as Extract<XfrmEvent, { kind: K }>);
}

/** Sleep. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A snapshot as versions before the larval skip wrote it: every state given, larval ones
 * included, each as the keys-shown JSON form of its `XFRM_MSG_NEWSA`.
 */
export function olderSnapshot(states: readonly XfrmState[]): XfrmSnapshot {
  return {
    version: 1,
    takenAt: new Date().toISOString(),
    states: states.map((x) => ({
      sa: xfrmMessageToJson({ type: 'XFRM_MSG_NEWSA', flags: 0, seq: 0, pid: 0, body: stateToUsersaInfo(x), attrs: stateToAttrs(x, true) }, { showKeys: true }),
    })),
  };
}
