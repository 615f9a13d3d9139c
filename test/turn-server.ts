// A real TURN server for the tests: coturn's `turnserver` on 127.0.0.1, started by the test
// itself on free ports, with long-term credentials, a realm, a self-signed certificate for
// TURN/TLS and its state (log, SQLite user database, pid file) in a temporary directory.
//
// startTurnServer() resolves once every listener answers; stop() kills the process (SIGTERM,
// then SIGKILL) and removes the directory. Every server started is also killed when the Node
// process exits, so a failed or interrupted test leaves no turnserver behind.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const TURN_HOST = '127.0.0.1';

export interface TurnServer {
  /** Plain TURN over UDP and TCP (one port serves both). */
  readonly port: number;
  /** TURN over TLS (TCP). */
  readonly tlsPort: number;
  readonly username: string;
  readonly password: string;
  readonly realm: string;
  /** The temporary directory holding the certificate, log and database. */
  readonly dir: string;
  /** The command line it was started with (for reports). */
  readonly commandLine: string[];
  /** What it printed so far (its log goes to stdout). */
  output(): string;
  /** Kills it and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** The path of an executable `name` on PATH (or in the sbin directories coturn may use), or null. */
export function findExecutable(name: string): string | null {
  const dirs = [
    ...(process.env.PATH ?? '').split(path.delimiter),
    '/usr/sbin',
    '/usr/local/sbin',
    '/usr/bin',
    '/usr/local/bin',
  ];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* not there */
    }
  }
  return null;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills what is still running when the test process exits, however it exits. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

/**
 * A port that is free on 127.0.0.1 for both TCP and UDP right now (the OS's choice for TCP,
 * checked for UDP). Another process could take it before turnserver binds it; turnserver then
 * fails to start and startTurnServer() says so.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, TURN_HOST, () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = dgram.createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, TURN_HOST, () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no port free for both TCP and UDP on 127.0.0.1');
}

/** A STUN Binding request (RFC 5389): answered by a listening STUN/TURN server over UDP. */
function stunBindingAnswered(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0); // Binding request
    request.writeUInt16BE(0, 2); // no attributes
    request.writeUInt32BE(0x2112a442, 4); // magic cookie
    crypto.randomFillSync(request, 8, 12); // transaction id
    const done = (answered: boolean) => {
      clearTimeout(timer);
      socket.close();
      resolve(answered);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('error', () => done(false));
    socket.on('message', (message) => {
      // A Binding success response with our transaction id.
      if (
        message.length >= 20 &&
        message.readUInt16BE(0) === 0x0101 &&
        message.subarray(8, 20).equals(request.subarray(8, 20))
      )
        done(true);
    });
    socket.send(request, port, TURN_HOST);
  });
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, TURN_HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface TurnServerOptions {
  /** How long to wait for the listeners; a failure guard only. */
  startTimeoutMs?: number;
}

/**
 * Starts turnserver on 127.0.0.1 and resolves once its UDP, TCP and TLS listeners answer.
 * Throws when `turnserver` is not installed (check findExecutable('turnserver') first to skip).
 */
export async function startTurnServer(options: TurnServerOptions = {}): Promise<TurnServer> {
  const executable = findExecutable('turnserver');
  if (!executable) throw new Error('turnserver (coturn) is not installed');
  const openssl = findExecutable('openssl');
  if (!openssl) throw new Error('openssl is not installed (needed for the TURN/TLS certificate)');
  installExitHook();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'libwebrtc-node-turn-'));
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    // A self-signed certificate for TURN/TLS, naming the address clients connect to.
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    await execFileAsync(openssl, [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      `/CN=${TURN_HOST}`,
      '-addext',
      `subjectAltName=IP:${TURN_HOST}`,
    ]);

    const port = await freePort();
    let tlsPort = await freePort();
    while (tlsPort === port) tlsPort = await freePort();
    const username = 'webrtc-test';
    const password = crypto.randomBytes(9).toString('base64url');
    const realm = 'libwebrtc-node.test';
    const args = [
      '-n', // no configuration file: /etc/turnserver.conf must not change what runs here
      '--no-cli', // no telnet CLI (coturn refuses loopback peers with a CLI lacking a password)
      '--listening-ip',
      TURN_HOST,
      '--relay-ip',
      TURN_HOST,
      '--listening-port',
      String(port),
      '--tls-listening-port',
      String(tlsPort),
      '--no-dtls', // libwebrtc has no TURN over DTLS
      // Both peers' relayed addresses are on 127.0.0.1: coturn denies loopback peers unless told.
      '--allow-loopback-peers',
      '--lt-cred-mech',
      '--fingerprint',
      '--user',
      `${username}:${password}`,
      '--realm',
      realm,
      '--cert',
      cert,
      '--pkey',
      key,
      '--userdb',
      path.join(dir, 'turndb'),
      '--pidfile',
      path.join(dir, 'turnserver.pid'),
      '--log-file',
      'stdout',
      '--simple-log',
    ];

    const child = spawn(executable, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let output = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    let exited: string | null = null;
    const exitedPromise = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        exited = `exit code ${code}, signal ${signal}`;
        resolve();
      });
      child.once('error', (error) => {
        running.delete(child);
        exited = `spawn error: ${error.message}`;
        resolve();
      });
    });

    let stopped: Promise<void> | null = null;
    const stop = (): Promise<void> => {
      stopped ??= (async () => {
        if (exited === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exitedPromise;
          clearTimeout(timer);
        }
        removeDir();
      })();
      return stopped;
    };

    const startTimeoutMs = options.startTimeoutMs ?? 15000;
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (exited !== null) {
        await stop();
        throw new Error(`turnserver exited while starting (${exited}):\n${output.slice(-3000)}`);
      }
      const ready = (await stunBindingAnswered(port, 200)) && (await tcpAccepts(port)) && (await tcpAccepts(tlsPort));
      if (ready) break;
      if (Date.now() > deadline) {
        await stop();
        throw new Error(
          `turnserver did not answer on ${TURN_HOST}:${port}/${tlsPort} within ${startTimeoutMs} ms:\n${output.slice(-3000)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    return {
      port,
      tlsPort,
      username,
      password,
      realm,
      dir,
      commandLine: [executable, ...args],
      output: () => output,
      stop,
    };
  } catch (error) {
    removeDir();
    throw error;
  }
}
