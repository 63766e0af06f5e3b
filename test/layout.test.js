/**
 * The layout oracle: every struct size, member offset/size and constant of the TS codecs,
 * checked against the C compiler and the system's uapi headers.
 *
 * native/layout_oracle.c is compiled with a body generated from what the installed
 * `<linux/xfrm.h>` / `<linux/netlink.h>` actually define (test/helpers/layout.ts), run, and
 * its output compared with:
 *   - `*_SIZE` exports                                              (sizeof)
 *   - the TS *decoders*: for each C member, bytes [off, off+size) of a zero buffer are set
 *     to a pattern (then only the first, then only the last byte) and exactly the mapped TS
 *     field must change; padding bytes must change nothing; re-encoding must give the
 *     pattern back at the same offsets; `*_PADDING` tables must match the C holes
 *   - constants of src/xfrm/constants.ts, src/netlink/constants.ts, src/netlink/align.ts,
 *     and conversely the header constants the TS side lacks
 *   - the i386 layout (`-m32`) of the u64-bearing structs, as XFRM-ABI.md §2 states it.
 * Items the system header does not have (newer than it) are listed as "not checkable".
 *
 * Needs a C compiler (`$CC`, cc, gcc or clang) and the uapi headers; without a compiler the
 * suite is skipped with a warning. `LAYOUT_ORACLE_CFLAGS="-isystem <dir>"` checks against
 * another header tree (e.g. the `usr/include` of a newer kernel's `make headers_install`).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { asciiByte, camel, changedPaths, findCompiler, getPath, headersDefine, missingHeaders, patternByte, pascal, REPO_ROOT, runOracle, runOracle32, scanHeaders, show, } from './helpers/layout.js';
// ---------------------------------------------------------------------------------------
// Knowledge the oracle cannot derive from the header (each entry says why)
// ---------------------------------------------------------------------------------------
/** C structs the TS side does not model on purpose. */
const NOT_MODELLED = {
    nl_mmap_req: 'mmap()ed netlink rings (NETLINK_RX_RING/TX_RING) were removed in Linux 4.6',
    nl_mmap_hdr: 'mmap()ed netlink rings (NETLINK_RX_RING/TX_RING) were removed in Linux 4.6',
};
/** C structs whose TS counterpart has another name. */
const SIZE_ALIASES = {
    rtattr: 'NLATTR_SIZE', // rtnetlink's spelling of struct nlattr (same wire format)
};
/**
 * C members the TS type represents through another field. The TS codecs drop redundant
 * length fields and carry them as the length of the data they count.
 */
const FIELD_OVERRIDES = {
    'xfrm_sec_ctx.ctx_len': 'ctx', // ctx_len === ctx.length
    'xfrm_sec_ctx.ctx_str': 'ctx',
    'xfrm_user_sec_ctx.ctx_len': 'ctx', // ctx_len === ctx.length
    'xfrm_user_sec_ctx.len': 'ctx', // len === 8 + ctx.length (validated on decode)
};
/** Length-bearing members of variable structs: how many bytes follow the header, and the data member they size. */
const COUNTS = {
    xfrm_algo: { member: 'alg_key_len', bytes: (bits) => Math.ceil(bits / 8), data: 'alg_key' },
    xfrm_algo_auth: { member: 'alg_key_len', bytes: (bits) => Math.ceil(bits / 8), data: 'alg_key' },
    xfrm_algo_aead: { member: 'alg_key_len', bytes: (bits) => Math.ceil(bits / 8), data: 'alg_key' },
    xfrm_replay_state_esn: { member: 'bmp_len', bytes: (words) => words * 4, data: 'bmp' },
    xfrm_sec_ctx: { member: 'ctx_len', bytes: (n) => n, data: 'ctx_str' },
    xfrm_user_sec_ctx: { member: 'ctx_len', bytes: (n) => n },
};
/** Above this many trailing bytes no buffer is built; the decoder must then reject the value. */
const EXTRA_CAP = 1 << 20;
/** Baselines other than all-zero, for decoders that reject an all-zero header. */
const BASELINES = {
    // The decoder requires len === 8 + ctx_len; all-zero has len 0.
    xfrm_user_sec_ctx: (buf, s) => writeUint(buf, member(s, 'len').offset, member(s, 'len').size, s.size),
};
/**
 * Header constants (families checked for completeness: XFRM_, XFRMA_, XFRMNLGRP_, NLM_F_,
 * NLMSG_, NETLINK_) that the TS side need not export.
 */
