/**
 * Test helpers: run a command as root inside a user-mode-linux guest (Debian's
 * `user-mode-linux` package, kernel 6.1, with ESP/AH/IPComp; or a monolithic
 * 6.12 built by `scripts/uml/build-uml-6.12.sh`, see {@link umlKernels}) through
 * `scripts/uml/run.sh`.
 *
 * The guest's root file system is the host's `/` (hostfs): the command sees
 * this repository, `node` and `ip` at the same paths as on the host. Each call
 * boots a fresh guest (about 2.5 s) in a fresh temporary work directory that
 * is removed afterwards, so batch the work of a test file into one or two
 * guest runs.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
/** Absolute path of the repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The launcher used by {@link runInUml}. */
export const UML_RUN_SCRIPT = join(REPO_ROOT, 'scripts', 'uml', 'run.sh');
/** The UML kernel binary (override with `UML_BIN`). */
export const UML_BIN = process.env.UML_BIN ?? '/usr/bin/linux.uml';
const UML_MODULES_ROOT = '/usr/lib/uml/modules';
/** True when this process runs as root (uid 0). */
export function hostIsRoot() {
    return typeof process.getuid === 'function' && process.getuid() === 0;
}
/**
 * True when a UML guest can be booted here: Linux on x86_64, `linux.uml` and
 * its module tree installed (`scripts/uml/ensure-uml.sh` installs them), and
 * the launcher present. Does not boot anything.
 */
export function umlAvailable() {
    if (process.platform !== 'linux' || process.arch !== 'x64')
        return false;
    if (!existsSync(UML_BIN) || !existsSync(UML_RUN_SCRIPT))
        return false;
    try {
        return readdirSync(UML_MODULES_ROOT).some((v) => existsSync(join(UML_MODULES_ROOT, v, 'modules.dep')));
    }
    catch {
        return false;
    }
}
/** Where `scripts/uml/build-uml-6.12.sh` caches its kernel binaries (override with `NLX_UML_CACHE`). */
export const UML_CACHE_DIR = process.env.NLX_UML_CACHE ?? join(homedir(), '.cache', 'netlink-xfrm');
/** The command that builds and caches the 6.12 kernel. */
export const UML_612_BUILD_COMMAND = 'sudo bash scripts/uml/build-uml-6.12.sh';
function isExecutableFile(p) {
    try {
        if (!statSync(p).isFile())
            return false;
        accessSync(p, fsConstants.X_OK);
        return true;
    }
    catch {
        return false;
    }
}
/** Compare dotted numeric versions (`6.12.9` < `6.12.117`); non-numeric parts compare as text. */
function compareVersions(a, b) {
    const pa = a.split(/[.~+-]/);
    const pb = b.split(/[.~+-]/);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const x = pa[i] ?? '';
        const y = pb[i] ?? '';
        const nx = Number(x);
        const ny = Number(y);
        const c = Number.isInteger(nx) && Number.isInteger(ny) && x !== '' && y !== '' ? nx - ny : x.localeCompare(y);
        if (c !== 0)
            return c;
    }
    return 0;
}
/**
 * The cached monolithic 6.12 kernel built by `scripts/uml/build-uml-6.12.sh`
 * (`$NLX_UML_CACHE/linux-uml-<linux-source-6.12 package version>`), the newest if several.
 */
export function cachedUml612() {
    let names;
    try {
        names = readdirSync(UML_CACHE_DIR);
    }
    catch {
        return undefined;
    }
    const found = names
        .map((n) => /^linux-uml-((6\.12\.\d+)\S*)$/.exec(n))
        .filter((m) => m !== null && !/\.(config|tmp)$/.test(m[0]) && isExecutableFile(join(UML_CACHE_DIR, m[0])))
        .sort((x, y) => compareVersions(y[1], x[1]));
    const m = found[0];
    if (!m)
        return undefined;
    return { series: '6.12', release: m[2], origin: `linux-source-6.12 ${m[1]}`, bin: join(UML_CACHE_DIR, m[0]), monolithic: true };
}
/** Debian's packaged UML kernel, when {@link umlAvailable}. */
export function packagedUml() {
    if (!umlAvailable())
        return undefined;
    const release = readdirSync(UML_MODULES_ROOT)
        .filter((v) => existsSync(join(UML_MODULES_ROOT, v, 'modules.dep')))
        .sort(compareVersions)
        .pop();
    const series = /^(\d+\.\d+)/.exec(release)?.[1] ?? release;
    return { series, release, origin: 'Debian user-mode-linux', bin: UML_BIN, monolithic: false };
}
/**
 * The UML kernels available here, oldest first: Debian's packaged 6.1 (if installed) and the
 * cached 6.12 (if built). `NLX_UML_KERNELS=6.12` (comma-separated series) keeps only those.
 * Nothing is booted.
 */
