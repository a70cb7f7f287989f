// The shared connection deadlines (handshake, request head, keep-alive idle) on real sockets.
import net from "node:net";
import { afterEach, expect, it } from "vitest";
import { Deadlines } from "./deadlines";

const opened: net.Socket[] = [];
let server: net.Server | null = null;
afterEach(() => {
  for (const socket of opened.splice(0)) socket.destroy();
  server?.close();
});

/** A connected pair: the server side (what Deadlines acts on) and the client side. */
async function pair(): Promise<{ serverSide: net.Socket; client: net.Socket }> {
  const accepted = new Promise<net.Socket>((resolve) => {
    server = net.createServer(resolve);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const client = net.connect((server!.address() as net.AddressInfo).port, "127.0.0.1");
  client.on("error", () => {});
  const serverSide = await accepted;
  opened.push(client, serverSide);
  return { serverSide, client };
}

it("destroys a socket whose deadline passed, within a second of it, and spares one whose deadline was cleared or moved", async () => {
  const deadlines = new Deadlines();
  const [due, cleared, moved] = [await pair(), await pair(), await pair()];
  const started = Date.now();
  deadlines.set(due.serverSide, 100);
  deadlines.set(cleared.serverSide, 100);
  deadlines.clear(cleared.serverSide);
  deadlines.set(moved.serverSide, 100);
  deadlines.set(moved.serverSide, 60_000);

  await new Promise((resolve) => due.client.once("close", resolve));
  expect(Date.now() - started).toBeLessThan(1_500);
  expect(cleared.serverSide.destroyed).toBe(false);
  expect(moved.serverSide.destroyed).toBe(false);
  deadlines.clear(moved.serverSide);
});
