/**
 * strongSwan charon daemons for the guest tests (charon.guest.ts, ip-output.guest.ts): one per
 * namespace, each with its own strongswan.conf and vici socket written here (the host's
 * /etc/strongswan*, /etc/ipsec* and /etc/swanctl are never read or written).
 *
 * Each charon runs under `ip netns exec` (a mount namespace of its own) on a private tmpfs
 * /run, because its pid file is always /run/charon.pid; the vici sockets live in a directory
 * on the guest's own tmpfs (`sockets`), the configs and logs in `work`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './esp-setup.js';
export const CHARON = '/usr/lib/ipsec/charon';
export const SWANCTL = '/usr/sbin/swanctl';
/** charon and swanctl are installed (Debian strongswan-charon, strongswan-swanctl). */
export const HAVE_CHARON = existsSync(CHARON) && existsSync(SWANCTL);
/** Why the charon tests cannot run, for their skip banner. */
export const CHARON_MISSING = `strongSwan not installed (${[CHARON, SWANCTL].filter((p) => !existsSync(p)).join(', ')} missing): apt-get install strongswan-charon strongswan-swanctl`;
/** Print the loud banner of a guest file skipped because strongSwan is missing (`what`: what went untested). */
export function warnCharonMissing(what) {
    if (HAVE_CHARON)
        return;
    const line = '!'.repeat(78);
    console.warn(['', line, `!!  ${what}`, `!!  ${CHARON_MISSING}`, line, ''].join('\n'));
}
/** Plugins each daemon loads: PSK IKEv2 with AES/SHA-2/MODP, the kernel and sockets, vici. */
const CHARON_PLUGINS = 'random nonce aes sha1 sha2 hmac kdf drbg gmp kernel-netlink socket-default vici';
function strongswanConf(vici, log, opts) {
    const ports = opts.natPort !== undefined ? `  port = 500\n  port_nat_t = ${opts.natPort}\n` : '';
    const ike = opts.ikeLog ? '      ike = 2\n' : '';
    return `charon {
${ports}  install_routes = no
  install_virtual_ip = no
  load = ${CHARON_PLUGINS}
  plugins {
    vici {
      socket = unix://${vici}
    }
  }
  filelog {
    test {
      path = ${log}
      default = 1
${ike}      knl = 2
      flush_line = yes
    }
  }
  syslog {
  }
}
swanctl {
  load = random
}
`;
}
/** The daemons of one test file, started in order and stopped together. */
export class CharonDaemons {
    work;
    sockets;
    daemons = [];
    /** @param work configs and logs. @param sockets vici sockets (a directory on the guest's tmpfs). */
    constructor(work, sockets) {
        this.work = work;
        this.sockets = sockets;
    }
    /** Start charon `name` in namespace `ns` and wait for its vici socket (20 s). */
    async start(name, ns, opts = {}) {
        const conf = join(this.work, `${name}.strongswan.conf`);
        const vici = join(this.sockets, `${name}.vici`);
        const log = join(this.work, `${name}.charon.log`);
        writeFileSync(conf, strongswanConf(vici, log, opts));
        // `ip netns exec` gives the command its own mount namespace: the tmpfs on /run (charon's
        // fixed pid file) stays there. Both exec, so the child's pid is charon's.
        const proc = spawn('ip', ['netns', 'exec', ns, 'sh', '-c', `mount -t tmpfs nlx-charon /run && exec ${CHARON}`], {
            env: { ...process.env, STRONGSWAN_CONF: conf },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        const d = { name, ns, conf, vici, log, proc, output: '' };
        this.daemons.push(d);
        proc.stdout.on('data', (b) => void (d.output += b.toString()));
        proc.stderr.on('data', (b) => void (d.output += b.toString()));
        const deadline = Date.now() + 20_000;
        while (!existsSync(vici)) {
            if (proc.exitCode !== null || proc.signalCode !== null)
                throw new Error(`charon ${name} exited (${proc.exitCode ?? proc.signalCode}): ${d.output}`);
            if (Date.now() > deadline)
                throw new Error(`charon ${name}: no vici socket ${vici} after 20 s: ${d.output}`);
            await sleep(100);
        }
        return d;
    }
    /** Stop every daemon: SIGTERM, then SIGKILL after 5 s. */
    async stopAll() {
        for (const d of this.daemons) {
            if (d.proc.exitCode !== null || d.proc.signalCode !== null)
                continue;
            const exited = new Promise((r) => d.proc.once('exit', () => r()));
            d.proc.kill('SIGTERM');
            const t = setTimeout(() => d.proc.kill('SIGKILL'), 5000);
            await exited;
            clearTimeout(t);
        }
    }
}
/** Run swanctl against daemon `d`'s vici socket; its output, or an error with what it printed. */
export function swanctl(d, args) {
    const r = spawnSync(SWANCTL, [...args, '--uri', `unix://${d.vici}`], {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, STRONGSWAN_CONF: d.conf },
    });
    if (r.status !== 0)
        throw new Error(`swanctl ${args.join(' ')} (charon ${d.name}) exited ${r.status ?? r.signal}: ${r.stdout}${r.stderr}`);
    return r.stdout;
}
/** Daemon `d`'s log so far ('' before it wrote one). */
export const logOf = (d) => (existsSync(d.log) ? readFileSync(d.log, 'utf8') : '');
