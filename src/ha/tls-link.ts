/**
 * The built-in transport of the HA link: `node:tls` with a pre-shared key (or certificates).
 *
 * PSK facts (Node 20, OpenSSL 3.0), which decide the configuration:
 * - Node exposes TLS-PSK only for TLS 1.2 and below (`pskCallback` on server and client,
 *   `pskIdentityHint`); TLS 1.3 external PSKs are not reachable through its API: a TLS 1.3
 *   handshake without a certificate fails (`ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM`).
 * - PSK suites are excluded from Node's default cipher list (`!PSK`), so they are named
 *   explicitly. We use `ECDHE-PSK-CHACHA20-POLY1305` only: the one PSK suite that has both an
 *   AEAD cipher and forward secrecy with ECDHE (a leaked PSK does not decrypt recorded
 *   sessions). Plain `PSK-AES256-GCM-SHA384` has no forward secrecy, and the `DHE-PSK-*` GCM
 *   suites need DH parameters configured on the server.
 * - A wrong key fails the handshake (the Finished messages do not verify) and a peer without a
 *   PSK shares no cipher with us: either way no application byte is exchanged.
 *
 * With certificates (`key`/`cert`/`ca` passed through), the link uses TLS 1.3 with mutual
 * authentication: the server requires and verifies the client's certificate.
 *
 * The server keeps {@link HaLinkListenOptions.maxSessions} sessions (default 1: one standby).
 * When a new standby authenticates while the limit is reached, the OLDEST session is closed
 * (`'replaced'`): a reconnecting standby must not be locked out by its own half-dead previous
 * connection, and only holders of the credential can connect at all.
 * @module
 */
import { EventEmitter } from 'node:events';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createServer, connect as tlsConnect, type Server, type TLSSocket } from 'node:tls';
import { SecretBytes } from '../netlink/secret.js';
import { HaFileError } from './atomic-file.js';
import { HaLinkError, StreamHaLink } from './link.js';

/** The PSK identity both sides use: the key, not the identity, is the secret. */
export const HA_PSK_IDENTITY = 'netlink-xfrm-ha/1';
/** The cipher suite of a PSK link (see the module comment for why). */
export const HA_PSK_CIPHERS = 'ECDHE-PSK-CHACHA20-POLY1305';
/** Shortest accepted pre-shared key, in bytes. */
export const HA_PSK_MIN_BYTES = 32;
/** Longest accepted pre-shared key, in bytes (OpenSSL's limit for a PSK). */
export const HA_PSK_MAX_BYTES = 512;

/**
 * Read a pre-shared key file: its whole content is the key. Refuses (with a {@link HaFileError}
 * naming the file and the problem, never the content) a missing file (`code` the errno code),
 * one readable or writable by group or others (`'mode'`), shorter than {@link HA_PSK_MIN_BYTES}
 * (`'short'`) or longer than {@link HA_PSK_MAX_BYTES} (`'long'`), or not a regular file.
 * @group Live HA
 */
export function readPskFile(path: string): SecretBytes {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new HaFileError(path, code, `PSK file ${path}: cannot open (${code})`, { cause: e });
  }
  try {
    // fstat on the open descriptor: the checked file is the read one.
    const st = fstatSync(fd);
    if (!st.isFile()) throw new HaFileError(path, 'type', `PSK file ${path}: not a regular file`);
    if ((st.mode & 0o077) !== 0) throw new HaFileError(path, 'mode', `PSK file ${path}: accessible by group or others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`);
    if (st.size < HA_PSK_MIN_BYTES) throw new HaFileError(path, 'short', `PSK file ${path}: ${st.size} bytes, at least ${HA_PSK_MIN_BYTES} needed`);
    if (st.size > HA_PSK_MAX_BYTES) throw new HaFileError(path, 'long', `PSK file ${path}: ${st.size} bytes, at most ${HA_PSK_MAX_BYTES}`);
    const buf = Buffer.alloc(HA_PSK_MAX_BYTES + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += r;
    try {
      // Checked again on what was read: the file may have changed after fstat.
      if (n < HA_PSK_MIN_BYTES) throw new HaFileError(path, 'short', `PSK file ${path}: ${n} bytes, at least ${HA_PSK_MIN_BYTES} needed`);
      if (n > HA_PSK_MAX_BYTES) throw new HaFileError(path, 'long', `PSK file ${path}: over ${HA_PSK_MAX_BYTES} bytes`);
      return new SecretBytes(buf.subarray(0, n));
    } finally {
      buf.fill(0);
    }
  } finally {
    closeSync(fd);
  }
}

