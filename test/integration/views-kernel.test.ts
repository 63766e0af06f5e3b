/**
 * Dump views against the host's real kernel, in a network namespace of its own (deleted in
 * afterAll; skipped with a loud banner without root or the shim): forEachPolicy sees exactly
 * what getPolicies returns over many real dump datagrams, and a view kept past its datagram —
 * whose bytes the socket's receive buffer has since been overwritten with — throws
 * XfrmViewExpiredError. The host kernel has no ESP, so SAs are covered by the fake kernel
 * and the UML captures (test/client/views.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { template, XfrmClient, XfrmViewExpiredError, type XfrmPolicy, type XfrmPolicyView } from '../../src/client/index.js';
import { AF_INET, AF_INET6, IPPROTO_ESP, XFRM_MODE_TUNNEL, XFRM_POLICY_IN, XFRM_POLICY_OUT } from '../../src/xfrm/constants.js';
import { hostKernelTests } from '../helpers/netns.js';

const canRun = hostKernelTests('test/integration/views-kernel.test.ts');
const ns = `nlx-views-${randomBytes(4).toString('hex')}`;
const N = 3000;

const any = { dport: 0, dportMask: 0, sport: 0, sportMask: 0, proto: 0, ifindex: 0, user: 0 };
function inputs() {
  return Array.from({ length: N }, (_, i) => {
    const v6 = i % 3 === 0;
    const selector = v6
      ? { ...any, family: AF_INET6, saddr: '2001:db8::1', daddr: `2001:db8:1::${(i + 1).toString(16)}`, prefixlenS: 128, prefixlenD: 128 }
      : { ...any, family: AF_INET, saddr: '192.0.2.1', daddr: `10.0.${(i >> 8) & 255}.${i & 255}`, prefixlenS: 32, prefixlenD: 32 };
    return {
      selector,
      dir: i % 2 === 0 ? XFRM_POLICY_OUT : XFRM_POLICY_IN,
      priority: i,
      ...(i % 5 === 0 ? { mark: { v: i, m: 0xffffffff } } : {}),
      templates: [template({ proto: IPPROTO_ESP, saddr: v6 ? '2001:db8::1' : '192.0.2.1', daddr: v6 ? '2001:db8::2' : '192.0.2.2', reqid: i, mode: XFRM_MODE_TUNNEL })],
    };
  });
}

describe.skipIf(!canRun)('dump views on the real kernel', () => {
  let client: XfrmClient;
  beforeAll(async () => {
    execFileSync('ip', ['netns', 'add', ns]);
    client = XfrmClient.open({ netns: ns });
    const results = await client.addPolicies(inputs());
    expect(results.filter((r) => !r.ok)).toEqual([]);
  });
  afterAll(() => {
    client?.close();
    try {
      execFileSync('ip', ['netns', 'del', ns]);
    } catch {
      /* already gone */
    }
  });

  test('forEachPolicy: the same policies as getPolicies, over many datagrams, every getter equal', async () => {
    const listed = await client.getPolicies();
    expect(listed).toHaveLength(N);
    const seen: XfrmPolicy[] = [];
    const d0 = client.socket.stats.datagrams;
    let mismatches = 0;
    const n = await client.forEachPolicy((p) => {
      const want = listed[seen.length]!;
      if (p.index !== want.index || p.dir !== want.dir || p.priority !== want.priority || p.selector.daddr !== want.selector.daddr || p.selector.prefixlenD !== want.selector.prefixlenD) mismatches++;
      seen.push(p.toObject());
    });
    expect(n).toBe(N);
    expect(mismatches).toBe(0);
    expect(seen).toEqual(listed);
    expect(client.socket.stats.datagrams - d0).toBeGreaterThan(10);
  });

  test('a view kept from the first datagram throws XfrmViewExpiredError once the next one arrived', async () => {
    let first: XfrmPolicyView | undefined;
    let firstIndex = 0;
    let sawExpired = false;
    let i = 0;
    await client.forEachPolicy((p) => {
      if (i++ === 0) {
        first = p;
        firstIndex = p.index;
      } else if (!first!.valid && !sawExpired) {
        sawExpired = true;
        expect(() => first!.index).toThrow(XfrmViewExpiredError);
        expect(() => first!.selector).toThrow(XfrmViewExpiredError);
      } else if (first!.valid) {
        expect(first!.index).toBe(firstIndex);
      }
    });
    expect(sawExpired).toBe(true);
    expect(() => first!.toObject()).toThrow(XfrmViewExpiredError);
  });
});
