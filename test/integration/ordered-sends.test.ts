/**
 * The native shim's ordered `sendAsync` against the host's real kernel, in a network namespace
 * of its own: overlapping sends of one socket reach the kernel in call order (the batch queues
 * its next chunk while the kernel still handles the previous one), and a send of a chain
 * (a batch) after a failed one of that chain is not sent. Needs root and the native shim; otherwise skipped with a banner.
 */
import { describe, expect, test } from 'vitest';
import { NETLINK_XFRM, NLM_F_ACK, NLM_F_REQUEST } from '../../src/netlink/index.js';
import { openNativeTransport, type NativeTransport } from '../../src/socket/native.js';
import { decodeXfrmMessages, encodeXfrmMessages } from '../../src/xfrm/index.js';
import { newPolicy, policyId } from '../socket/xfrm-builders.js';
import { hostKernelTests, throwawayNetns } from '../helpers/netns.js';

const canRun = hostKernelTests('test/integration/ordered-sends.test.ts');

/** Every answer queued on `t` now: [seq, error] pairs (0: ACK, else -errno). */
function answers(t: NativeTransport): [number, number][] {
  const out: [number, number][] = [];
  const buf = new Uint8Array(1 << 16);
  for (let r = t.recv(buf); r !== null; r = t.recv(buf)) {
    for (const m of decodeXfrmMessages(buf.subarray(0, r.length))) {
      if (m.type === 'NLMSG_ERROR') out.push([m.seq, m.error]);
    }
  }
  return out;
}

function datagram(t: NativeTransport, seq: number, msg: unknown): Uint8Array {
  return encodeXfrmMessages([{ ...(msg as object), flags: NLM_F_REQUEST | NLM_F_ACK, seq, pid: t.portId } as never]);
}

const delPolicy = (i: number) => ({ type: 'XFRM_MSG_DELPOLICY', body: policyId(i), attrs: [] });

describe.skipIf(!canRun).sequential('ordered sendAsync (host kernel, netns)', () => {
  const ns = throwawayNetns();

  test('overlapping sends of one socket reach the kernel in call order', async () => {
    const t = openNativeTransport({ protocol: NETLINK_XFRM, netns: ns });
    try {
      expect(t.orderedSends).toBe(true);
      t.setsockoptInt(1, 8 /* SOL_SOCKET, SO_RCVBUF */, 1 << 20); // room for the 400 ACKs
      // Add and delete the same policy, 200 times, each in a datagram of its own, all queued
      // at once: any two swapped would fail (EEXIST or ENOENT).
      const sends: Promise<number>[] = [];
      for (let k = 0; k < 400; k++) sends.push(t.sendAsync(datagram(t, k + 1, k % 2 === 0 ? newPolicy(7) : delPolicy(7)), 1));
      await Promise.all(sends);
      expect(answers(t)).toEqual(Array.from({ length: 400 }, (_, k) => [k + 1, 0]));
    } finally {
      t.close();
    }
  });

  test('a send of a chain after a failed one is not sent (ECANCELED); sends of other chains or none are', async () => {
    const t = openNativeTransport({ protocol: NETLINK_XFRM, netns: ns });
    try {
      // Larger than the send buffer: sendmsg fails with EMSGSIZE before the kernel reads it.
      const tooBig = new Uint8Array(t.getsockoptInt(1, 7 /* SOL_SOCKET, SO_SNDBUF */) + 4096);
      const got = await Promise.allSettled([
        t.sendAsync(tooBig, 5),
        t.sendAsync(datagram(t, 1, newPolicy(1)), 5),
        t.sendAsync(datagram(t, 2, newPolicy(2)), 6),
        t.sendAsync(datagram(t, 3, newPolicy(3)), 5),
        t.sendAsync(datagram(t, 4, newPolicy(4))),
      ]);
      expect(got.map((g) => (g.status === 'fulfilled' ? 'sent' : (g.reason as { code: string }).code))).toEqual(['EMSGSIZE', 'ECANCELED', 'sent', 'ECANCELED', 'sent']);
      // Only the sends outside chain 5 reached the kernel.
      expect(answers(t)).toEqual([
        [2, 0],
        [4, 0],
      ]);
    } finally {
      t.close();
    }
  });
});