/** Credentials of a link: a pre-shared key, or certificates (not both). @group Live HA */
export interface HaLinkCredentials {
  /** The pre-shared key (see {@link readPskFile}). */
  readonly psk?: Uint8Array;
  /** PEM private key, certificate chain and trusted CAs (mutual TLS 1.3), passed to `node:tls`. */
  readonly key?: string | Buffer;
  /** PEM certificate chain (certificate mode). */
  readonly cert?: string | Buffer;
  /** PEM CA certificates the peer's certificate must chain to (certificate mode). */
  readonly ca?: string | Buffer | Array<string | Buffer>;
  /** Handshake time limit in ms (default 10000). */
  readonly handshakeTimeoutMs?: number;
}

/** Options of {@link listenHaLink} (the publisher). @group Live HA */
export interface HaLinkListenOptions extends HaLinkCredentials {
  /** Address to listen on. */
  readonly host: string;
  /** Port (0: an ephemeral one, see {@link HaLinkServer.port}). */
  readonly port: number;
  /** Sessions kept at once (default 1); a new one beyond it closes the oldest. */
  readonly maxSessions?: number;
}

/** Options of {@link connectHaLink} (the standby). @group Live HA */
export interface HaLinkConnectOptions extends HaLinkCredentials {
  /** Publisher address. */
  readonly host: string;
  /** Publisher port. */
  readonly port: number;
  /** Name the server certificate must carry (certificate mode; default `host`). */
  readonly servername?: string;
  /** The session number this link reports (the caller counts its reconnects; default 1). */
  readonly session?: number;
}

function credentials(o: HaLinkCredentials): { psk: Buffer | undefined } {
  const hasCert = o.key !== undefined || o.cert !== undefined || o.ca !== undefined;
  if (o.psk !== undefined && hasCert) throw new HaLinkError('options', 'give a PSK or certificates, not both');
  if (o.psk === undefined && !(o.key !== undefined && o.cert !== undefined && o.ca !== undefined)) {
    throw new HaLinkError('options', 'a PSK, or key, cert and ca, are required: the link carries keys and is never unauthenticated');
  }
  if (o.psk !== undefined && (o.psk.length < HA_PSK_MIN_BYTES || o.psk.length > HA_PSK_MAX_BYTES)) {
    throw new HaLinkError('options', `the PSK must have ${HA_PSK_MIN_BYTES} to ${HA_PSK_MAX_BYTES} bytes, it has ${o.psk.length}`);
  }
  return { psk: o.psk === undefined ? undefined : Buffer.from(o.psk) };
}

function tlsMode(o: HaLinkCredentials, psk: Buffer | undefined): Record<string, unknown> {
  return psk !== undefined
    ? { ciphers: HA_PSK_CIPHERS, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }
    : { key: o.key, cert: o.cert, ca: o.ca, minVersion: 'TLSv1.3' };
}

function handshakeError(e: unknown): HaLinkError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const isTls = typeof code === 'string' && (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code === 'ECONNRESET' || code === 'EPIPE');
  return new HaLinkError(isTls ? 'handshake' : 'socket', `handshake failed${code ? ` (${code})` : ''}`, { cause: e });
}

/** The publisher's listening side: emits `'session'` with a {@link StreamHaLink} per authenticated standby. @group Live HA */
export interface HaLinkServer {
  /** Each authenticated standby connection: a new session (send it a full state first). */
  on(event: 'session', listener: (link: StreamHaLink) => void): this;
  /** A refused connection: wrong or missing credentials, a handshake timeout. */
  on(event: 'handshake-error', listener: (error: HaLinkError) => void): this;
  /** Like {@link on}, for the next event only. */
  once(event: 'session', listener: (link: StreamHaLink) => void): this;
  /** Like {@link on}, for the next event only. */
  once(event: 'handshake-error', listener: (error: HaLinkError) => void): this;
  /** Remove a listener added with {@link on} or {@link once}. */
  off(event: 'session', listener: (link: StreamHaLink) => void): this;
  /** Remove a listener added with {@link on} or {@link once}. */
  off(event: 'handshake-error', listener: (error: HaLinkError) => void): this;
  /** The port listened on (the ephemeral one when 0 was asked). */
  readonly port: number;
  /** Sessions open now. */
  sessions(): readonly StreamHaLink[];
  /** Failed handshakes since listening (wrong or missing credentials, timeouts). */
  readonly handshakeFailures: number;
  /** Stop listening and close every session. */
  close(): Promise<void>;
}

