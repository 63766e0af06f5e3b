/**
 * `netlink-xfrm uml [options] -- COMMAND [ARGS...]` without booting a kernel: the command line
 * (options before `--`, the command's own words untouched), every refusal with its exit code,
 * and the plumbing into the launcher against a stand-in run.sh (cwd, PATH, --env, --mem,
 * --timeout, exit status). The real boot runs in test/package/install.test.ts, from the packed
 * tarball.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { CommandContext } from '../../src/cli/context.js';
import { EXIT_IO, EXIT_USAGE } from '../../src/cli/exit-codes.js';
import { extractGlobalOptions, runWith } from '../../src/cli/main.js';
import { guestHidesDirectory, parseUmlCommand, UML_COMMAND_DEFAULT_TIMEOUT, umlCommand } from '../../src/cli/uml-command.js';
import { thisHost, UML_MODULES_DIR, UML_PACKAGE_FILES, UmlUnavailableError } from '../../src/cli/uml.js';
function ctxWith(out = () => { }, netns) {
    const env = { out, err: () => { } };
    return new CommandContext(env, { json: false, showKeys: false, help: false, ...(netns !== undefined ? { netns } : {}) });
}
describe('the command line', () => {
    test('options before --, the command after it, untouched', () => {
        expect(parseUmlCommand(['--', 'node', 't.js', '--help', '--env', 'x'])).toEqual({
            command: ['node', 't.js', '--help', '--env', 'x'],
            timeoutSeconds: UML_COMMAND_DEFAULT_TIMEOUT,
            env: {},
        });
        expect(parseUmlCommand(['--timeout', '30', '--mem=1G', '--env', 'A=1', '--env=B=x=y', '--', 'true'])).toEqual({
            command: ['true'],
            timeoutSeconds: 30,
            mem: '1G',
            env: { A: '1', B: 'x=y' },
        });
    });
    test('nothing after -- is a global option of netlink-xfrm', () => {
        expect(extractGlobalOptions(['uml', '--', 'node', 't.js', '--help', '--json', '--netns', 'x'])).toEqual({
            opts: { json: false, showKeys: false, help: false },
            rest: ['uml', '--', 'node', 't.js', '--help', '--json', '--netns', 'x'],
        });
        expect(extractGlobalOptions(['--json', 'uml', '--', '--show-keys']).opts).toEqual({ json: true, showKeys: false, help: false });
    });
    test.each([
        [[], /uml: no command: netlink-xfrm uml -- COMMAND/],
        [['--'], /uml: no command after --/],
        [['node', 't.js'], /uml: put -- before the command: netlink-xfrm uml -- "node" \.\.\./],
        [['--verbose', '--', 'true'], /uml: unknown option "--verbose"/],
        [['--timeout'], /uml: missing value after --timeout/],
        [['--timeout', '0', '--', 'true'], /--timeout: "0" is not a whole number of seconds/],
        [['--timeout', '1.5', '--', 'true'], /--timeout: "1\.5" is not/],
        [['--mem', 'lots', '--', 'true'], /--mem: "lots" is not a size like 512M or 1G/],
        [['--env', '1X=y', '--', 'true'], /--env takes KEY=VALUE/],
    ])('%j is a usage error (exit 2) with the usage line', (words, message) => {
        let e;
        try {
            parseUmlCommand(words);
        }
        catch (x) {
            e = x;
        }
        expect(e).toMatchObject({ exitCode: EXIT_USAGE, message: expect.stringMatching(message) });
        expect(e.message).toMatch(/\nusage: netlink-xfrm uml \[--timeout SECONDS\]/);
    });
    test('a bad --env never echoes its value (it may be a secret)', () => {
        expect(() => parseUmlCommand(['--env', 'hunter2-secret', '--', 'true'])).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
    });
    test('--help shows the usage and exits 0; the help text lists the command', async () => {
        let out = '';
        expect(await runWith(['uml', '--help'], { out: (s) => void (out += s), err: () => { } })).toBe(0);
        expect(out).toMatch(/^usage: netlink-xfrm uml \[--timeout SECONDS\] \[--mem SIZE\] \[--env KEY=VALUE\]\.\.\. -- COMMAND \[ARGS\.\.\.\]/);
        expect(out).toMatch(/exit status = COMMAND's/);
        out = '';
        await runWith(['--help'], { out: (s) => void (out += s), err: () => { } });
        expect(out).toMatch(/^ {2}netlink-xfrm uml .* -- COMMAND/m);
    });
});
describe('refusals', () => {
    const ready = (over = {}) => ({
        platform: 'linux',
        arch: 'x64',
        env: {},
        root: '/pkg',
        exists: (p) => ['/usr/bin/linux.uml', `${UML_MODULES_DIR}/6.1.0-uml/modules.dep`, `/pkg/${UML_PACKAGE_FILES.runScript}`, `/pkg/${UML_PACKAGE_FILES.init}`].includes(p),
        readdir: () => ['6.1.0-uml'],
        ...over,
    });
    test.each([
        ['platform', ready({ arch: 'arm64' }), '/home/u', 'uml: user-mode-linux needs linux/x64, this is linux/arm64'],
        ['no-kernel', ready({ exists: () => false }), '/home/u', 'uml: /usr/bin/linux.uml is not installed (apt-get install user-mode-linux)'],
        ['no-modules', ready({ readdir: () => [] }), '/home/u', `uml: no UML module tree under ${UML_MODULES_DIR} (apt-get install user-mode-linux)`],
        ['package-files', ready({ root: undefined }), '/home/u', 'uml: scripts/uml/run.sh is missing from this netlink-xfrm package (reinstall it)'],
        ['cwd', ready(), '/run/user/0', 'uml: the current directory is below /run, which the guest replaces with its own: run it from another directory'],
    ])('%s: a UmlUnavailableError (exit 4) naming the fix', async (reason, host, cwd, message) => {
        const e = await umlCommand(ctxWith(), ['--', 'true'], host, cwd).catch((x) => x);
        expect(e).toBeInstanceOf(UmlUnavailableError);
        expect(e).toMatchObject({ reason, exitCode: EXIT_IO, message });
    });
    test('--netns does not apply', async () => {
        await expect(umlCommand(ctxWith(() => { }, 'x'), ['--', 'true'], ready(), '/home/u')).rejects.toMatchObject({ exitCode: EXIT_USAGE, message: /--netns does not apply/ });
    });
    test('directories the guest mounts over', () => {
        expect(guestHidesDirectory('/proc')).toMatch(/below \/proc/);
        expect(guestHidesDirectory('/dev/shm/x')).toMatch(/below \/dev/);
        expect(guestHidesDirectory('/sys/fs')).toMatch(/below \/sys/);
        expect(guestHidesDirectory('/running')).toBeUndefined();
        expect(guestHidesDirectory('/home/u/proj')).toBeUndefined();
    });
});
describe('into the launcher, with a stand-in run.sh', () => {
    let dir;
    afterEach(() => {
        if (dir)
            rmSync(dir, { recursive: true, force: true });
        dir = undefined;
    });
    /** A package root whose run.sh reports its arguments and exits with 42; a UML kernel "installed". */
    function standIn(env, body = 'printf "%s\\n" "$@"\nexit 42\n', name = 'nlx-uml-cmd-test-') {
        dir = mkdtempSync(join(tmpdir(), name));
        mkdirSync(join(dir, 'scripts', 'uml'), { recursive: true });
        writeFileSync(join(dir, UML_PACKAGE_FILES.runScript), body);
        writeFileSync(join(dir, UML_PACKAGE_FILES.init), '#!/bin/sh\n');
        chmodSync(join(dir, UML_PACKAGE_FILES.init), 0o755);
        return {
            ...thisHost(),
            platform: 'linux',
            arch: 'x64',
            env,
            root: dir,
            exists: (p) => p === '/usr/bin/linux.uml' || p === `${UML_MODULES_DIR}/6.1.0-uml/modules.dep` || existsSync(p),
            readdir: (p) => (p === UML_MODULES_DIR ? ['6.1.0-uml'] : readdirSync(p)),
        };
    }
    test('cwd, PATH, the shim, --env (wins), --mem, --timeout go to run.sh; its status is the result', async () => {
        const host = standIn({ PATH: '/opt/node/bin:/usr/bin', NETLINK_XFRM_SHIM: '/opt/shim.node', SECRET: 'not passed' });
        let out = '';
        const status = await umlCommand(ctxWith((s) => void (out += s)), ['--timeout', '30', '--mem', '1G', '--env', 'PATH=/mine', '--env', 'A=b c', '--', 'node', 'my test.js', '--flag'], host, '/home/u/proj');
        expect(status).toBe(42);
        const args = out.trimEnd().split('\n');
        const work = args[12];
        expect(args).toEqual([
            '-t', '30', '-C', '/home/u/proj', '-m', '1G',
            '-e', 'PATH=/mine', '-e', 'NETLINK_XFRM_SHIM=/opt/shim.node', '-e', 'A=b c',
            work, 'node', 'my test.js', '--flag',
        ]);
        expect(out).not.toMatch(/SECRET/);
    });
    test('defaults: the caller\'s PATH, 600 s, run.sh\'s memory', async () => {
        const host = standIn({ PATH: '/usr/local/bin:/usr/bin' });
        let out = '';
        expect(await umlCommand(ctxWith((s) => void (out += s)), ['--', 'true'], host, '/srv/x')).toBe(42);
        expect(out.split('\n').slice(0, 6)).toEqual(['-t', '600', '-C', '/srv/x', '-e', 'PATH=/usr/local/bin:/usr/bin']);
    });
    test('a package below a directory with a space: run.sh and init.sh run from copies in the work directory', async () => {
        // run.sh refuses whitespace in its own path (it goes on the kernel command line)
        const host = standIn({}, 'echo "script:$0"\necho "init:$UML_INIT"\n[ -x "$UML_INIT" ] && echo executable\nexit 3\n', 'nlx uml cmd test ');
        let out = '';
        expect(await umlCommand(ctxWith((s) => void (out += s)), ['--', 'true'], host, '/home/u/My Projects/x')).toBe(3);
        const script = /^script:(.*)$/m.exec(out)[1];
        expect(script).toMatch(/\/nlx-demo-uml-[^/\s]+\/run\.sh$/);
        expect(out).toContain(`init:${script.replace(/run\.sh$/, 'init.sh')}\nexecutable\n`);
    });
});
