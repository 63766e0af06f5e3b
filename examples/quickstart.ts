/**
 * Quick start: an SA pair and a policy, events, and replay state — the README example.
 * Needs root and an existing namespace (`ip netns add blue`); `npm test` type-checks it.
 */
import { AF_INET, IPPROTO_ESP, XFRM_MODE_TUNNEL, XFRM_POLICY_OUT, XfrmClient, template } from '../src/index.js';

export async function quickstart(netns = 'blue'): Promise<void> {
  const xfrm = XfrmClient.open({ netns }); // needs CAP_NET_ADMIN
  const key = Buffer.from('00112233445566778899aabbccddeeff01020304', 'hex');
  for (const [src, dst, spi] of [
    ['192.0.2.1', '192.0.2.2', 0x1001],
    ['192.0.2.2', '192.0.2.1', 0x1002],
  ] as const) {
    await xfrm.addState({
      saddr: src,
      daddr: dst,
      spi,
      proto: IPPROTO_ESP,
      mode: XFRM_MODE_TUNNEL,
      reqid: 1,
      aead: { name: 'rfc4106(gcm(aes))', key, icvLen: 128 },
      replayEsn: { bmpLen: 4, replayWindow: 128, oseq: 0, seq: 0, oseqHi: 0, seqHi: 0, bmp: [0, 0, 0, 0] },
    });
  }
  await xfrm.addPolicy({
    selector: {
      daddr: '192.0.2.2',
      saddr: '192.0.2.1',
      prefixlenD: 32,
      prefixlenS: 32,
      family: AF_INET,
      dport: 0,
      dportMask: 0,
      sport: 0,
      sportMask: 0,
      proto: 0,
      ifindex: 0,
      user: 0,
    },
    dir: XFRM_POLICY_OUT,
    templates: [template({ proto: IPPROTO_ESP, saddr: '192.0.2.1', daddr: '192.0.2.2', reqid: 1, mode: XFRM_MODE_TUNNEL })],
  });
  const events = xfrm.events(['acquire', 'expire']);
  void (async () => {
    for await (const ev of events) {
      if (ev.kind === 'acquire') console.log('acquire seq', ev.acquire.seq);
      if (ev.kind === 'overrun') console.log('events lost: resynchronise with listStates()');
    }
  })();
  const id = { daddr: '192.0.2.2', spi: 0x1001, proto: IPPROTO_ESP };
  const ae = await xfrm.getReplayState(id);
  if (ae.replayEsn) await xfrm.setReplayState(id, { replayEsn: { ...ae.replayEsn, oseq: ae.replayEsn.oseq + 1000 } });
  events.close();
  xfrm.close();
}
