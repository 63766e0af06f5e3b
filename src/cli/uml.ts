/**
 * Running a command as root inside a user-mode-linux guest, for `demo` on kernels without
 * ESP: boots Debian's `linux.uml` through the repository's `scripts/uml/run.sh` (the guest's
 * root file system is the host's `/`, so it sees this package, `node` and `ip` at the same
 * paths) and streams the command's output back.
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../socket/native.js';

/** The UML kernel binary (override with `UML_BIN`). */
export function umlBin(): string {
  return process.env.UML_BIN ?? '/usr/bin/linux.uml';
}

/** `scripts/uml/run.sh` of this package, if present (it is in the repository, not in the npm tarball). */
export function umlRunScript(): string | undefined {
  const root = packageRoot();
  if (root === undefined) return undefined;
  const p = join(root, 'scripts', 'uml', 'run.sh');
  return existsSync(p) ? p : undefined;
}

/** Why a UML guest cannot be booted here, or undefined when it can. */
export function umlUnavailableReason(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `user-mode-linux needs linux/x64, this is ${process.platform}/${process.arch}`;
  if (!existsSync(umlBin())) return `${umlBin()} is not installed`;
  try {
    if (!readdirSync('/usr/lib/uml/modules').some((v) => existsSync(join('/usr/lib/uml/modules', v, 'modules.dep')))) {
      return 'no UML module tree under /usr/lib/uml/modules';
    }
  } catch {
    return 'no UML module tree under /usr/lib/uml/modules';
  }
  if (umlRunScript() === undefined) return 'scripts/uml/run.sh is not here (it ships with the repository checkout, not the npm package)';
  return undefined;
}

/** Options of {@link runInUmlGuest}. */
export interface UmlRunOptions {
  /** argv of the command (run as root in the guest). */
  command: string[];
  /** Working directory in the guest (default: the package root). */
  cwd?: string;
  /** Limit for the whole guest in seconds (default 240). */
  timeoutSeconds?: number;
  /** Receives the command's stdout. */
  out: (s: string) => void;
  /** Receives the command's stderr and run.sh's own messages. */
  err: (s: string) => void;
}

/**
 * Boot a guest, run the command, forward its output; resolves with its exit status (124 on
 * timeout, 125 if the guest never reported one).
 */
export function runInUmlGuest(opts: UmlRunOptions): Promise<number> {
  const script = umlRunScript();
  if (script === undefined) return Promise.reject(new Error('scripts/uml/run.sh not found'));
  const work = mkdtempSync(join('/tmp', 'nlx-demo-uml-'));
  const args = [script, '-t', String(opts.timeoutSeconds ?? 240), '-C', opts.cwd ?? packageRoot()!, work, ...opts.command];
  return new Promise<number>((resolve, reject) => {
    const child = spawn('bash', args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
      resolve(code ?? (signal ? 128 + 15 : 125));
    });
  });
}