const MISSING_OK = {
    // Protocol numbers of the other netlink families: this library speaks NETLINK_XFRM only
    // (NETLINK_ROUTE and NETLINK_GENERIC are exported for reference).
    ...Object.fromEntries([
        'NETLINK_UNUSED', 'NETLINK_USERSOCK', 'NETLINK_FIREWALL', 'NETLINK_SOCK_DIAG', 'NETLINK_INET_DIAG',
        'NETLINK_NFLOG', 'NETLINK_SELINUX', 'NETLINK_ISCSI', 'NETLINK_AUDIT', 'NETLINK_FIB_LOOKUP',
        'NETLINK_CONNECTOR', 'NETLINK_NETFILTER', 'NETLINK_IP6_FW', 'NETLINK_DNRTMSG', 'NETLINK_KOBJECT_UEVENT',
        'NETLINK_SCSITRANSPORT', 'NETLINK_ECRYPTFS', 'NETLINK_RDMA', 'NETLINK_CRYPTO', 'NETLINK_SMC',
    ].map((n) => [n, 'protocol number of another netlink family'])),
    NETLINK_RX_RING: 'socket option of the mmap()ed rings removed in Linux 4.6 (ENOPROTOOPT since)',
    NETLINK_TX_RING: 'socket option of the mmap()ed rings removed in Linux 4.6 (ENOPROTOOPT since)',
    NETLINK_UNCONNECTED: 'kernel-internal socket state (enum in the uapi header), never on the wire',
    NETLINK_CONNECTED: 'kernel-internal socket state (enum in the uapi header), never on the wire',
};
const CHECKED_FAMILIES = /^(XFRM_|XFRMA_|XFRMNLGRP_|NLM_F_|NLMSG_|NETLINK_)/;
/**
 * Constants whose value grows with the header version (the last item of a list). The TS
 * side follows the newest kernel (7.3); against an older header TS may be larger, never smaller.
 */
