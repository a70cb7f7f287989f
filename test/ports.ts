import net from "node:net";

/**
 * CERTGATE_TEST_PORTS="21500-21999": the ports a run may open, when several runs share a machine and
 * each keeps to its own range. Unset: the OS picks.
 */
function portRange(): [number, number] | null {
  const match = /^(\d+)-(\d+)$/.exec(process.env.CERTGATE_TEST_PORTS ?? "");
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function listenOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

/** A port nobody listens on right now (the OS picks it, or one of CERTGATE_TEST_PORTS at random). */
export async function freePort(): Promise<number> {
  const range = portRange();
  if (!range) return listenOn(0);
  const [low, high] = range;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      return await listenOn(low + Math.floor(Math.random() * (high - low + 1)));
    } catch {
      // Taken: try another.
    }
  }
  throw new Error(`No free port in CERTGATE_TEST_PORTS=${process.env.CERTGATE_TEST_PORTS}.`);
}
