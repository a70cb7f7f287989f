// Whether a port can be bound on the data plane's host, and when it cannot, which program holds it.
// The console asks before it saves a listener's port, so a port taken by another program is refused
// with its name instead of being saved into an endpoint in "error". It binds the port for a moment
// (the way the data plane will: same host, exclusive) rather than asking a data plane, which may run
// in another process. Pure Node; the holder lookup reads Linux's /proc and gives up elsewhere.
import fs from "node:fs/promises";
import net from "node:net";

export interface PortHolder {
  pid: number;
  /** The process's command name (/proc/<pid>/comm), e.g. "nginx". */
  command: string;
}

export type PortProbe = { taken: false } | { taken: true; holder: PortHolder | null };

/** Binds host:port and lets it go at once; "taken" only for EADDRINUSE (other failures are the data plane's to report). */
export async function probePort(host: string, port: number): Promise<PortProbe> {
  const inUse = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "EADDRINUSE"));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
  if (!inUse) return { taken: false };
  return { taken: true, holder: await findPortHolder(port).catch(() => null) };
}

/** The process listening on a TCP port, from /proc (null when unknown, e.g. another user's process or not Linux). */
export async function findPortHolder(port: number): Promise<PortHolder | null> {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const inode of await listeningInodes(table, port)) inodes.add(inode);
  }
  if (inodes.size === 0) return null;
  let pids: string[];
  try {
    pids = (await fs.readdir("/proc")).filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await fs.readdir(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's: not ours to read
    }
    for (const fd of fds) {
      const target = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        const command = (await fs.readFile(`/proc/${pid}/comm`, "utf8").catch(() => "")).trim();
        return { pid: Number(pid), command: command || "unknown command" };
      }
    }
  }
  return null;
}

const LISTEN = "0A";

/** Inodes of the sockets listening on `port` in a /proc/net/tcp{,6} table. */
async function listeningInodes(table: string, port: number): Promise<string[]> {
  let text: string;
  try {
    text = await fs.readFile(table, "utf8");
  } catch {
    return [];
  }
  const inodes: string[] = [];
  // "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== LISTEN) continue;
    const localPort = parseInt(fields[1].slice(fields[1].lastIndexOf(":") + 1), 16);
    if (localPort === port && fields[9] !== "0") inodes.push(fields[9]);
  }
  return inodes;
}