/**
 * Listen for standbys (the publisher's side). Each authenticated connection becomes a new
 * session, announced by the `'session'` event: the publisher must then send a full state on
 * it. Failed handshakes emit `'handshake-error'` with a {@link HaLinkError}. Resolves once
 * listening.
 * @group Live HA
 */
export async function listenHaLink(o: HaLinkListenOptions): Promise<HaLinkServer> {
  const { psk } = credentials(o);
  const maxSessions = o.maxSessions ?? 1;
  if (!Number.isSafeInteger(maxSessions) || maxSessions < 1) throw new HaLinkError('options', 'maxSessions must be a positive integer');
  const emitter = new EventEmitter();
  const open: StreamHaLink[] = [];
  let sessionNo = 0;
  let failures = 0;
  const server: Server = createServer({
    ...tlsMode(o, psk),
    ...(psk !== undefined
      ? { pskCallback: (_s: TLSSocket, identity: string) => (identity === HA_PSK_IDENTITY ? psk : null) }
      : { requestCert: true, rejectUnauthorized: true }),
    handshakeTimeout: o.handshakeTimeoutMs ?? 10_000,
  });
  server.on('tlsClientError', (e) => {
    failures++;
    if (emitter.listenerCount('handshake-error') > 0) emitter.emit('handshake-error', handshakeError(e));
  });
  server.on('secureConnection', (sock: TLSSocket) => {
    // Keepalive so a standby that vanished without a FIN is noticed and its session closed.
    sock.setKeepAlive(true, 5000);
    const link = new StreamHaLink(sock, { receives: 'ack', session: ++sessionNo });
    open.push(link);
    void link.closed.then(() => {
      const i = open.indexOf(link);
      if (i >= 0) open.splice(i, 1);
    });
    while (open.length > maxSessions) {
      const old = open.shift()!;
      old.abort(new HaLinkError('replaced', `session ${old.session} replaced by session ${link.session}`));
    }
    emitter.emit('session', link);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new HaLinkError('socket', `cannot listen on ${o.host}:${o.port}${'code' in e ? ` (${String(e.code)})` : ''}`, { cause: e })));
    server.listen(o.port, o.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  // defineProperty, not Object.assign: assign would copy the getter's value once (0).
  Object.defineProperty(emitter, 'handshakeFailures', { get: () => failures, enumerable: true });
  return Object.assign(emitter as EventEmitter & { readonly handshakeFailures: number }, {
    port,
    sessions: () => [...open],
    async close(): Promise<void> {
      const done = new Promise<void>((r) => server.close(() => r()));
      await Promise.all(open.map((l) => l.close()));
      await done;
    },
  });
}

/**
 * Connect to a publisher (the standby's side). Resolves with the session once the handshake
 * succeeded, so no record is read before the peer is authenticated; rejects with a
 * {@link HaLinkError} (`'handshake'`, `'timeout'`, `'socket'`) otherwise. A reconnect is a new
 * call and a new session: the publisher starts it with a full state.
 * @group Live HA
 */
export async function connectHaLink(o: HaLinkConnectOptions): Promise<StreamHaLink> {
  const { psk } = credentials(o);
  const timeoutMs = o.handshakeTimeoutMs ?? 10_000;
  return new Promise<StreamHaLink>((resolve, reject) => {
    const sock = tlsConnect({
      host: o.host,
      port: o.port,
      ...tlsMode(o, psk),
      ...(psk !== undefined
        ? { pskCallback: () => ({ psk, identity: HA_PSK_IDENTITY }), checkServerIdentity: () => undefined }
        : { servername: o.servername ?? o.host, rejectUnauthorized: true }),
    });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new HaLinkError('timeout', `no handshake with ${o.host}:${o.port} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (e: Error): void => {
      clearTimeout(timer);
      sock.destroy();
      reject(handshakeError(e));
    };
    sock.once('error', onError);
    sock.once('secureConnect', () => {
      clearTimeout(timer);
      sock.off('error', onError);
      sock.setKeepAlive(true, 5000);
      resolve(new StreamHaLink(sock, { receives: 'record', session: o.session ?? 1 }));
    });
  });
}
