/**
 * The README's code blocks for users run as written: the "Testing your code without root"
 * block is executed (with `netlink-xfrm` and `netlink-xfrm/testing` resolved to the sources),
 * and the README keeps what CI and contributors rely on (the set-up and test commands, the
 * main command) and links to nothing outside the repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
vi.mock('netlink-xfrm', async () => await import('../src/index.js'));
vi.mock('netlink-xfrm/testing', async () => await import('../src/testing/index.js'));
const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
/** The body of the first fenced block after the heading `title`. */
function blockAfter(title) {
    const at = readme.indexOf(`\n${title}\n`);
    expect(at, title).toBeGreaterThan(0);
    const m = /^```\w*\n([\s\S]*?)^```$/m.exec(readme.slice(at));
    return m[1];
}
afterEach(() => {
    vi.restoreAllMocks();
});
describe('README', () => {
    test('"Testing your code without root" runs on the fake kernel and prints the first event', async () => {
        const lines = [];
        vi.spyOn(console, 'log').mockImplementation((...args) => void lines.push(args.map(String).join(' ')));
        // Inside the repository, so that vitest transforms it (and applies the mocks above).
        const dir = mkdtempSync(join(root, 'test', '.readme-'));
        try {
            const file = join(dir, 'testing-snippet.ts');
            writeFileSync(file, `${blockAfter('## Testing your code without root')}export {};\n`);
            await import(/* @vite-ignore */ file);
        }
        finally {
            rmSync(dir, { recursive: true, force: true });
        }
        expect(lines).toEqual(['newsa']);
    });
    test('every TypeScript block type-checks against the sources (strict)', () => {
        const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
        expect(blocks.length).toBeGreaterThanOrEqual(3);
        const dir = mkdtempSync(join(root, 'test', '.readme-'));
        try {
            const files = blocks.map((b, i) => {
                const file = join(dir, `block${i}.ts`);
                const src = b.replaceAll("from 'netlink-xfrm/testing'", "from '../../src/testing/index.js'").replaceAll("from 'netlink-xfrm'", "from '../../src/index.js'");
                writeFileSync(file, `${src}export {};\n`);
                return file;
            });
            const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
            const args = ['--noEmit', '--strict', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--types', 'node', '--skipLibCheck'];
            const r = spawnSync(process.execPath, [tsc, ...args, ...files], { cwd: root, encoding: 'utf8', timeout: 120_000 });
            expect(r.stdout + r.stderr).toBe('');
            expect(r.status).toBe(0);
        }
        finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }, 150_000);
    test('keeps the contributor set-up, `npm test` and the main command', () => {
        const setUp = blockAfter('### Set up');
        expect(setUp).toMatch(/^npm ci\b/m);
        expect(setUp).toMatch(/^npm test\b/m);
        expect(blockAfter('### The main command').trim()).toBe('npm run build && node dist/cli.js demo');
    });
    test('install comes before everything a user runs, contributing after it', () => {
        const install = readme.indexOf('npm install netlink-xfrm');
        expect(install).toBeGreaterThan(0);
        expect(install).toBeLessThan(readme.indexOf('## A first example'));
        expect(readme.indexOf('## Contributing')).toBeGreaterThan(readme.indexOf('## Security properties'));
    });
    test('names only files that exist in the repository', () => {
        const paths = [...readme.matchAll(/`((?:\.\.?\/)?(?:[\w.-]+\/)*[\w.-]+\.(?:md|ts|mjs|sh|json))`/g)].map((m) => m[1]);
        expect(paths.length).toBeGreaterThan(3);
        const missing = paths.filter((p) => !['first.mjs', 'sas.json', 'package.json'].includes(p) && !existsSync(join(root, p)));
        expect(missing).toEqual([]);
        expect(readme).not.toMatch(/\]\(\.\.\//); // no markdown link out of the repository
    });
    test('the package it describes: LICENSE (MIT, as package.json says), CHANGELOG, the shim source, not the layout oracle', { timeout: 60_000 }, () => {
        const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
        expect(pkg.license).toBe('MIT');
        expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the netlink-xfrm contributors\n/);
        expect(pkg.keywords).toEqual(expect.arrayContaining(['netlink', 'xfrm', 'ipsec']));
        const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        const packed = JSON.parse(out)[0].files.map((f) => f.path);
        for (const f of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json', 'native/netlink_shim.c', 'native/binding.gyp', 'scripts/build-native.mjs']) {
            expect(packed, f).toContain(f);
        }
        // The layout oracle is a test of this repository against the C compiler: users never build it.
        expect(packed.filter((f) => /layout_oracle|^test\/|^src\/|^fuzz\/|^bench\/|^fixtures\//.test(f))).toEqual([]);
    });
});
