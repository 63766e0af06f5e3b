/**
 * The C side of the layout oracle (test/layout.test.ts): find a C compiler, list what the
 * system's `<linux/xfrm.h>` / `<linux/netlink.h>` define (by preprocessing them, so
 * whatever version is installed is what gets checked), generate the body of
 * `native/layout_oracle.c` for exactly those structs and constants, compile, run and parse.
 *
 * Plus the small generic helpers the test uses to probe TS decoders: byte patterns and a
 * deep "which leaf fields differ" comparison.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ORACLE_SOURCE = join(REPO_ROOT, 'native', 'layout_oracle.c');
/**
 * Extra compiler flags from `$LAYOUT_ORACLE_CFLAGS`, e.g. `-isystem /path/to/linux/usr/include`
 * to check the codecs against another (newer) uapi header tree than the installed one.
 */
export const EXTRA_CFLAGS = (process.env.LAYOUT_ORACLE_CFLAGS ?? '').split(/\s+/).filter(Boolean);
// ---------------------------------------------------------------------------------------
// Compiler
// ---------------------------------------------------------------------------------------
/** The C compiler to use (`$CC` or `cc`), or `null` when none runs. */
export function findCompiler() {
    const candidates = [process.env.CC, 'cc', 'gcc', 'clang'].filter((x) => !!x);
    for (const cc of candidates) {
        const r = spawnSync(cc, ['--version'], { encoding: 'utf8' });
        if (r.status === 0)
            return cc;
    }
    return null;
}
/** `null` if the compiler finds the uapi headers the oracle needs, else the compiler's complaint. */
export function missingHeaders(cc) {
    const r = spawnSync(cc, [...EXTRA_CFLAGS, '-E', '-x', 'c', '-'], {
        input: '#include <linux/netlink.h>\n#include <linux/xfrm.h>\n',
        encoding: 'utf8',
    });
    if (r.status === 0)
        return null;
    return (r.stderr || String(r.error)).split('\n').find((l) => /error/i.test(l)) ?? `${cc} -E failed`;
}
function run(cmd, args, cwd) {
    const r = spawnSync(cmd, args, { encoding: 'utf8', cwd, maxBuffer: 64 * 1024 * 1024 });
    return { ok: r.status === 0 && !r.error, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}
const HEADERS_OF_INTEREST = ['linux/xfrm.h', 'linux/netlink.h', 'linux/rtnetlink.h'];
function stripAttributes(s) {
    return s.replace(/__attribute__\s*\(\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\)/g, ' ');
}
/** Parse `struct x { ... };` and `typedef union { ... } y;` definitions out of preprocessed code. */
export function parseDecls(code, header, unparsed) {
    const out = [];
    const re = /\b(typedef\s+)?(struct|union)\s*(\w*)\s*\{([^{}]*)\}\s*(\w*)\s*;/g;
    for (let m = re.exec(code); m; m = re.exec(code)) {
        const [, typedef, kind, tag, body, tdName] = m;
        const name = typedef ? tdName : tag;
        if (!name)
            continue;
        const ctype = typedef ? tdName : `${kind} ${tag}`;
        const members = [];
        for (let decl of stripAttributes(body).split(';')) {
            decl = decl.replace(/\s+/g, ' ').trim();
            if (!decl)
                continue;
            // `type a, b[2]` → two declarators sharing the base type.
            const first = /^(.*?)(\w+)\s*(\[[^\]]*\])?\s*(,.*)?$/.exec(decl);
            if (!first || !first[1].trim()) {
                unparsed.push(`${header}: ${name}: ${decl}`);
                continue;
            }
            const base = first[1].trim();
            const declarators = [`${first[2]}${first[3] ?? ''}`, ...(first[4] ? first[4].slice(1).split(',') : [])];
            for (const d of declarators) {
                const dm = /^\s*(\w+)\s*(\[[^\]]*\])?\s*$/.exec(d);
                if (!dm) {
                    unparsed.push(`${header}: ${name}: ${decl}`);
                    continue;
                }
                const arr = dm[2]?.replace(/\s+/g, '');
                members.push({ name: dm[1], ctype: base + (arr ?? ''), flex: arr === '[]' || arr === '[0]' });
            }
        }
        out.push({ name, ctype, kind: kind, header, members });
    }
    return out;
}
/** Enum member names in preprocessed code. */
export function parseEnumMembers(code) {
    const names = [];
    const re = /\benum\b\s*\w*\s*\{([^{}]*)\}/g;
    for (let m = re.exec(code); m; m = re.exec(code)) {
        for (const ent of m[1].split(',')) {
            const id = /^\s*([A-Za-z_]\w*)/.exec(ent);
            if (id)
                names.push(id[1]);
        }
    }
    return names;
}
/**
 * Preprocess the oracle's #include list (`-E -dD`) and list what the headers define. The
 * linemarkers attribute every line and #define to its header, and inactive `#if` blocks are
 * already gone, so this is exactly what the compiler sees.
 */
