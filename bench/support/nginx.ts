// Debian's nginx as the reference: one worker, run from a temp dir as our child process, pinned to
// the server core, with the same certificates, TLS 1.2 + 1.3 and `ssl_verify_client on`.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { MODERN_CIPHERS } from "../../lib/dataplane/secure-context";
import type { BenchCerts } from "./pki";
import { atExit, childPids, run, SERVER_CORE, sleep, spawnPinned, waitFor } from "./proc";

export interface NginxServerBlock {
  port: number;
  certs: BenchCerts;
  verifyClient: boolean;
}

/** TLS 1.2 suites of certgate's list, in OpenSSL names; the TLS 1.3 ones go to Ciphersuites. */
const TLS12_CIPHERS = MODERN_CIPHERS.split(":").filter((name) => !name.startsWith("TLS_")).join(":");
const TLS13_SUITES = MODERN_CIPHERS.split(":").filter((name) => name.startsWith("TLS_")).join(":");

/** An echo of the client certificate, about the size of certgate's JSON echo. */
const ECHO =
  '{"listener":{"id":"bench","name":"bench"},"tls":{"protocol":"$ssl_protocol","cipher":"$ssl_cipher"},' +
  '"clientCertificate":{"subject":"$ssl_client_s_dn","issuer":"$ssl_client_i_dn","serialNumber":"$ssl_client_serial",' +
  '"fingerprintSha256":"$ssl_client_fingerprint","notBefore":"$ssl_client_v_start","notAfter":"$ssl_client_v_end"},' +
  '"headers":{"X-Client-Cert-Verify":"$ssl_client_verify"}}';

function serverBlock(block: NginxServerBlock): string {
  return `
  server {
    listen 127.0.0.1:${block.port} ssl;
    ssl_certificate ${block.certs.serverPem};
    ssl_certificate_key ${block.certs.serverKey};
    ssl_client_certificate ${block.certs.caPem};
    ssl_verify_client ${block.verifyClient ? "on" : "off"};
    location / {
      default_type application/json;
      add_header cache-control no-store;
      return 200 '${ECHO}';
    }
  }`;
}

export class Nginx {
  private child: ChildProcess | null = null;
  private readonly conf: string;

  constructor(
    private readonly dir: string,
    /** The core it is pinned to (the server core unless it plays a backend); null: not pinned. */
    private readonly core: number | null = SERVER_CORE,
    /** worker_processes. */
    private readonly workers = 1,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.conf = path.join(dir, "nginx.conf");
  }

  write(blocks: NginxServerBlock[]): void {
    this.writeHttp(blocks.map(serverBlock).join("\n"));
  }

  /** Writes the configuration with this text inside `http { }` (after the shared settings). */
  writeHttp(inside: string): void {
    const dir = this.dir;
    fs.writeFileSync(
      this.conf,
      `worker_processes ${this.workers};
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_timeout 10s;
  keepalive_requests 10000000;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_ciphers ${TLS12_CIPHERS};
  ssl_conf_command Ciphersuites ${TLS13_SUITES};
  ssl_prefer_server_ciphers on;
${inside}
}
`,
    );
  }

  /** Starts the master (and its one worker) and waits until the worker is up. */
  async start(): Promise<void> {
    this.child = spawnPinned(this.core ?? "0-63", "nginx", ["-p", this.dir, "-e", path.join(this.dir, "error.log"), "-c", this.conf]);
    let stderr = "";
    this.child.stderr!.on("data", (chunk) => (stderr += chunk));
    const master = this.child.pid!;
    // Workers survive a killed master: end them too, whatever happens to the benchmark.
    atExit(() => {
      for (const pid of [master, ...childPids(master)]) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    });
    await waitFor(`nginx to start (${stderr.trim()})`, () => this.child?.exitCode === null && childPids(master).length >= this.workers, 10_000);
  }

  /** The master and its workers, for CPU and memory readings. */
  pids(): number[] {
    const master = this.child?.pid;
    return master ? [master, ...childPids(master)] : [];
  }

  /** `nginx -s reload` with the configuration written last; resolves when the command returns. */
  async reload(): Promise<void> {
    const result = await run("nginx", ["-p", this.dir, "-e", path.join(this.dir, "error.log"), "-c", this.conf, "-s", "reload"], 10_000);
    if (result.code !== 0) throw new Error(`nginx -s reload failed: ${result.stderr.trim()}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const pids = this.pids();
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM"); // fast shutdown
    await Promise.race([exited, sleep(3_000)]);
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone, as it should be
      }
    }
    this.child = null;
  }
}