const VERSIONED = new Set([
    'XFRM_MSG_MAX', 'XFRM_NR_MSGTYPES', 'XFRMA_MAX', 'XFRM_MODE_MAX', 'XFRMNLGRP_MAX', 'XFRMA_SAD_MAX',
    'XFRMA_SPD_MAX', 'NLMSGERR_ATTR_MAX', 'NL_POLICY_TYPE_ATTR_MAX', 'NL_ATTR_TYPE_MAX', 'XFRM_MIGRATE_STATE_KNOWN_FLAGS',
]);
/** XFRM-ABI.md §2: i386 differs from x86_64 only for the u64-bearing structs. */
const I386_EXPECTED = {
    xfrm_lifetime_cfg: { size: 64, align: 4 },
    xfrm_lifetime_cur: { size: 32, align: 4 },
    xfrm_usersa_info: { size: 220, align: 4 },
    xfrm_userspi_info: { size: 228, align: 4, offsets: { min: 220, max: 224 } },
    xfrm_userpolicy_info: { size: 164, align: 4 },
    xfrm_user_acquire: { size: 276, align: 4, offsets: { aalgos: 260, ealgos: 264, calgos: 268, seq: 272 } },
    xfrm_user_expire: { size: 224, align: 4, offsets: { hard: 220 } },
    xfrm_user_polexpire: { size: 168, align: 4, offsets: { hard: 164 } },
};
async function importDir(dir, into, errors) {
    const files = readdirSync(join(REPO_ROOT, dir))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
        .sort();
    for (const f of files) {
        try {
            const mod = (await import(pathToFileURL(join(REPO_ROOT, dir, f)).href));
            for (const [k, v] of Object.entries(mod))
                if (!into.has(k))
                    into.set(k, v);
        }
        catch (e) {
            errors.push(`${dir}/${f}: import failed: ${e.message}`);
        }
    }
}
async function doSetup(cc) {
    const scan = scanHeaders(cc);
    const exportsOf = new Map();
    const moduleErrors = [];
    await importDir('src/xfrm/structs', exportsOf, moduleErrors);
    await importDir('src/netlink', exportsOf, moduleErrors);
    const tsConsts = new Map();
    for (const file of ['src/xfrm/constants.ts', 'src/netlink/constants.ts', 'src/netlink/align.ts']) {
        try {
            const mod = (await import(pathToFileURL(join(REPO_ROOT, file)).href));
            for (const [k, v] of Object.entries(mod)) {
                if (/^[A-Z][A-Z0-9_]*$/.test(k) && (typeof v === 'number' || typeof v === 'bigint') && !tsConsts.has(k)) {
                    tsConsts.set(k, { value: v, file });
                }
            }
        }
        catch (e) {
            moduleErrors.push(`${file}: import failed: ${e.message}`);
        }
    }
    const constNames = new Set([...scan.xfrmNames, ...scan.netlinkNames]);
    for (const n of tsConsts.keys())
        if (headersDefine(scan, n))
            constNames.add(n);
    const oracle = runOracle(cc, scan.decls, [...constNames]);
    const o32 = runOracle32(cc, scan.decls);
    return { cc, scan, oracle, o32, exportsOf, moduleErrors, tsConsts };
}
const compiler = findCompiler();
const noHeaders = compiler ? missingHeaders(compiler) : null;
const cc = noHeaders ? null : compiler;
let setup;
let setupError;
if (!cc) {
    const bar = '!'.repeat(78);
    const why = compiler
        ? `the C compiler (${compiler}) finds no <linux/xfrm.h>: ${noHeaders}`
        : 'no C compiler (tried $CC, cc, gcc, clang)';
    console.warn(`\n${bar}\n!!  test/layout.test.ts SKIPPED: ${why}.\n` +
        `!!  Struct sizes, member offsets and constants were NOT checked against the kernel headers.\n` +
        `!!  Install a C compiler and the uapi headers (Debian: gcc linux-libc-dev) to run it.\n${bar}\n`);
}
else {
    try {
        setup = await doSetup(cc);
    }
    catch (e) {
        setupError = e;
    }
}
const notes = [];
const notCheckable = [];
function baseName(cname) {
    return cname === 'xfrm_address_t' ? 'xfrm_address' : cname;
}
const sizeExportName = (c) => `${baseName(c).toUpperCase()}_SIZE`;
const paddingExportName = (c) => `${baseName(c).toUpperCase()}_PADDING`;
/** Fail with one readable line per problem (no array diff). */
function assertNone(problems, title) {
    if (problems.length)
        throw new Error(`${title}\n  ${problems.join('\n  ')}`);
}
function member(s, name) {
    const m = s.members.find((x) => x.name === name);
    if (!m)
        throw new Error(`${s.name} has no member ${name}`);
    return m;
}
function writeUint(buf, off, size, value) {
    for (let i = 0; i < size; i++)
        buf[off + i] = Math.floor(value / 2 ** (8 * i)) & 0xff;
}
function readUint(buf, off, size) {
    let v = 0;
    for (let i = 0; i < size; i++)
        v += buf[off + i] * 2 ** (8 * i);
    return v;
}
function resolveTarget(name, ex) {
    const base = baseName(name);
    const P = pascal(base);
    if (name === 'xfrm_address_t') {
        const dec = ex.get('decodeXfrmAddress');
        const enc = ex.get('encodeXfrmAddress');
        if (!dec)
            return 'decodeXfrmAddress is not exported';
        return {
            decode: (v, o) => dec(v, o),
            encode: enc
                ? (value, length) => {
                    const b = new Uint8Array(length);
                    enc(new DataView(b.buffer), 0, value);
                    return b;
                }
                : undefined,
            how: 'decodeXfrmAddress(view, offset)',
        };
    }
    if (name === 'nlmsgerr') {
        const dec = ex.get('decodeNlmsgerr');
        if (!dec)
            return 'decodeNlmsgerr is not exported';
        return { decode: (v, o, a, le) => dec(v, o, o + a, 0, le), how: 'decodeNlmsgerr(view, offset, end, 0, le)' };
    }
    const codec = ex.get(`${camel(base)}Codec`);
    const encode = codec?.encode && codec.length
        ? (value, length) => {
            const b = new Uint8Array(Math.max(length, codec.length(value)));
            codec.encode(new DataView(b.buffer), 0, value, true);
            return b;
        }
        : undefined;
    // The codec's decode has one signature for fixed and variable structs; it wraps decodeXxx.
    if (codec && typeof codec.decode === 'function') {
        return { decode: (v, o, a, le) => codec.decode(v, o, a, le), encode, how: `${camel(base)}Codec.decode` };
    }
    const fn = ex.get(`decode${P}`);
    if (typeof fn === 'function') {
        if (fn.length === 3)
            return { decode: (v, o, _a, le) => fn(v, o, le), encode, how: `decode${P}(view, offset, le)` };
        return { decode: (v, o, a, le) => fn(v, o, a, le), encode, how: `decode${P}(view, offset, available, le)` };
    }
    return `neither ${camel(base)}Codec nor decode${P} is exported`;
}
function kindOf(m, structs) {
    if (m.size === null)
        return 'flex';
    if (m.ctype === 'xfrm_address_t')
        return 'address';
    if (/^char\[\d+\]$/.test(m.ctype))
        return 'chars';
    const sm = /^struct (\w+)$/.exec(m.ctype);
    if (sm && structs.has(sm[1]))
        return 'nested';
    return 'scalar';
}
const nestedName = (m) => /^struct (\w+)$/.exec(m.ctype)[1];
function isPlain(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}
function rangesOf(s, base, structs) {
    const out = [];
    for (const m of s.members) {
        const k = kindOf(m, structs);
        if (k === 'flex')
            continue;
        if (k === 'nested')
            out.push(...rangesOf(structs.get(nestedName(m)), base + m.offset, structs));
        else
            out.push([base + m.offset, base + m.offset + m.size]);
    }
    return out;
}
/** Bytes of `s` covered by no (leaf) member: padding, including holes inside nested structs. */
function holesOf(s, structs) {
    const covered = new Uint8Array(s.size);
    for (const [a, b] of rangesOf(s, 0, structs))
        covered.fill(1, a, b);
    const out = [];
    covered.forEach((c, i) => c || out.push(i));
    return out;
}
/** Holes of `s` that are not inside one of its nested struct members. */
function topLevelHoles(s, structs) {
    const nested = new Uint8Array(s.size);
    for (const m of s.members)
        if (kindOf(m, structs) === 'nested')
            nested.fill(1, m.offset, m.offset + m.size);
    return holesOf(s, structs).filter((i) => !nested[i]);
}
function byteList(xs) {
    const runs = [];
    for (let i = 0; i < xs.length;) {
        let j = i;
        while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1)
            j++;
        runs.push(i === j ? `${xs[i]}` : `${xs[i]}..${xs[j]}`);
        i = j + 1;
    }
    return runs.join(', ');
}
/**
 * Check every member of struct `root` against the TS decoder (and encoder), recursing
 * into nested structs, plus the padding bytes.
 */
