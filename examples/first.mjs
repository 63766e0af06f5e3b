// netlink-xfrm, first example: one ESP SA and the policy that sends traffic through it,
// read back and removed again. Needs CAP_NET_ADMIN and a kernel with ESP (module esp4).
// Run it in a throwaway namespace: sudo ip netns add try && sudo ip netns exec try node first.mjs
import { AF_INET, IPPROTO_ESP, XFRM_MODE_TUNNEL, XFRM_POLICY_OUT, XFRM_STATE_ESN, XfrmClient, anySelector, template } from 'netlink-xfrm';

const xfrm = XfrmClient.open(); // the socket works in this process's network namespace
const id = { daddr: '192.0.2.2', spi: 0x1001, proto: IPPROTO_ESP }; // an SA's identity
const policyId = { selector: { ...anySelector(AF_INET), daddr: '198.51.100.0', prefixlenD: 24 }, dir: XFRM_POLICY_OUT };
try {
  await xfrm.addState({
    ...id,
    saddr: '192.0.2.1',
    mode: XFRM_MODE_TUNNEL,
    reqid: 1,
    flags: XFRM_STATE_ESN, // 64-bit sequence numbers, window of 128 packets
    aead: { name: 'rfc4106(gcm(aes))', key: Buffer.from('00112233445566778899aabbccddeeff01020304', 'hex'), icvLen: 128 },
    replayEsn: { bmpLen: 4, replayWindow: 128, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, bmp: [0, 0, 0, 0] },
  });
  // Traffic from anywhere to 198.51.100.0/24 leaves through the SA with reqid 1.
  await xfrm.addPolicy({
    ...policyId,
    templates: [template({ proto: IPPROTO_ESP, saddr: '192.0.2.1', daddr: '192.0.2.2', reqid: 1, mode: XFRM_MODE_TUNNEL })],
  });

  const sa = await xfrm.getState(id);
  console.log(`SA ${sa.saddr} -> ${sa.daddr} spi 0x${sa.spi.toString(16)} ${sa.aead?.name} key ${sa.aead?.key}`); // keys print redacted
  const policy = await xfrm.getPolicy(policyId);
  console.log(`policy out to ${policy.selector.daddr}/${policy.selector.prefixlenD} via reqid ${policy.templates[0]?.reqid}, index ${policy.index}`);
  const { replayEsn } = await xfrm.getReplayState(id);
  console.log(`replay: last sent ${replayEsn?.oseq}, last received ${replayEsn?.seq}, window ${replayEsn?.replayWindow}`);

  await xfrm.deletePolicy(policyId);
  await xfrm.deleteState(id);
  console.log('deleted the policy and the SA');
} finally {
  xfrm.close();
}
