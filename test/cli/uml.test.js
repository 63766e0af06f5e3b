/**
 * The demo's user-mode-linux launcher (src/cli/uml.ts) without booting a kernel: the command
 * line it builds, why it refuses to run (each missing piece named with its fix), that the
 * scripts it needs are in the npm package, and the process plumbing — run against a stand-in
 * run.sh in a throwaway package root (arguments, output, exit status, signal status, init.sh
 * copied executable when the installed one is not, work directory removed). The real boot is
 * the README demo (`sudo node dist/cli.js demo` on a kernel without ESP).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CommandContext } from '../../src/cli/context.js';
import { demoInGuest } from '../../src/cli/demo.js';
import { CliError, EXIT_IO, EXIT_KERNEL } from '../../src/cli/exit-codes.js';
import { runInUmlGuest, signalExitStatus, thisHost, UML_MODULES_DIR, UML_PACKAGE_FILES, umlLaunch, umlUnavailableReason, } from '../../src/cli/uml.js';
const ROOT = join(import.meta.dirname, '..', '..');
/** A host with everything a guest needs (a fake file system of `present` paths). */
function fakeHost(over = {}, present = []) {
    const files = new Set([
        '/usr/bin/linux.uml',
        `${UML_MODULES_DIR}/6.1.0-uml/modules.dep`,
        `/pkg/${UML_PACKAGE_FILES.runScript}`,
        `/pkg/${UML_PACKAGE_FILES.init}`,
        ...present,
    ]);
    return {
        platform: 'linux',
        arch: 'x64',
        env: {},
        root: '/pkg',
        exists: (p) => files.has(p),
        readdir: (p) => {
            if (p !== UML_MODULES_DIR)
                throw new Error('ENOENT');
            return ['6.1.0-uml'];
        },
        ...over,
    };
}
describe('the command line', () => {
    test('bash run.sh -t SECONDS -C DIR [-e K=V]... WORK command...; UML_INIT only for a copied init.sh', () => {
        const paths = { runScript: '/pkg/scripts/uml/run.sh', root: '/pkg', work: '/tmp/w' };
        expect(umlLaunch({ command: ['/usr/bin/node', '/pkg/dist/cli.js', 'demo', '--in-guest'] }, paths)).toEqual({
            file: 'bash',
            args: ['/pkg/scripts/uml/run.sh', '-t', '240', '-C', '/pkg', '/tmp/w', '/usr/bin/node', '/pkg/dist/cli.js', 'demo', '--in-guest'],
            env: {},
        });
        expect(umlLaunch({ command: ['true'], cwd: '/x', timeoutSeconds: 30, env: { A: '1', B: 'x y' } }, { ...paths, initCopy: '/tmp/w/init.sh' })).toEqual({
            file: 'bash',
            args: ['/pkg/scripts/uml/run.sh', '-t', '30', '-C', '/x', '-e', 'A=1', '-e', 'B=x y', '/tmp/w', 'true'],
            env: { UML_INIT: '/tmp/w/init.sh' },
        });
    });
    test('a shell-style status for a signal, by name', () => {
        expect(signalExitStatus('SIGINT')).toBe(130);
        expect(signalExitStatus('SIGTERM')).toBe(143);
        expect(signalExitStatus('SIGHUP')).toBe(129);
    });
});
describe('why no guest can run', () => {
    test('each missing piece is named with its fix', () => {
        expect(umlUnavailableReason(fakeHost())).toBeUndefined();
        expect(umlUnavailableReason(fakeHost({ platform: 'darwin', arch: 'arm64' }))).toBe('user-mode-linux needs linux/x64, this is darwin/arm64');
        expect(umlUnavailableReason(fakeHost({ exists: (p) => p !== '/usr/bin/linux.uml' }))).toBe('/usr/bin/linux.uml is not installed (apt-get install user-mode-linux)');
        // UML_BIN names another kernel: that one must exist.
        expect(umlUnavailableReason(fakeHost({ env: { UML_BIN: '/opt/uml/linux' } }))).toBe('/opt/uml/linux is not installed (apt-get install user-mode-linux)');
        expect(umlUnavailableReason(fakeHost({ env: { UML_BIN: '/opt/uml/linux' } }, ['/opt/uml/linux']))).toBeUndefined();
        const host = fakeHost();
        expect(umlUnavailableReason({ ...host, readdir: () => ['6.1.0-uml'], exists: (p) => !p.endsWith('modules.dep') && host.exists(p) })).toBe(`no UML module tree under ${UML_MODULES_DIR} (apt-get install user-mode-linux)`);
        expect(umlUnavailableReason({ ...host, readdir: () => { throw new Error('ENOENT'); } })).toMatch(/^no UML module tree/);
        expect(umlUnavailableReason({ ...host, exists: (p) => !p.endsWith('run.sh') && host.exists(p) })).toBe('scripts/uml/run.sh is missing from this netlink-xfrm package (reinstall it)');
        expect(umlUnavailableReason({ ...host, exists: (p) => !p.endsWith('init.sh') && host.exists(p) })).toBe('scripts/uml/init.sh is missing from this netlink-xfrm package (reinstall it)');
        expect(umlUnavailableReason({ ...host, root: undefined })).toMatch(/run\.sh is missing/);
    });
    test('runInUmlGuest refuses with that reason instead of spawning', async () => {
        await expect(runInUmlGuest({ command: ['true'], out: () => { }, err: () => { } }, { ...fakeHost(), root: undefined })).rejects.toThrow(/scripts\/uml\/run\.sh is missing/);
    });
});
describe('the package ships the launcher', () => {
    test('this checkout has the scripts, executable, and package.json "files" lists them', () => {
        const host = thisHost();
        expect(host.root).toBe(ROOT);
        const files = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files;
        for (const rel of Object.values(UML_PACKAGE_FILES)) {
            expect(files).toContain(rel);
            expect(statSync(join(ROOT, rel)).mode & 0o111).not.toBe(0);
        }
    });
    test('npm pack puts them into the tarball', { timeout: 60_000 }, () => {
        const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        const packed = JSON.parse(out)[0].files;
        for (const rel of Object.values(UML_PACKAGE_FILES)) {
            const f = packed.find((p) => p.path === rel);
            expect(f, rel).toBeDefined();
            expect(f.mode & 0o111, `${rel} keeps its executable bits`).not.toBe(0);
        }
    });
});
describe('the process plumbing, with a stand-in run.sh', () => {
    let dir;
    afterEach(() => {
        if (dir)
            rmSync(dir, { recursive: true, force: true });
        dir = undefined;
    });
    /** A package root whose run.sh is `body` (bash) and whose init.sh has mode `initMode`. */
    function fakePackage(body, initMode = 0o755) {
        dir = mkdtempSync(join(tmpdir(), 'nlx-uml-test-'));
        mkdirSync(join(dir, 'scripts', 'uml'), { recursive: true });
        writeFileSync(join(dir, UML_PACKAGE_FILES.runScript), body);
        writeFileSync(join(dir, UML_PACKAGE_FILES.init), '#!/bin/sh\n');
        chmodSync(join(dir, UML_PACKAGE_FILES.init), initMode);
        return { ...thisHost(), root: dir };
    }
    const ARGS_SCRIPT = [
        // The stand-in reports what it was given, then exits like a guest command with status 7.
        'printf "args:%s\\n" "$*"',
        'printf "work:%s\\n" "$5"',
        'if [ -n "${UML_INIT:-}" ] && [ -x "$UML_INIT" ]; then echo "init:copied-executable"; else echo "init:${UML_INIT:-packaged}"; fi',
        'echo "guest stderr" >&2',
        'exit 7',
    ].join('\n');
    test('arguments, output and the exit status come through; the work directory is removed', async () => {
        const host = fakePackage(ARGS_SCRIPT);
        let out = '';
        let err = '';
        const status = await runInUmlGuest({ command: ['node', 'cli.js', 'demo', '--in-guest'], timeoutSeconds: 9, out: (s) => (out += s), err: (s) => (err += s) }, host);
        expect(status).toBe(7);
        expect(err).toBe('guest stderr\n');
        const work = /^work:(.*)$/m.exec(out)[1];
        expect(out).toBe(`args:-t 9 -C ${host.root} ${work} node cli.js demo --in-guest\nwork:${work}\ninit:packaged\n`);
        expect(work.startsWith(join(tmpdir(), 'nlx-demo-uml-'))).toBe(true);
        expect(existsSync(work)).toBe(false);
    });
    test('an init.sh installed without its executable bit is run from an executable copy', async () => {
        const host = fakePackage(ARGS_SCRIPT, 0o644);
        let out = '';
        expect(await runInUmlGuest({ command: ['true'], out: (s) => (out += s), err: () => { } }, host)).toBe(7);
        expect(out).toMatch(/^init:copied-executable$/m);
    });
    test('run.sh killed by a signal: 128 + that signal', async () => {
        const host = fakePackage('kill -HUP $$\n');
        expect(await runInUmlGuest({ command: ['true'], out: () => { }, err: () => { } }, host)).toBe(signalExitStatus('SIGHUP'));
    });
    test('demo: runs `<node> <cli> demo --in-guest [--show-keys]` in the guest and returns its status', async () => {
        const host = { ...fakePackage(ARGS_SCRIPT), env: { NETLINK_XFRM_SHIM: '/opt/shim.node' } };
        let out = '';
        const env = { out: (s) => void (out += s), err: () => { } };
        const ctx = new CommandContext(env, { json: false, showKeys: true, help: false });
        const said = [];
        const status = await demoInGuest(ctx, (s = '') => said.push(s), host, () => '/pkg/dist/cli.js');
        expect(status).toBe(7);
        expect(said[0]).toMatch(/^!! Running the demo again inside a user-mode-linux guest/);
        // The shim the host was told to use is the guest's too.
        expect(out).toMatch(new RegExp(`^args:-t 240 -C ${host.root} -e NETLINK_XFRM_SHIM=/opt/shim\\.node \\S+ ${process.execPath} /pkg/dist/cli\\.js demo --in-guest --show-keys$`, 'm'));
    });
});
describe('demo without a usable guest', () => {
    const ctx = new CommandContext({ out: () => { }, err: () => { } }, { json: false, showKeys: false, help: false });
    test('user-mode-linux missing: says why and how to fix it, exit 1 (kernel)', async () => {
        const said = [];
        const host = fakeHost({ exists: (p) => p !== '/usr/bin/linux.uml' });
        expect(await demoInGuest(ctx, (s = '') => said.push(s), host, () => '/pkg/dist/cli.js')).toBe(EXIT_KERNEL);
        expect(said).toEqual([
            '!! A user-mode-linux kernel with ESP could run the demo instead, but /usr/bin/linux.uml is not installed (apt-get install user-mode-linux).',
            '!! Fix that and run the demo again.',
        ]);
    });
    test('no built CLI for the guest: an I/O error naming the fix', async () => {
        const e = await demoInGuest(ctx, () => { }, fakeHost(), () => undefined).catch((x) => x);
        expect(e).toBeInstanceOf(CliError);
        expect(e).toMatchObject({ exitCode: EXIT_IO, message: expect.stringMatching(/dist\/cli\.js not found: run `npm run build` first/) });
    });
});
