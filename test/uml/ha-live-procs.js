/**
 * Processes of the live-HA crash suite (test/uml/*.halive.ts): the `netlink-xfrm` CLI run as
 * separate, killable processes inside a namespace, continuous `ping` traffic with its counts,
 * and the raw-frame helper (`esp-frames.py`: capture of ESP frames, replay, gratuitous ARP).
 *
 * `npm test` builds no `dist/`, so {@link bundleCli} bundles `src/cli.ts` with esbuild (as
 * fuzz/run.mjs does) into a temporary `.mjs` at suite start; it loads the repository's native
 * shim through `NETLINK_XFRM_SHIM`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { HaJournal } from '../../src/ha/journal.js';
import { REPO_ROOT } from '../helpers/uml.js';
/** The native shim the bundled CLI loads. */
export const SHIM = join(REPO_ROOT, 'native', 'build', 'Release', 'netlink_shim.node');
const FRAMES_PY = join(REPO_ROOT, 'test', 'uml', 'esp-frames.py');
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
/** Bundle `src/cli.ts` into `dir/cli.mjs` (esbuild); returns its path. */
export async function bundleCli(dir) {
    const out = join(dir, 'cli.mjs');
    await build({
        entryPoints: [join(REPO_ROOT, 'src', 'cli.ts')],
        outfile: out,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        // no source map: parsing one at every start of the CLI costs seconds under UML
        logLevel: 'warning',
    });
    return out;
}
/** A process started in a namespace, with its output collected. */
export class NsProc {
    label;
    child;
    stdout = '';
    stderr = '';
    /** Exit code (or signal name) once it ended. */
    result;
    exited;
    waiters = [];
    constructor(ns, argv, env = {}, label = argv.join(' ')) {
        this.label = label;
        // `ip netns exec` execs the command itself: the child's pid is the command's, so a signal
        // sent to it reaches the command.
        this.child = spawn('ip', ['netns', 'exec', ns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
        this.child.stdout.on('data', (d) => {
            this.stdout += d.toString();
            this.wake();
        });
        this.child.stderr.on('data', (d) => {
            this.stderr += d.toString();
            this.wake();
        });
        this.exited = new Promise((resolve) => {
            this.child.on('exit', (code, signal) => {
                this.result = code ?? signal ?? 'unknown';
                this.wake();
                resolve(this.result);
            });
        });
    }
    wake() {
        const w = this.waiters;
        this.waiters = [];
        for (const f of w)
            f();
    }
    /** Resolve when `pred` holds over the output so far; reject after `timeoutMs` or if the process ends first. */
    async waitFor(pred, timeoutMs, what) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            if (pred(this))
                return;
            if (this.result !== undefined)
                throw new Error(`${this.label} ended (${this.result}) before ${what}:\n${this.describe()}`);
            const left = deadline - Date.now();
            if (left <= 0)
                throw new Error(`no ${what} within ${timeoutMs} ms from ${this.label}:\n${this.describe()}`);
            await new Promise((resolve) => {
                const t = setTimeout(resolve, Math.min(left, 200));
                this.waiters.push(() => {
                    clearTimeout(t);
                    resolve();
                });
            });
        }
    }
    /** Send a signal (no-op once ended). */
    kill(signal) {
        if (this.result === undefined)
            this.child.kill(signal);
    }
    /** Send `signal` and wait for the end (SIGKILL after `graceMs`). */
    async stop(signal = 'SIGTERM', graceMs = 5000) {
        this.kill(signal);
        const t = setTimeout(() => this.kill('SIGKILL'), graceMs);
        try {
            return await this.exited;
        }
        finally {
            clearTimeout(t);
        }
    }
    /** Output for failure messages. */
    describe() {
        const cut = (s) => (s.length > 4000 ? `…${s.slice(-4000)}` : s);
        return `--- stdout ---\n${cut(this.stdout)}\n--- stderr ---\n${cut(this.stderr)}`;
    }
}
/** The bundled CLI, run in namespaces. */
export class Cli {
    bundle;
    constructor(bundle) {
        this.bundle = bundle;
    }
    /** Start `netlink-xfrm ARGS` in `ns` as a long-running process. */
    start(ns, args, env = {}) {
        return new NsProc(ns, [process.execPath, this.bundle, ...args], { NETLINK_XFRM_SHIM: SHIM, ...env }, `netlink-xfrm ${args.join(' ')} (in ${ns})`);
    }
    /** Run `netlink-xfrm ARGS` in `ns` to its end. */
    async run(ns, args, timeoutMs = 60_000) {
        const p = this.start(ns, args);
        const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
        try {
            const status = await p.exited;
            return { status, stdout: p.stdout, stderr: p.stderr };
        }
        finally {
            clearTimeout(t);
        }
    }
}
/** Continuous `ping` from `src` (an inner address of `ns`) to `dst`, every `intervalS` seconds. */
export class Pinger {
    proc;
    constructor(ns, src, dst, intervalS = 0.003) {
        this.proc = new NsProc(ns, ['ping', '-n', '-q', '-i', String(intervalS), '-l', '4', '-W', '1', '-I', src, dst], {}, `ping ${src} -> ${dst} (in ${ns})`);
    }
    /** Stop it (SIGINT: ping prints its summary) and return the counts and the send rate. */
    async stop() {
        await this.proc.stop('SIGINT');
        const output = this.proc.stdout + this.proc.stderr;
        const m = /(\d+) packets transmitted, (\d+) (?:packets )?received.*time (\d+)ms/.exec(output);
        if (!m)
            throw new Error(`no ping summary:\n${output}`);
        const transmitted = Number(m[1]);
        // ping's own send time (its start under UML is slow and not part of the traffic)
        const seconds = Number(m[3]) / 1000;
        return { transmitted, received: Number(m[2]), seconds, rate: transmitted / seconds, output };
    }
}
/** `count` pings from `src` (an address of `ns`) to `dst`, 10 ms apart; never throws for lost packets. */
export function burstPing(ns, src, dst, count) {
    const r = spawnSync('ip', ['netns', 'exec', ns, 'ping', '-n', '-q', '-c', String(count), '-i', '0.01', '-W', '1', '-I', src, dst], {
        encoding: 'utf8',
        timeout: 20_000,
    });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    const m = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
    return { transmitted: m ? Number(m[1]) : 0, received: m ? Number(m[2]) : 0, output };
}
/** Parse the hex lines written by `esp-frames.py capture`. */
export function parseFrames(text) {
    return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((hex) => {
        const b = Buffer.from(hex.trim(), 'hex');
        const esp = 14 + (b[14] & 0x0f) * 4;
        return { hex: hex.trim(), spi: b.readUInt32BE(esp), seq: b.readUInt32BE(esp + 4) };
    });
}
/** Capture of the ESP frames addressed to `dst` that arrive at `dev` in `ns` (esp-frames.py). */
export class EspCapture {
    file;
    proc;
    constructor(file, proc) {
        this.file = file;
        this.proc = proc;
    }
    /** Start capturing into `file`; resolves once the socket is bound. */
    static async start(ns, dev, dst, file) {
        const proc = new NsProc(ns, [PYTHON, FRAMES_PY, 'capture', dev, dst, file], {}, `capture on ${dev} (in ${ns})`);
        await proc.waitFor((p) => p.stdout.includes('ready'), 20_000, 'capture ready');
        return new EspCapture(file, proc);
    }
    /** Stop and return the frames. */
    async stop() {
        await this.proc.stop('SIGTERM');
        return existsSync(this.file) ? parseFrames(readFileSync(this.file, 'utf8')) : [];
    }
}
/** Send `frames` out of `dev` in `ns` with the destination MAC replaced by `dstMac` (through `file`); returns how many were sent. */
export function sendFrames(ns, dev, dstMac, frames, file) {
    writeFileSync(file, frames.map((f) => f.hex).join('\n') + '\n');
    const r = spawnSync('ip', ['netns', 'exec', ns, PYTHON, FRAMES_PY, 'send', dev, dstMac, file], { encoding: 'utf8', timeout: 30_000 });
    if (r.status !== 0)
        throw new Error(`esp-frames.py send failed (${r.status}): ${r.stderr}`);
    return Number(r.stdout.trim());
}
/** Announce `ip` at `mac` from `dev` in `ns` (gratuitous ARP). */
export function garp(ns, dev, ip, mac) {
    const r = spawnSync('ip', ['netns', 'exec', ns, PYTHON, FRAMES_PY, 'garp', dev, ip, mac], { encoding: 'utf8', timeout: 10_000 });
    if (r.status !== 0)
        throw new Error(`esp-frames.py garp failed (${r.status}): ${r.stderr}`);
}
/** What the standby's journal holds (read with `HaJournal.read`, which writes nothing). */
export async function readJournal(path) {
    if (!existsSync(path))
        return { sas: [], policies: [], complete: false, lastSeq: 0 };
    const m = await HaJournal.read(path);
    return { sas: m.sas(), policies: m.policies(), complete: m.complete, lastSeq: m.lastSeq };
}
