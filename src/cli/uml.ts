/**
 * Running a command as root inside a user-mode-linux guest, for `demo` on kernels without
 * ESP. Boots Debian's `linux.uml` (package `user-mode-linux`) with `scripts/uml/run.sh`, the
 * guest's PID 1 being `scripts/uml/init.sh`: both ship in the npm package (package.json
 * `files`, see {@link UML_PACKAGE_FILES}) and are the same scripts the repository's kernel
 * test suites boot with. The guest's root file system is the host's `/`, so it sees this
 * package, `node` and `ip` at the same paths; the command's output is streamed back.
 * @module
 */
import { spawn } from 'node:child_process';
import { accessSync, chmodSync, constants as fsConstants, copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../socket/native.js';
import { CliError, EXIT_IO } from './exit-codes.js';

/** The files of the package the launcher runs, relative to the package root (all in package.json `files`). */
export const UML_PACKAGE_FILES = { runScript: 'scripts/uml/run.sh', init: 'scripts/uml/init.sh' } as const;

/** Where Debian's `user-mode-linux` package installs the loadable modules of its kernel. */
export const UML_MODULES_DIR = '/usr/lib/uml/modules';

/** Exit status of a guest that was killed by its time limit (as `timeout(1)` and run.sh report it). */
export const UML_EXIT_TIMEOUT = 124;

/** Exit status when the guest ended without reporting one (boot failure, panic). */
export const UML_EXIT_NO_STATUS = 125;

/** What the launcher looks at on this host; tests replace it. */
export interface UmlHost {
  /** `process.platform`. */
  platform: string;
  /** `process.arch`. */
  arch: string;
  /** Environment (`UML_BIN` overrides the kernel). */
  env: Readonly<Record<string, string | undefined>>;
  /** The package root (where `scripts/uml/` is), if found. */
  root: string | undefined;
  /** True if `path` exists. */
  exists(path: string): boolean;
  /** The entries of a directory (throws if it is not one). */
  readdir(path: string): string[];
}

/** This host. */
export function thisHost(): UmlHost {
  return { platform: process.platform, arch: process.arch, env: process.env, root: packageRoot(), exists: existsSync, readdir: (p) => readdirSync(p) };
}

/** The UML kernel binary (override with `UML_BIN`). */
export function umlBin(host: Pick<UmlHost, 'env'> = thisHost()): string {
  return host.env.UML_BIN ?? '/usr/bin/linux.uml';
}

/** A file of {@link UML_PACKAGE_FILES} in this package, or undefined when it is missing. */
export function umlPackageFile(which: keyof typeof UML_PACKAGE_FILES, host: UmlHost = thisHost()): string | undefined {
  if (host.root === undefined) return undefined;
  const p = join(host.root, UML_PACKAGE_FILES[which]);
  return host.exists(p) ? p : undefined;
}

/** Which piece a UML guest lacks on this host (see {@link umlUnavailable}). */
export type UmlUnavailableReason = 'platform' | 'no-kernel' | 'no-modules' | 'package-files' | 'cwd';

/** No user-mode-linux guest can run here: `reason` says which piece is missing, the message names the fix. */
export class UmlUnavailableError extends CliError {
  /** The missing piece. */
  readonly reason: UmlUnavailableReason;
  /** @param reason the missing piece. @param message what is missing and how to fix it. */
  constructor(reason: UmlUnavailableReason, message: string) {
    super(`uml: ${message}`, EXIT_IO);
    this.name = 'UmlUnavailableError';
    this.reason = reason;
  }
}

/** The apt command that installs Debian's UML kernel and what its guest needs. */
export const UML_APT_INSTALL = 'apt-get install user-mode-linux';

/** Why a UML guest cannot be booted here (the first missing piece, with its fix), or undefined when it can. */
export function umlUnavailable(host: UmlHost = thisHost()): { reason: UmlUnavailableReason; message: string } | undefined {
  if (host.platform !== 'linux' || host.arch !== 'x64') {
    return { reason: 'platform', message: `user-mode-linux needs linux/x64, this is ${host.platform}/${host.arch}` };
  }
  const bin = umlBin(host);
  if (!host.exists(bin)) return { reason: 'no-kernel', message: `${bin} is not installed (${UML_APT_INSTALL})` };
  let trees: string[];
  try {
    trees = host.readdir(UML_MODULES_DIR).filter((v) => host.exists(join(UML_MODULES_DIR, v, 'modules.dep')));
  } catch {
    trees = [];
  }
  if (trees.length === 0) return { reason: 'no-modules', message: `no UML module tree under ${UML_MODULES_DIR} (${UML_APT_INSTALL})` };
  for (const which of ['runScript', 'init'] as const) {
    if (umlPackageFile(which, host) === undefined) {
      return { reason: 'package-files', message: `${UML_PACKAGE_FILES[which]} is missing from this netlink-xfrm package (reinstall it)` };
    }
  }
  return undefined;
}

/** {@link umlUnavailable}'s message alone. */
export function umlUnavailableReason(host: UmlHost = thisHost()): string | undefined {
  return umlUnavailable(host)?.message;
}

/** Options of {@link runInUmlGuest}. */
export interface UmlRunOptions {
  /** argv of the command (run as root in the guest). */
  command: string[];
  /** Working directory in the guest (default: the package root). */
  cwd?: string;
  /** Limit for the whole guest in seconds (default 240). */
  timeoutSeconds?: number;
  /** Environment variables of the command in the guest (run.sh gives it a clean environment). */
  env?: Readonly<Record<string, string>>;
  /** Guest RAM (run.sh `-m`, e.g. `1G`; default run.sh's 512M). */
  mem?: string;
  /** Receives the command's stdout. */
  out: (s: string) => void;
  /** Receives the command's stderr and run.sh's own messages. */
  err: (s: string) => void;
}

/** The process that boots the guest: `bash run.sh -t T -C DIR [-e K=V]… WORK command…`, and its environment additions. */
export interface UmlLaunch {
  /** The program (`bash`: the script needs no executable bit). */
  file: string;
  /** Its arguments. */
  args: string[];
  /** Added to the environment: `UML_INIT` when init.sh had to be copied (see {@link umlLaunch}). */
  env: Record<string, string>;
}

/**
 * The command line booting a guest for `opts`, with `work` as run.sh's work directory.
 * The kernel execs init.sh itself, so it must be executable: when the installed copy is not
 * (a package manager that dropped the mode bits), `initCopy` is where a 0755 copy goes.
 */
export function umlLaunch(
  opts: Pick<UmlRunOptions, 'command' | 'cwd' | 'timeoutSeconds' | 'env' | 'mem'>,
  paths: { runScript: string; root: string; work: string; initCopy?: string },
): UmlLaunch {
  const env = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const mem = opts.mem !== undefined ? ['-m', opts.mem] : [];
  const args = [paths.runScript, '-t', String(opts.timeoutSeconds ?? 240), '-C', opts.cwd ?? paths.root, ...mem, ...env, paths.work, ...opts.command];
  return { file: 'bash', args, env: paths.initCopy !== undefined ? { UML_INIT: paths.initCopy } : {} };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The exit status a shell reports for a process killed by `signal`: 128 + its number. */
export function signalExitStatus(signal: NodeJS.Signals): number {
  return 128 + (osConstants.signals[signal] ?? osConstants.signals.SIGTERM);
}

/**
 * Boot a guest, run the command, forward its output; resolves with its exit status
 * ({@link UML_EXIT_TIMEOUT} on timeout, {@link UML_EXIT_NO_STATUS} if the guest never
 * reported one, 128 + signal if run.sh itself was killed). SIGINT/SIGTERM sent to this
 * process are passed on to run.sh, which stops the guest.
 * @throws Error when the package's scripts are missing (see {@link umlUnavailableReason}).
 */
export function runInUmlGuest(opts: UmlRunOptions, host: UmlHost = thisHost()): Promise<number> {
  const runScript = umlPackageFile('runScript', host);
  const init = umlPackageFile('init', host);
  if (runScript === undefined || init === undefined || host.root === undefined) {
    return Promise.reject(new Error(umlUnavailableReason(host) ?? 'scripts/uml not found'));
  }
  const work = mkdtempSync(join(tmpdir(), 'nlx-demo-uml-'));
  let initCopy: string | undefined;
  let script = runScript;
  if (/\s/.test(runScript)) {
    // run.sh refuses paths with whitespace (its own directory and init.sh's go on the kernel
    // command line): a project in "My Projects" gets both scripts from the work directory.
    script = join(work, 'run.sh');
    copyFileSync(runScript, script);
    initCopy = join(work, 'init.sh');
  } else if (!isExecutable(init)) {
    initCopy = join(work, 'init.sh');
  }
  if (initCopy !== undefined) {
    copyFileSync(init, initCopy);
    chmodSync(initCopy, 0o755);
  }
  const launch = umlLaunch(opts, { runScript: script, root: host.root, work, ...(initCopy !== undefined ? { initCopy } : {}) });
  return new Promise<number>((resolve, reject) => {
    const child = spawn(launch.file, launch.args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...launch.env } });
    child.stdout.on('data', (d: Buffer) => opts.out(d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => opts.err(d.toString('utf8')));
    const forward = (sig: NodeJS.Signals) => (): void => void child.kill(sig);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const done = (): void => {
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGTERM', onTerm);
      rmSync(work, { recursive: true, force: true });
    };
    child.on('error', (e) => {
      done();
      reject(e);
    });
    child.on('close', (code, signal) => {
      done();
      resolve(code ?? (signal ? signalExitStatus(signal) : UML_EXIT_NO_STATUS));
    });
  });
}