function probeStruct(root, target, structs) {
    const problems = [];
    const pnotes = [];
    let checked = 0;
    const count = COUNTS[root.name];
    const baseline = new Uint8Array(root.size);
    BASELINES[root.name]?.(baseline, root);
    const decodeBuf = (buf) => {
        let extra = 0;
        if (count) {
            const cm = member(root, count.member);
            extra = count.bytes(readUint(buf, cm.offset, cm.size));
        }
        const full = new Uint8Array(root.size + Math.min(extra, EXTRA_CAP));
        full.set(buf);
        const available = full.length;
        try {
            return { value: target.decode(new DataView(full.buffer), 0, available, true), available };
        }
        catch (e) {
            return { error: e, available };
        }
    };
    const zero = decodeBuf(baseline);
    if (zero.error) {
        problems.push(`${root.name}: decoding the baseline (${root.size} zero bytes) threw: ${zero.error.message}`);
        return { problems, notes: pnotes, checked };
    }
    const zeroValue = zero.value;
    const rootIsObject = isPlain(zeroValue);
    // Which TS paths does some C member map to (to spot TS fields with no C counterpart)?
    const mappedPaths = new Set();
    const dataPathOf = (s, parentPath) => {
        const c = COUNTS[s.name];
        if (!c?.data)
            return undefined;
        const key = pickKey(s, c.data, parentPath);
        return key === undefined ? undefined : join(parentPath, key);
    };
    function join(a, b) {
        return a ? `${a}.${b}` : b;
    }
    function pickKey(s, cMember, parentPath) {
        const parent = getPath(zeroValue, parentPath);
        if (!isPlain(parent))
            return undefined;
        const override = FIELD_OVERRIDES[`${s.name}.${cMember}`];
        const candidates = [
            ...(override ? [override] : []),
            camel(cMember),
            camel(cMember.replace(/^(nlmsg|nla|rta)_/, '')),
        ];
        return candidates.find((k) => k in parent);
    }
    function flip(cPath, tsPath, s, m, abs, kind, which, allowAlso) {
        const buf = baseline.slice();
        const size = m.size;
        // The member's own bytes; for a nested struct without its internal/tail padding.
        const own = [];
        if (kind === 'nested') {
            for (const [a, b] of rangesOf(structs.get(nestedName(m)), abs, structs))
                for (let i = a; i < b; i++)
                    own.push(i);
            own.sort((x, y) => x - y);
        }
        else
            for (let i = abs; i < abs + size; i++)
                own.push(i);
        let expectString;
        let desc;
        if (which === 'full') {
            if (kind === 'chars') {
                for (let i = 0; i < size - 1; i++)
                    buf[abs + i] = asciiByte(i);
                buf[abs + size - 1] = 0;
                expectString = String.fromCharCode(...buf.subarray(abs, abs + size - 1));
                desc = `bytes ${abs}..${abs + size - 1} = "${expectString.slice(0, 8)}…" + NUL`;
            }
            else {
                for (const i of own)
                    buf[i] = patternByte(i);
                desc = `bytes ${byteList(own)} set`;
            }
        }
        else {
            const at = which === 'first' ? own[0] : own[own.length - 1];
            buf[at] = kind === 'chars' ? asciiByte(0) : patternByte(at);
            desc = `only byte ${at} (${which} byte of the member${kind === 'nested' ? ', padding excluded' : ''}) set`;
        }
        checked++;
        const where = `${root.name === cPath.split('.')[0] ? '' : `${root.name}: `}${cPath} (C offset ${abs}, size ${size}; ${desc})`;
        const r = decodeBuf(buf);
        if (r.error) {
            // A decoder that validates a length field may reject the value; accept that only if
            // the error names the exact number we wrote at this member's C offset.
            const v = size <= 6 ? readUint(buf, abs, size) : NaN;
            if (Number.isFinite(v) && r.error.message.includes(String(v))) {
                pnotes.push(`${where}: decoder rejected ${v} (“${r.error.message}”), so it reads this member here`);
                return;
            }
            problems.push(`${where}: TS decoder threw: ${r.error.message}`);
            return;
        }
        const changed = changedPaths(zeroValue, r.value);
        const inField = (p, f) => f === '' || p === f || p.startsWith(`${f}.`);
        const stray = changed.filter((p) => !inField(p, tsPath) && !allowAlso.some((a) => inField(p, a)));
        const hit = changed.some((p) => inField(p, tsPath));
        if (!hit || stray.length) {
            const got = changed.length ? changed.map((p) => `${p || '(value)'}=${show(getPath(r.value, p))}`).join(', ') : 'nothing';
            problems.push(`${where}: expected TS field "${tsPath || '(the value)'}" to change` +
                (stray.length ? ` and nothing else` : '') +
                `; TS decoder changed: ${got}`);
            return;
        }
        if (expectString !== undefined) {
            const got = getPath(r.value, tsPath);
            if (got !== expectString) {
                problems.push(`${where}: expected TS field "${tsPath}" === ${show(expectString)} (${size - 1} chars), got ${show(got)}`);
                return;
            }
        }
        if (target.encode) {
            let enc;
            try {
                enc = target.encode(r.value, r.available);
            }
            catch (e) {
                pnotes.push(`${where}: encoder refused the decoded value (${e.message}); encoder not checked here`);
            }
            if (enc) {
                const expected = new Uint8Array(r.available);
                expected.set(buf);
                const diff = [];
                for (let i = 0; i < Math.max(enc.length, expected.length); i++)
                    if (enc[i] !== expected[i])
                        diff.push(i);
                if (diff.length) {
                    problems.push(`${where}: re-encoding the decoded value differs from the input at byte(s) ${byteList(diff)} ` +
                        `(encoder writes "${tsPath}" somewhere else, or not at all)`);
                }
            }
        }
    }
    function walk(s, base, parentPath, cPrefix) {
        for (const m of s.members) {
            const kind = kindOf(m, structs);
            const cPath = `${cPrefix}.${m.name}`;
            const abs = base + m.offset;
            if (kind === 'flex') {
                // Flexible array: C puts it right at sizeof (the TS decoders read it at *_SIZE).
                checked++;
                if (m.offset !== s.size)
                    problems.push(`${cPath}: flexible array at C offset ${m.offset}, but sizeof is ${s.size}`);
                const key = pickKey(s, m.name, parentPath);
                if (key !== undefined)
                    mappedPaths.add(join(parentPath, key));
                continue;
            }
            let tsPath;
            if (s.members.every((x) => x.offset === 0) && !isPlain(getPath(zeroValue, parentPath))) {
                tsPath = parentPath; // a union decoded as one value (xfrm_address_t → string)
            }
            else {
                const key = pickKey(s, m.name, parentPath);
                if (key === undefined) {
                    const parent = getPath(zeroValue, parentPath);
                    problems.push(`${cPath} (C offset ${abs}, size ${m.size}): no TS field for it; tried ` +
                        `"${[FIELD_OVERRIDES[`${s.name}.${m.name}`], camel(m.name)].filter(Boolean).join('", "')}" in ` +
                        `${parentPath ? `"${parentPath}"` : 'the decoded value'} which has ${isPlain(parent) ? Object.keys(parent).join(', ') : show(parent)}`);
                    continue;
                }
                tsPath = join(parentPath, key);
            }
            mappedPaths.add(tsPath);
            const c = COUNTS[s.name];
            const allowAlso = c && c.member === m.name ? [dataPathOf(s, parentPath)].filter((x) => !!x) : [];
            flip(cPath, tsPath, s, m, abs, kind, 'full', allowAlso);
            flip(cPath, tsPath, s, m, abs, kind, 'first', allowAlso);
            if (m.size > 1 && kind !== 'chars')
                flip(cPath, tsPath, s, m, abs, kind, 'last', allowAlso);
            if (kind === 'nested' && isPlain(getPath(zeroValue, tsPath))) {
                walk(structs.get(nestedName(m)), abs, tsPath, cPath);
            }
        }
    }
    walk(root, 0, '', root.name);
    // TS fields that no C member maps to (informational).
    if (rootIsObject) {
        const leaves = changedPaths(zeroValue, {}).filter((p) => p !== '');
        const extra = leaves.filter((p) => ![...mappedPaths].some((m) => p === m || p.startsWith(`${m}.`)));
        if (extra.length)
            pnotes.push(`${root.name}: TS fields with no C member: ${extra.join(', ')}`);
    }
    // Padding: flipping a hole must change nothing.
    for (const h of holesOf(root, structs)) {
        const buf = baseline.slice();
        buf[h] = 0xa5;
        checked++;
        const r = decodeBuf(buf);
        if (r.error)
            problems.push(`${root.name}: padding byte ${h} set to 0xa5: TS decoder threw: ${r.error.message}`);
        else {
            const ch = changedPaths(zeroValue, r.value);
            if (ch.length)
                problems.push(`${root.name}: padding byte ${h} (no C member there) changed TS field(s) ${ch.join(', ')}`);
        }
    }
    return { problems, notes: pnotes, checked };
}
// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------
describe.skipIf(!cc)('layout oracle (C compiler vs TS codecs)', () => {
    test('the oracle compiles and runs against the system headers', () => {
        if (setupError)
            throw setupError;
        expect(setup).toBeDefined();
        const { oracle, scan } = setup;
        expect(oracle.structs.size).toBeGreaterThan(0);
        expect(scan.paths['linux/xfrm.h'], 'linux/xfrm.h not found by the compiler').toBeTruthy();
        expect(scan.unparsed, 'header lines the struct parser did not understand').toEqual([]);
        expect(setup.moduleErrors, 'TS modules that failed to import').toEqual([]);
    });
    if (!setup)
        return;
    const { oracle, scan, exportsOf, tsConsts } = setup;
    const structs = oracle.structs;
    describe('sizeof', () => {
        for (const s of structs.values()) {
            if (NOT_MODELLED[s.name]) {
                notes.push(`${s.name} (sizeof ${s.size}): not modelled in TS (${NOT_MODELLED[s.name]})`);
                continue;
            }
            const name = SIZE_ALIASES[s.name] ?? sizeExportName(s.name);
            test(`${s.name}: ${name} === ${s.size}`, () => {
                const v = exportsOf.get(name);
                expect(v, `MISSING: ${name} (sizeof ${s.name} = ${s.size}) is not exported by src/xfrm/structs/*.ts or src/netlink/*.ts`).toBeDefined();
                expect(v, `${name}: TS says ${String(v)}, C sizeof(${s.name}) = ${s.size}`).toBe(s.size);
            });
        }
        test('rtattr has the layout of nlattr', () => {
            const a = structs.get('rtattr');
            const b = structs.get('nlattr');
            if (!a || !b)
                return;
            expect(a.members.map((m) => [m.offset, m.size])).toEqual(b.members.map((m) => [m.offset, m.size]));
            expect(a.size).toBe(b.size);
        });
        test('TS structs the system header lacks (not checkable here)', () => {
            const known = new Set([...structs.keys()].map((n) => sizeExportName(n)));
            const sizes = [...exportsOf.keys()].filter((k) => /_SIZE$/.test(k) && typeof exportsOf.get(k) === 'number');
            // Only size exports of structs (an xxxCodec exists next to XXX_SIZE).
            const structLike = sizes.filter((k) => exportsOf.has(`${camel(k.replace(/_SIZE$/, '').toLowerCase())}Codec`));
            const lacking = structLike.filter((k) => !known.has(k));
            for (const k of lacking)
                notCheckable.push(`struct ${k.replace(/_SIZE$/, '').toLowerCase()} (${k} = ${String(exportsOf.get(k))}): not in ${scan.paths['linux/xfrm.h']}`);
        });
    });
    describe('members: C offset/size ↔ the field the TS decoder fills', () => {
        for (const s of structs.values()) {
            if (NOT_MODELLED[s.name] || s.name === 'rtattr')
                continue; // rtattr: see "rtattr has the layout of nlattr"
            if (s.name === 'nlattr') {
                test('nlattr: nlaIterate reads nla_len and nla_type at the C offsets', () => {
                    const it = exportsOf.get('nlaIterate');
                    expect(it, 'MISSING: nlaIterate').toBeTypeOf('function');
                    const len = member(s, 'nla_len');
                    const type = member(s, 'nla_type');
                    const buf = new Uint8Array(s.size);
                    writeUint(buf, len.offset, len.size, s.size);
                    writeUint(buf, type.offset, type.size, 0x1234);
                    const [h] = [...it(new DataView(buf.buffer), 0, buf.length, true)];
                    expect(h, 'nlattr: nla_len at C offset ' + len.offset + ', nla_type at ' + type.offset).toMatchObject({ len: s.size, type: 0x1234 });
                });
                continue;
            }
            test(`${s.name}`, () => {
                const target = resolveTarget(s.name, exportsOf);
                if (typeof target === 'string')
                    throw new Error(`MISSING: ${s.name} (sizeof ${s.size}): ${target}`);
                const r = probeStruct(s, target, structs);
                notes.push(...r.notes);
                assertNone(r.problems, `${s.name}: ${r.problems.length} of ${r.checked} probes failed (TS decoder: ${target.how}):`);
            });
        }
    });
    describe('*_PADDING tables ↔ C holes', () => {
        for (const s of structs.values()) {
            const name = paddingExportName(s.name);
            if (!exportsOf.has(name))
                continue;
            test(`${name}`, () => {
                const pad = exportsOf.get(name);
                const declared = new Set();
                for (const [a, b] of pad)
                    for (let i = a; i < b; i++)
                        declared.add(i);
                const holes = new Set(holesOf(s, structs));
                const problems = [];
                const notHoles = [...declared].filter((i) => !holes.has(i)).sort((a, b) => a - b);
                if (notHoles.length)
                    problems.push(`${name} lists byte(s) ${byteList(notHoles)} but C has a member there`);
                const missing = topLevelHoles(s, structs).filter((i) => !declared.has(i));
                if (missing.length)
                    problems.push(`${name} misses C padding byte(s) ${byteList(missing)} (sizeof ${s.size})`);
                assertNone(problems, `${name} vs the C layout of ${s.name}:`);
            });
        }
    });
    describe('constants', () => {
        const headerOlder = [...tsConsts.keys()].some((n) => /^XFRM/.test(n) && !headersDefine(scan, n));
        test('every TS constant the system headers define has the C value', () => {
            const problems = [];
            for (const [name, { value, file }] of tsConsts) {
                if (!headersDefine(scan, name)) {
                    notCheckable.push(`${name} = ${String(value)} (${file}): not defined by the system headers`);
                    continue;
                }
                const c = oracle.consts.get(name);
                if (!c) {
                    problems.push(`${name}: defined by the headers but the oracle could not print it${oracle.rejected.includes(name) ? ' (compiler rejected it)' : ''}`);
                    continue;
                }
                let ok;
                if (name === 'NLA_TYPE_MASK')
                    ok = BigInt(value) === (c.unsigned & 0xffffn);
                else if (typeof value === 'bigint')
                    ok = value === c.unsigned;
                else
                    ok = BigInt(value) === c.signed || BigInt(value) === c.unsigned;
                if (!ok && VERSIONED.has(name) && headerOlder && typeof value === 'number' && BigInt(value) > c.signed) {
                    notCheckable.push(`${name}: TS ${value} (newest kernel) vs ${c.signed} in this older header — version-dependent, accepted`);
                    continue;
                }
                if (!ok)
                    problems.push(`${name}: TS (${file}) = ${String(value)}, C = ${c.signed} (0x${c.unsigned.toString(16)})`);
            }
            assertNone(problems, 'TS constants that differ from the C value:');
        });
        test('every XFRM_/XFRMA_/XFRMNLGRP_/NLM_F_/NLMSG_/NETLINK_ constant of the headers exists in TS', () => {
            const missing = [];
            for (const name of [...scan.xfrmNames, ...scan.netlinkNames]) {
                if (!CHECKED_FAMILIES.test(name) || name.startsWith('__') || tsConsts.has(name) || MISSING_OK[name])
                    continue;
                const c = oracle.consts.get(name);
                missing.push(`${name} = ${c ? c.signed : '?'}`);
            }
            assertNone(missing, 'C constants of the system headers missing from src/xfrm/constants.ts / src/netlink/constants.ts:');
        });
    });
    describe('i386 (-m32) layout: the u64 alignment differences of XFRM-ABI.md §2', () => {
        const o32 = setup.o32;
        if ('skipped' in o32) {
            test.skip('no 32-bit C toolchain', () => { });
            notes.push(`i386 check skipped: no usable -m32 toolchain (${o32.skipped.split('\n')[0]})`);
            return;
        }
        test(`the six size differences and their offsets (${o32.method})`, () => {
            const problems = [];
            for (const [name, exp] of Object.entries(I386_EXPECTED)) {
                const s = o32.structs.get(name);
                if (!s) {
                    notCheckable.push(`i386 ${name}: not in the system header`);
                    continue;
                }
                if (s.size !== exp.size || s.align !== exp.align) {
                    problems.push(`${name}: i386 sizeof/alignof = ${s.size}/${s.align}, XFRM-ABI.md says ${exp.size}/${exp.align}`);
                }
                for (const [m, off] of Object.entries(exp.offsets ?? {})) {
                    const got = s.members.find((x) => x.name === m)?.offset;
                    if (got !== off)
                        problems.push(`${name}.${m}: i386 offset ${got}, XFRM-ABI.md says ${off}`);
                }
            }
            assertNone(problems, 'i386 layout differs from XFRM-ABI.md §2:');
        });
        test('every other struct has the same layout on i386 and on this ABI', () => {
            const problems = [];
            for (const s64 of structs.values()) {
                if (I386_EXPECTED[s64.name])
                    continue;
                const s32 = o32.structs.get(s64.name);
                const hasU64 = (s) => s.members.some((m) => /__u64|long long/.test(m.ctype) || (kindOf(m, structs) === 'nested' && hasU64(structs.get(nestedName(m)))));
                if (oracle.abi === 'LP64' && hasU64(s64)) {
                    problems.push(`${s64.name} contains a u64 but is not in the list of i386 differences`);
                    continue;
                }
                if (s32.size !== s64.size)
                    problems.push(`${s64.name}: i386 sizeof ${s32.size}, ${oracle.abi} ${s64.size}`);
                for (const m of s64.members) {
                    const m32 = s32.members.find((x) => x.name === m.name);
                    if (m32.offset !== m.offset)
                        problems.push(`${s64.name}.${m.name}: i386 offset ${m32.offset}, ${oracle.abi} ${m.offset}`);
                }
            }
            assertNone(problems, 'structs whose i386 layout differs unexpectedly:');
        });
    });
});
afterAll(() => {
    if (!setup)
        return;
    const { oracle, scan, o32 } = setup;
    const lines = [
        `layout oracle: ${setup.cc}, ${oracle.abi} (sizeof(long) = ${oracle.sizeofLong}), headers ${Object.values(scan.paths).join(', ')}`,
        `  ${oracle.structs.size} structs, ${oracle.consts.size} constants; i386: ${'skipped' in o32 ? 'skipped' : o32.method}`,
    ];
    if (oracle.rejected.length)
        lines.push(`  constants the compiler rejected: ${oracle.rejected.join(', ')}`);
    if (notCheckable.length)
        lines.push('  not checkable against these headers:', ...notCheckable.map((n) => `    - ${n}`));
    if (notes.length)
        lines.push('  notes:', ...notes.map((n) => `    - ${n}`));
    console.info(lines.join('\n'));
});
