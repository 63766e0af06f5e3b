/**
 * What test/platform/runtimes.test.ts runs under Bun, Deno and Node: requests against the
 * host kernel's XFRM in the network namespace given (policies, ALLOCSPI, a dump) and events
 * (one policy add seen as an event). Prints one JSON line; under Node it is called in-process.
 */
import { AF_INET, IPPROTO_ESP, XFRM_POLICY_OUT, XfrmClient, anySelector } from '../../src/index.js';

/** What one run found. */
export interface ProbeResult {
  runtime: string;
  policies: number;
  spi: number;
  event: string | null;
  /** The code of the error a shim call fails with (a namespace that does not exist): every runtime must throw it, typed, not die. */
  openError: string;
}

/** Run the probe in namespace `ns`; rejects on any failure. */
export async function probe(ns: string): Promise<ProbeResult> {
  const versions = process.versions as Record<string, string | undefined>;
  const runtime = versions.bun ? `bun ${versions.bun}` : versions.deno ? `deno ${versions.deno}` : `node ${process.version}`;
  const xfrm = XfrmClient.open({ netns: ns });
  try {
    await xfrm.addPolicy({ selector: { ...anySelector(AF_INET), daddr: '10.9.0.1', prefixlenD: 32 }, dir: XFRM_POLICY_OUT });
    let policies = 0;
    for await (const _ of xfrm.listPolicies()) policies++;
    const larval = await xfrm.allocSpi({ saddr: '192.0.2.1', daddr: '192.0.2.2', proto: IPPROTO_ESP });
    const events = xfrm.events(['policy']);
    let event: string | null = null;
    try {
      await xfrm.addPolicy({ selector: { ...anySelector(AF_INET), daddr: '10.9.0.2', prefixlenD: 32 }, dir: XFRM_POLICY_OUT });
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref?.());
      const first = await Promise.race([events.next(), timeout]);
      event = first === 'timeout' ? 'timeout' : first.done ? 'done' : first.value.kind;
    } finally {
      events.close();
    }
    let openError = 'none';
    try {
      XfrmClient.open({ netns: `${ns}-does-not-exist` }).close();
    } catch (e) {
      openError = `${(e as Error).name} ${(e as { code?: string }).code}`;
    }
    return { runtime, policies, spi: larval.spi, event, openError };
  } finally {
    xfrm.close();
  }
}

// Run directly (bun/deno: `runtime-probe.ts NS`): print the result as one JSON line.
if ((import.meta as { main?: boolean }).main) {
  probe(process.argv[2]!).then(
    (r) => console.log(JSON.stringify(r)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