export function scanHeaders(cc) {
    const r = run(cc, ['-std=gnu11', ...EXTRA_CFLAGS, '-E', '-dD', '-DORACLE_HEADERS_ONLY', ORACLE_SOURCE]);
    if (!r.ok)
        throw new Error(`${cc} -E ${ORACLE_SOURCE} failed:\n${r.stderr}`);
    const code = new Map();
    const macros = new Map();
    const paths = {};
    let file = '';
    for (const line of r.stdout.split('\n')) {
        const lm = /^# \d+ "([^"]*)"/.exec(line);
        if (lm) {
            file = lm[1];
            for (const h of HEADERS_OF_INTEREST)
                if (file.endsWith(`/${h}`))
                    paths[h] = file;
            continue;
        }
        const dm = /^#\s*define\s+(\w+)(\(?)\s*(.*)$/.exec(line);
        if (dm) {
            if (!dm[2])
                macros.set(dm[1], { file, value: dm[3].trim() });
            continue;
        }
        if (/^#\s*undef\s+(\w+)/.test(line)) {
            macros.delete(/^#\s*undef\s+(\w+)/.exec(line)[1]);
            continue;
        }
        if (line.startsWith('#'))
            continue;
        let arr = code.get(file);
        if (!arr)
            code.set(file, (arr = []));
        arr.push(line);
    }
    const textOf = (h) => (paths[h] ? (code.get(paths[h]) ?? []).join('\n') : '');
    const enumMembers = new Map();
    for (const [f, lines] of code)
        for (const n of parseEnumMembers(lines.join('\n')))
            enumMembers.set(n, f);
    const unparsed = [];
    const decls = [
        ...parseDecls(textOf('linux/xfrm.h'), 'xfrm.h', unparsed),
        ...parseDecls(textOf('linux/netlink.h'), 'netlink.h', unparsed),
        ...parseDecls(textOf('linux/rtnetlink.h'), 'rtnetlink.h', unparsed).filter((d) => d.name === 'rtattr'),
    ];
    const namesIn = (h) => {
        const p = paths[h];
        if (!p)
            return [];
        const s = new Set();
        for (const [n, m] of macros)
            if (m.file === p && isIntegerMacro(n, m.value))
                s.add(n);
        for (const n of parseEnumMembers(textOf(h)))
            s.add(n);
        return [...s];
    };
    return {
        paths,
        decls,
        macros,
        enumMembers,
        xfrmNames: namesIn('linux/xfrm.h'),
        netlinkNames: namesIn('linux/netlink.h'),
        unparsed,
    };
}
/** An object-like macro that plausibly expands to an integer constant expression. */
function isIntegerMacro(name, value) {
    if (!/^[A-Z_][A-Z0-9_]*$/.test(name))
        return false;
    if (value === '' || /^_+[A-Z0-9_]*_H$/.test(name))
        return false;
    return !/["'{};]/.test(value);
}
/** Does the compiler know `name` as an object-like macro or an enum member? */
export function headersDefine(scan, name) {
    return scan.macros.has(name) || scan.enumMembers.has(name);
}
const cstr = (s) => JSON.stringify(s);
export function generateBody(decls, constNames) {
    const lines = ['/* generated by test/helpers/layout.ts from the system headers; do not edit */'];
    const ids = { structs: new Map(), members: new Map() };
    decls.forEach((d, i) => {
        const sid = `s${i}`;
        ids.structs.set(d.name, sid);
        lines.push(`ORACLE_STRUCT(${d.ctype}, ${cstr(d.name)}, ${sid})`);
        d.members.forEach((m, j) => {
            const mid = `${sid}_m${j}`;
            ids.members.set(`${d.name}.${m.name}`, mid);
            const macro = m.flex ? 'ORACLE_FLEX' : 'ORACLE_MEMBER';
            lines.push(`${macro}(${d.ctype}, ${m.name}, ${cstr(d.name)}, ${cstr(m.ctype)}, ${mid})`);
        });
    });
    for (const n of constNames)
        lines.push(`ORACLE_CONST(${n})`);
    return { text: lines.join('\n') + '\n', ids };
}
export function parseOracleOutput(text) {
    const structs = new Map();
    const consts = new Map();
    let abi = '';
    let sizeofLong = 0;
    for (const line of text.split('\n')) {
        const f = line.split('\t');
        if (f[0] === 'ABI') {
            abi = f[1];
            sizeofLong = Number(f[2]);
        }
        else if (f[0] === 'S') {
            structs.set(f[1], { name: f[1], size: Number(f[2]), align: Number(f[3]), members: [] });
        }
        else if (f[0] === 'M') {
            structs.get(f[1]).members.push({
                name: f[2],
                offset: Number(f[3]),
                size: f[4] === 'flex' ? null : Number(f[4]),
                ctype: f[5],
            });
        }
        else if (f[0] === 'K') {
            consts.set(f[1], { signed: BigInt(f[2]), unsigned: BigInt(f[3]) });
        }
    }
    return { abi, sizeofLong, structs, consts };
}
/**
 * Generate the body, compile `native/layout_oracle.c` with it into a temp dir, run it and
 * parse the output. A constant the compiler calls undeclared is dropped (listed in
 * `rejected`) and the build retried once.
 */
export function runOracle(cc, decls, constNames, extraFlags = []) {
    const dir = mkdtempSync(join(tmpdir(), 'layout-oracle-'));
    try {
        let names = [...constNames];
        const rejected = [];
        for (let attempt = 0;; attempt++) {
            const { text } = generateBody(decls, names);
            writeFileSync(join(dir, 'layout_oracle_body.h'), text);
            const exe = join(dir, 'layout_oracle');
            const args = ['-std=gnu11', ...EXTRA_CFLAGS, ...extraFlags, '-I', dir, '-o', exe, ORACLE_SOURCE];
            const c = run(cc, args);
            if (!c.ok) {
                const bad = [...c.stderr.matchAll(/[‘'`](\w+)[’'`] undeclared/g)].map((x) => x[1]);
                if (attempt === 0 && bad.length && bad.every((b) => names.includes(b))) {
                    rejected.push(...new Set(bad));
                    names = names.filter((n) => !bad.includes(n));
                    continue;
                }
                throw new Error(`compiling the layout oracle failed: ${cc} ${args.join(' ')}\n${c.stderr}`);
            }
            const out = execFileSync(exe, { encoding: 'utf8' });
            return { ...parseOracleOutput(out), rejected, body: text, command: `${cc} ${args.join(' ')}` };
        }
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
/**
 * The same layouts for `-m32`: first as a real 32-bit program (needs a 32-bit libc); failing
 * that compile-only (`-S -DORACLE_DATA`, uapi headers only, numbers read back from the
 * assembly). On x86_64 Debian/Ubuntu the uapi `<asm/...>` headers live only in the
 * x86_64 multiarch directory, but the x86 uapi asm headers are shared by i386 and x86_64
 * (they switch on `__i386__`), so that directory may be appended with -idirafter.
 * Returns `{ skipped }` when the compiler cannot target 32-bit at all.
 */
export function runOracle32(cc, decls) {
    try {
        const full = runOracle(cc, decls, [], ['-m32']);
        if (full.abi === 'ILP32')
            return { method: `${cc} -m32 (compiled and run)`, structs: full.structs };
    }
    catch {
        // fall through to the compile-only method
    }
    const dir = mkdtempSync(join(tmpdir(), 'layout-oracle32-'));
    try {
        const { text, ids } = generateBody(decls, []);
        writeFileSync(join(dir, 'layout_oracle_body.h'), text);
        const attempts = [[]];
        const multiarch = run(cc, ['-print-multiarch']).stdout.trim();
        if (multiarch.startsWith('x86_64') && existsSync(`/usr/include/${multiarch}/asm`)) {
            attempts.push(['-idirafter', `/usr/include/${multiarch}`]);
        }
        const errors = [];
        for (const extra of attempts) {
            const args = ['-std=gnu11', ...EXTRA_CFLAGS, '-m32', '-S', '-DORACLE_DATA', ...extra, '-I', dir, '-o', '-', ORACLE_SOURCE];
            const c = run(cc, args);
            if (!c.ok) {
                errors.push(`${cc} ${args.join(' ')}: ${c.stderr.split('\n').find((l) => /error/.test(l)) ?? c.stderr}`);
                continue;
            }
            const sym = new Map();
            // gcc emits `.long N`, or `.zero 4` for 0; clang `.long N  # 0x..`.
            for (const m of c.stdout.matchAll(/^(oracle_\w+):\s*\n\s*\.(long|int|4byte|word|zero)\s+(\d+)/gm)) {
                sym.set(m[1], m[2] === 'zero' ? 0 : Number(m[3]));
            }
            if (sym.get('oracle_abi_long') !== 4) {
                errors.push(`${cc} -m32 -S: sizeof(long) = ${sym.get('oracle_abi_long')}, not an ILP32 target`);
                continue;
            }
            const structs = new Map();
            const get = (k) => {
                const v = sym.get(k);
                if (v === undefined)
                    throw new Error(`${k} not found in the -m32 assembly`);
                return v;
            };
            for (const d of decls) {
                const sid = ids.structs.get(d.name);
                structs.set(d.name, {
                    name: d.name,
                    size: get(`oracle_${sid}_sizeof`),
                    align: get(`oracle_${sid}_alignof`),
                    members: d.members.map((m) => {
                        const mid = ids.members.get(`${d.name}.${m.name}`);
                        return {
                            name: m.name,
                            offset: get(`oracle_${mid}_offset`),
                            size: m.flex ? null : get(`oracle_${mid}_size`),
                            ctype: m.ctype,
                        };
                    }),
                });
            }
            const how = extra.length ? ` with ${extra.join(' ')}` : '';
            return { method: `${cc} -m32 -S -DORACLE_DATA${how} (compile-only, no 32-bit libc)`, structs };
        }
        return { skipped: errors.join('\n') };
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
// ---------------------------------------------------------------------------------------
// Probing TS decoders
// ---------------------------------------------------------------------------------------
/** `xfrm_usersa_info` → `XfrmUsersaInfo`. */
export function pascal(cname) {
    return cname
        .split('_')
        .filter(Boolean)
        .map((p) => p[0].toUpperCase() + p.slice(1))
        .join('');
}
/** `prefixlen_d` → `prefixlenD`. */
export function camel(cname) {
    const p = pascal(cname);
    return p[0].toLowerCase() + p.slice(1);
}
/** A byte that is never 0, never a family value (2, 10) and has the top bit set. */
export function patternByte(i) {
    return 0x80 | ((i * 7 + 0x13) & 0x7f);
}
/** Printable ASCII for char arrays: `A`..`Z` repeating. */
export function asciiByte(i) {
    return 0x41 + (i % 26);
}
function isPlainObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof Date);
}
function leafEqual(a, b) {
    if (Object.is(a, b))
        return true;
    if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
        const x = a;
        const y = b;
        if (x.length !== y.length)
            return false;
        for (let i = 0; i < x.length; i++)
            if (!Object.is(x[i], y[i]))
                return false;
        return true;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        return a.length === b.length && a.every((v, i) => changedPaths(v, b[i]).length === 0);
    }
    return false;
}
/** Dotted paths of the leaves that differ between two decoded values (`''` = the value itself). */
export function changedPaths(a, b, prefix = '') {
    if (isPlainObject(a) && isPlainObject(b)) {
        const out = [];
        for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
            out.push(...changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
        }
        return out;
    }
    return leafEqual(a, b) ? [] : [prefix];
}
/** Value at a dotted path. */
export function getPath(v, path) {
    if (path === '')
        return v;
    let cur = v;
    for (const k of path.split('.')) {
        if (!isPlainObject(cur))
            return undefined;
        cur = cur[k];
    }
    return cur;
}
/** Short printable form of a decoded value for messages. */
export function show(v) {
    if (typeof v === 'bigint')
        return `${v}n`;
    if (typeof v === 'string')
        return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
    if (ArrayBuffer.isView(v))
        return `${v.constructor.name}(${v.length})`;
    if (Array.isArray(v))
        return `[${v.length} items]`;
    if (isPlainObject(v))
        return `{${Object.keys(v).join(',')}}`;
    return String(v);
}