export function umlKernels() {
    if (process.platform !== 'linux' || process.arch !== 'x64' || !existsSync(UML_RUN_SCRIPT))
        return [];
    const all = [packagedUml(), cachedUml612()].filter((k) => k !== undefined);
    const only = process.env.NLX_UML_KERNELS?.split(',').map((x) => x.trim()).filter(Boolean);
    return only && only.length > 0 ? all.filter((k) => only.includes(k.series)) : all;
}
/** Why {@link umlAvailable} is false, for skip messages. */
export function umlUnavailableReason() {
    if (process.platform !== 'linux' || process.arch !== 'x64')
        return `needs linux/x64, this is ${process.platform}/${process.arch}`;
    if (!existsSync(UML_BIN))
        return `${UML_BIN} not found (apt-get install user-mode-linux, or run scripts/uml/ensure-uml.sh as root)`;
    if (!existsSync(UML_RUN_SCRIPT))
        return `${UML_RUN_SCRIPT} not found`;
    if (!umlAvailable())
        return `no module tree under ${UML_MODULES_ROOT}`;
    return undefined;
}
function readOr(path, fallback = '') {
    try {
        return readFileSync(path, 'utf8');
    }
    catch {
        return fallback;
    }
}
function parseKv(text) {
    const out = {};
    for (const m of text.matchAll(/([a-z_]+)=(\S*)/g))
        out[m[1]] = m[2];
    return out;
}
/**
 * Boots a UML guest, runs `opts.command` in it as root and resolves with its
 * status and output. Never rejects for a failing command; rejects only when
 * the launcher cannot be started at all.
 */
export function runInUml(opts) {
    if (opts.command.length === 0)
        return Promise.reject(new Error('runInUml: empty command'));
    const timeoutMs = opts.timeoutMs ?? 120_000;
    const timeoutS = Math.max(1, Math.ceil(timeoutMs / 1000));
    // run.sh refuses paths with whitespace; os.tmpdir() can be anything, /tmp is safe.
    const base = /\s/.test(tmpdir()) ? '/tmp' : tmpdir();
    const work = mkdtempSync(join(base, 'nlx-uml-'));
    const args = [UML_RUN_SCRIPT, '-t', String(timeoutS), '-C', opts.cwd ?? REPO_ROOT];
    if (opts.mem)
        args.push('-m', opts.mem);
    if (opts.kernel)
        args.push('-k', opts.kernel);
    for (const [k, v] of Object.entries(opts.env ?? {}))
        args.push('-e', `${k}=${v}`);
    args.push(work, ...opts.command);
    return new Promise((resolvePromise, reject) => {
        const child = spawn('bash', args, { stdio: ['ignore', 'pipe', 'pipe'] });
        // run.sh prints the guest's stdout/stderr at the end; we read the files
        // instead (exact bytes), and keep run.sh's own stderr for diagnostics.
        let launcherErr = '';
        child.stdout.resume();
        child.stderr.on('data', (d) => {
            launcherErr += d.toString('utf8');
        });
        // Backstop in case run.sh itself hangs: it forwards TERM to the guest.
        const guard = setTimeout(() => child.kill('SIGTERM'), (timeoutS + 20) * 1000);
        child.on('error', (err) => {
            clearTimeout(guard);
            rmSync(work, { recursive: true, force: true });
            reject(err);
        });
        child.on('close', (code, signal) => {
            clearTimeout(guard);
            try {
                const result = parseKv(readOr(join(work, 'result')));
                const timing = parseKv(readOr(join(work, 'timing')));
                const timedOut = result.timed_out === '1';
                const stdout = readOr(join(work, 'stdout'));
                let stderr = readOr(join(work, 'stderr'));
                const guestStatus = result.guest_status ? Number(result.guest_status) : undefined;
                if (guestStatus === undefined) {
                    // Boot failure, panic, timeout or interruption: surface run.sh's report.
                    stderr += launcherErr;
                }
                const console = [
                    readOr(join(work, 'console.log')),
                    '--- init.log ---',
                    readOr(join(work, 'init.log')),
                ].join('\n');
                const status = timedOut ? 124 : guestStatus ?? (code === null ? 128 + (signal ? 15 : 0) : code === 0 ? 125 : code);
                resolvePromise({
                    status,
                    stdout,
                    stderr,
                    console,
                    timedOut,
                    elapsedMs: Number(result.elapsed_ms ?? NaN),
                    commandStartUptime: timing.command_start_uptime ? Number(timing.command_start_uptime) : undefined,
                    commandEndUptime: timing.command_end_uptime ? Number(timing.command_end_uptime) : undefined,
                });
            }
            catch (err) {
                reject(err);
            }
            finally {
                rmSync(work, { recursive: true, force: true });
            }
        });
    });
}
