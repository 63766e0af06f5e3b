/**
 * The live sync of the crash suite (test/uml/*.halive.ts): `ha publish` in A, `ha follow` in S
 * over the A–S link, `ha takeover` in S, each a separate process of the bundled CLI (so the
 * publisher can die by SIGKILL), and the checks of S's journal against A's kernel.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './esp-setup.js';
import { readJournal } from './ha-live-procs.js';
let nextPort = 7100;
let nextFile = 0;
/** Write a pre-shared key file (mode 0600) holding `text` repeated to 40 bytes. */
export function pskFile(ctx, text) {
    const f = join(ctx.dir, `psk-${nextFile++}`);
    writeFileSync(f, text.repeat(Math.ceil(40 / text.length)).slice(0, 40), { mode: 0o600 });
    return f;
}
/** Publisher in A, follower in S, takeover in S. */
export class LiveSync {
    ctx;
    o;
    port = nextPort++;
    journal;
    psk;
    publisher;
    follower;
    /** Output of the processes that ended (restarts), for failure messages. */
    history = [];
    constructor(ctx, o = {}) {
        this.ctx = ctx;
        this.o = o;
        this.journal = join(ctx.dir, `journal-${nextFile++}`);
        this.psk = pskFile(ctx, 'live-ha test key, not secret; ');
    }
    /** `ha publish` in A; resolves once it listens. */
    async startPublisher() {
        if (this.publisher)
            this.history.push(`publisher (${this.publisher.result}):\n${this.publisher.describe()}`);
        const a = this.ctx.t.sync.active;
        this.publisher = this.ctx.cli.start(this.ctx.t.active.ns, ['ha', 'publish', '--listen', `${a}:${this.port}`, '--psk-file', this.psk, ...(this.o.publishArgs ?? [])], this.o.publishEnv);
        await this.publisher.waitFor((p) => p.stderr.includes('listening on'), 60_000, 'ha publish listening');
    }
    /** `ha follow` in S (it connects, and reconnects, by itself). */
    startFollower() {
        if (this.follower)
            this.history.push(`follower (${this.follower.result}):\n${this.follower.describe()}`);
        const a = this.ctx.t.sync.active;
        this.follower = this.ctx.cli.start(this.ctx.t.standby.ns, ['ha', 'follow', '--connect', `${a}:${this.port}`, '--psk-file', this.o.followerPsk ?? this.psk, '--journal', this.journal]);
    }
    /** Start both (a no-op once started: a test may start the sync before the scenario does). */
    async start() {
        if (this.publisher)
            return;
        await this.startPublisher();
        this.startFollower();
    }
    /** Wait until the journal mirrors A's SAs and policies exactly. */
    async ready() {
        await this.converged(this.ctx.ca, 60_000);
    }
    /** SIGKILL the publisher (sent before this returns its promise). */
    async crash() {
        this.publisher?.kill('SIGKILL');
        await this.publisher?.exited;
    }
    async takeover() {
        await this.follower?.stop('SIGTERM');
        return this.ctx.cli.run(this.ctx.t.standby.ns, ['--json', 'ha', 'takeover', '--journal', this.journal, ...(this.o.takeoverArgs ?? [])]);
    }
    /** Stop whatever still runs. */
    async stop() {
        await this.follower?.stop('SIGTERM');
        await this.publisher?.stop('SIGTERM');
    }
    /**
     * Resolve once the journal is complete and holds exactly A's SAs (id and keys) and as many
     * policies as A; reject after `timeoutMs` with both sides listed.
     */
    async converged(ca, timeoutMs) {
        const deadline = Date.now() + timeoutMs;
        let last = '';
        for (;;) {
            const want = await activeView(ca);
            const j = await readJournal(this.journal);
            const got = j.sas.map((m) => saKey(m.sa)).sort();
            if (j.complete && JSON.stringify(got) === JSON.stringify(want.sas) && j.policies.length === want.policies) {
                return { sas: got.length, policies: j.policies.length };
            }
            last = `journal (complete ${j.complete}, seq ${j.lastSeq}): ${got.length} SAs ${got.slice(0, 6).join(' ')}…, ${j.policies.length} policies; A: ${want.sas.length} SAs ${want.sas.slice(0, 6).join(' ')}…, ${want.policies} policies`;
            if (Date.now() > deadline) {
                throw new Error(`S's journal did not converge on A's state within ${timeoutMs} ms: ${last}\n--- publisher ---\n${this.publisher?.describe()}\n--- follower ---\n${this.follower?.describe()}\n${this.history.join('\n')}`);
            }
            await sleep(250);
        }
    }
}
/** An SA's identity plus a digest of its key, as compared between A and the journal. */
export function saKey(s) {
    const k = s.aead?.key ?? s.crypt?.key ?? s.auth?.key;
    return `${s.daddr}/${s.spi.toString(16)}/${s.proto}/${k ? Buffer.from(k).toString('hex').slice(0, 8) : '-'}`;
}
/** A's SAs (as {@link saKey}, sorted) and its policy count. */
export async function activeView(ca) {
    const sas = [];
    for await (const s of ca.listStates())
        sas.push(saKey(s));
    let policies = 0;
    for await (const _ of ca.listPolicies())
        policies++;
    return { sas: sas.sort(), policies };
}
