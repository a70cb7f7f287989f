// The data plane's lifecycle against real sockets: changes in force for new connections without
// cutting open ones, sessions that never cross configurations, faults that stay local to one
// listener, removal and shutdown, plain HTTP, and the connection records fed to the store writer.
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { testCertPath, testCertText } from "../../test/certs";
import { createDataplane } from "./dataplane";
import { freePort } from "../../test/ports";
import {
  KeepAliveClient,
  attempt,
  clientCred,
  der,
  eventually,
  expectRefusal,
  FeedLog,
  httpListener,
  httpsListener,
  plainRequest,
  tcpConnectError,
} from "../../test/dataplane";
import type { ConnectionRecord, Dataplane, DataplaneOptions, ListenerRuntimeConfig } from "./types";

const rootCa = { enabled: true, caCertificatesPem: [testCertText("root-ca.pem")] };

const open: { close(): unknown }[] = [];
let current: Dataplane | null = null;
/** The current data plane's connection records, as the store writer receives them. */
let feed = new FeedLog();

function start(options: DataplaneOptions = {}): Dataplane {
  feed = new FeedLog();
  const hook = options.onConnection;
  current = createDataplane({
    ...options,
    onConnection: (id, record) => {
      feed.onConnection(id, record);
      hook?.(id, record);
    },
  });
  return current;
}

afterEach(async () => {
  for (const thing of open.splice(0)) thing.close();
  await current?.close();
  current = null;
});

function withClientAuth(config: ListenerRuntimeConfig, clientAuth: typeof rootCa & { pinnedCertificatesDer?: Buffer[] }): ListenerRuntimeConfig {
  return {
    ...config,
    tls: { ...config.tls!, clientAuth: { pinnedCertificatesDer: [], ...clientAuth } },
  };
}

describe("status and url", () => {
  it("reports serving with the listener's url, and stopped for an unknown id", async () => {
    const dataplane = start();
    const port = await freePort();
    const wildcard = httpsListener(port, {}, { host: "0.0.0.0" });
    await dataplane.apply([wildcard]);
    expect(dataplane.status(wildcard.id)).toEqual({ state: "serving", error: null, url: `https://127.0.0.1:${port}` });
    expect(dataplane.status("nope")).toEqual({ state: "stopped", error: null, url: "" });
  });
});

describe("plain HTTP listeners", () => {
  it("echo over HTTP with tls null, HEAD without a body, 405 for other methods", async () => {
    const dataplane = start();
    const port = await freePort();
    const listener = httpListener(port);
    await dataplane.apply([listener]);
    expect(dataplane.status(listener.id).url).toBe(`http://127.0.0.1:${port}`);

    const get = await plainRequest(port, "GET", "/any/path?x=1");
    expect(get?.status).toBe(200);
    expect(get?.headers["content-type"]).toMatch(/^application\/json/);
    // A terminal prompt after `curl` starts on its own line.
    expect(get?.body.endsWith("}\n")).toBe(true);
    expect(get!.json()).toEqual({
      listener: { id: listener.id, name: listener.name },
      tls: null,
      clientCertificate: null,
      headers: {
        "X-Client-Cert-Subject": "",
        "X-Client-Cert-Issuer": "",
        "X-Client-Cert-Serial": "",
        "X-Client-Cert-Fingerprint-SHA256": "",
        "X-Client-Cert-Not-Before": "",
        "X-Client-Cert-Not-After": "",
        "X-Client-Cert-Verify": "NONE",
      },
    });

    const head = await plainRequest(port, "HEAD");
    expect(head?.status).toBe(200);
    expect(Number(head?.headers["content-length"])).toBeGreaterThan(0);
    expect(head?.body).toBe("");

    const post = await plainRequest(port, "POST");
    expect(post?.status).toBe(405);
    expect(post?.headers.allow).toBe("GET, HEAD");
    expect(post!.json()).toMatchObject({ status: 405 });
    expect(post?.body.endsWith("}\n")).toBe(true);

    await eventually(() => expect(feed.of(listener.id)).toHaveLength(3));
    expect(feed.of(listener.id)[0]).toMatchObject({ outcome: "accepted", reason: "ok", tlsProtocol: null });
  });
});

describe("configuration changes", () => {
  it("apply new rules to new connections at once while an open keep-alive connection keeps working", async () => {
    const dataplane = start();
    const port = await freePort();
    const off = httpsListener(port);
    await dataplane.apply([off]);

    const kept = await KeepAliveClient.open(port);
    open.push(kept);
    expect((await kept.request())?.status).toBe(200);

    // Enable Client CA: the very next connection without a certificate is refused...
    await dataplane.apply([withClientAuth(off, rootCa)]);
    const refused = await attempt(port);
    expect(refused.httpBytes).toBe(0);
    await eventually(() => expect(feed.of(off.id)[0].reason).toBe("no_certificate"));
    expect((await attempt(port, clientCred("client"))).response?.status).toBe(200);

    // ...while the connection opened before the change is not cut and still answers.
    const again = await kept.request();
    expect(again?.status).toBe(200);
    expect(again!.json().clientCertificate).toBeNull();
    expect(kept.isClosed).toBe(false);

    // And back: disabled again, no certificate needed.
    await dataplane.apply([off]);
    expect((await attempt(port)).response?.status).toBe(200);
    expect((await kept.request())?.status).toBe(200);
  });

  it("does not rebind when only the rules change (same listening socket, no refused connect)", async () => {
    const dataplane = start();
    const port = await freePort();
    const off = httpsListener(port);
    await dataplane.apply([off]);
    // Connect attempts run while 30 changes are applied: a rebind would show as ECONNREFUSED.
    let stop = false;
    const errors: string[] = [];
    const prober = (async () => {
      while (!stop) {
        const error = await tcpConnectError(port);
        if (error) errors.push(error);
      }
    })();
    for (let i = 0; i < 30; i++) {
      await dataplane.apply([i % 2 ? off : withClientAuth(off, rootCa)]);
      await new Promise((resolve) => setImmediate(resolve));
    }
    stop = true;
    await prober;
    expect(errors).toEqual([]);
  });

  it("keeps valid clients served without a single failure while changes are applied under load", async () => {
    const dataplane = start();
    const port = await freePort();
    const caOnly = withClientAuth(httpsListener(port), rootCa);
    const caAndPin = withClientAuth(caOnly, { ...rootCa, pinnedCertificatesDer: [der("client.pem")] });
    await dataplane.apply([caOnly]);
    const cred = clientCred("client"); // valid under both configurations
    let stop = false;
    const failures: unknown[] = [];
    let served = 0;
    const worker = async () => {
      while (!stop) {
        const result = await attempt(port, cred);
        if (result.response?.status === 200) served += 1;
        else failures.push(result.error ?? "no response");
      }
    };
    const workers = [worker(), worker(), worker(), worker()];
    for (let i = 0; i < 40; i++) {
      await dataplane.apply([i % 2 ? caOnly : caAndPin]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    stop = true;
    await Promise.all(workers);
    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(20);
  });

  it("leaves an unchanged listener untouched: sessions still resume after re-applying the same config", async () => {
    const dataplane = start();
    const port = await freePort();
    const listener = httpsListener(port);
    await dataplane.apply([listener]);
    const first = await attempt(port);
    expect(first.session).not.toBeNull();
    await dataplane.apply([{ ...listener, tls: { ...listener.tls!, clientAuth: { ...listener.tls!.clientAuth } } }]);
    const resumed = await attempt(port, { session: first.session! });
    expect(resumed.reused).toBe(true);
    expect(resumed.response?.status).toBe(200);
  });

  it("shows a new name on new connections without touching TLS state", async () => {
    const dataplane = start();
    const port = await freePort();
    const listener = httpsListener(port);
    await dataplane.apply([listener]);
    const first = await attempt(port);
    await dataplane.apply([{ ...listener, name: "renamed" }]);
    const after = await attempt(port, { session: first.session! });
    expect(after.response!.json().listener).toEqual({ id: listener.id, name: "renamed" });
    expect(after.reused).toBe(true);
  });

  it("rebinds when the port changes: the old port is closed, the new one serves", async () => {
    const dataplane = start();
    const [oldPort, newPort] = [await freePort(), await freePort()];
    const listener = httpsListener(oldPort);
    await dataplane.apply([listener]);
    await dataplane.apply([{ ...listener, port: newPort }]);
    expect(dataplane.status(listener.id)).toEqual({ state: "serving", error: null, url: `https://127.0.0.1:${newPort}` });
    expect(await tcpConnectError(oldPort)).toBe("ECONNREFUSED");
    expect((await attempt(newPort)).response?.status).toBe(200);
  });

  it("lets two listeners swap ports in one apply", async () => {
    const dataplane = start();
    const [portA, portB] = [await freePort(), await freePort()];
    const a = httpsListener(portA, {}, { name: "a" });
    const b = httpListener(portB, { name: "b" });
    await dataplane.apply([a, b]);
    await dataplane.apply([{ ...a, port: portB }, { ...b, port: portA }]);
    expect(dataplane.status(a.id).state).toBe("serving");
    expect(dataplane.status(b.id).state).toBe("serving");
    expect((await attempt(portB)).response!.json().listener.name).toBe("a");
    expect((await plainRequest(portA))!.json().listener.name).toBe("b");
  });

  it("switches a port between HTTPS and HTTP without rebinding", async () => {
    const dataplane = start();
    const port = await freePort();
    const https = httpsListener(port);
    await dataplane.apply([https]);
    await dataplane.apply([{ ...https, protocol: "HTTP", tls: null }]);
    expect(dataplane.status(https.id).url).toBe(`http://127.0.0.1:${port}`);
    expect((await plainRequest(port))?.status).toBe(200);
  });
});

describe("session resumption never crosses configurations", () => {
  for (const version of ["TLSv1.2", "TLSv1.3"] as const) {
    it(`${version}: a session made while Client CA was off cannot get past it once it is on`, async () => {
      const dataplane = start();
      const port = await freePort();
      const off = httpsListener(port);
      await dataplane.apply([off]);

      const first = await attempt(port, { maxVersion: version });
      expect(first.response?.status).toBe(200);
      expect(first.session).not.toBeNull();
      // Control: under the same configuration the session does resume.
      const control = await attempt(port, { maxVersion: version, session: first.session! });
      expect(control.reused).toBe(true);

      await dataplane.apply([withClientAuth(off, rootCa)]);
      const sneaky = await attempt(port, { maxVersion: version, session: control.session ?? first.session! });
      expect(sneaky.reused).toBe(false);
      expect(sneaky.httpBytes).toBe(0);
      await eventually(() => expect(feed.of(off.id)[0].reason).toBe("no_certificate"));

      // With a valid certificate the old session is not resumed either: a full handshake, accepted.
      const honest = await attempt(port, { maxVersion: version, session: first.session!, ...clientCred("client") });
      expect(honest.reused).toBe(false);
      expect(honest.response?.status).toBe(200);
    });
  }

  it("listeners applied together with identical TLS settings share a context; a configuration that comes back after a change gets a fresh one", async () => {
    const dataplane = start();
    const [portA, portB] = [await freePort(), await freePort()];
    const a = withClientAuth(httpsListener(portA), rootCa);
    const b = withClientAuth(httpsListener(portB), rootCa);
    await dataplane.apply([a, b]);
    const first = await attempt(portA, clientCred("client"));
    expect(first.response?.status).toBe(200);
    // Built once for both (the same policy judges it again there): the session resumes on the other.
    const onB = await attempt(portB, { session: first.session!, ...clientCred("client") });
    expect(onB.reused).toBe(true);
    expect(onB.response?.status).toBe(200);

    // A off and back on: the same settings as before, but no session from before the change resumes.
    await dataplane.apply([withClientAuth(a, { ...rootCa, enabled: false }), b]);
    await dataplane.apply([a, b]);
    const afterChange = await attempt(portA, { session: first.session!, ...clientCred("client") });
    expect(afterChange.reused).toBe(false);
    expect(afterChange.response?.status).toBe(200);
    // B was never changed: its sessions still resume.
    expect((await attempt(portB, { session: first.session!, ...clientCred("client") })).reused).toBe(true);
  });

  it("a session made under one CA does not resume under another CA", async () => {
    const dataplane = start();
    const port = await freePort();
    const root = withClientAuth(httpsListener(port), rootCa);
    await dataplane.apply([root]);
    const first = await attempt(port, clientCred("client"));
    expect(first.response?.status).toBe(200);
    await dataplane.apply([withClientAuth(root, { enabled: true, caCertificatesPem: [testCertText("other-ca.pem")] })]);
    const resumed = await attempt(port, { session: first.session!, ...clientCred("client") });
    expect(resumed.reused).toBe(false);
    expectRefusal(resumed, "untrusted_issuer");
    await eventually(() => expect(feed.of(root.id)[0].reason).toBe("untrusted_issuer"));
  });

  it.each([
    ["TLSv1.2", "client-other", "untrusted_issuer"],
    ["TLSv1.3", "client-other", "untrusted_issuer"],
    ["TLSv1.3", "client-two", "not_pinned"],
  ] as const)("%s: a refused client (%s) cannot resume its way in", async (version, client, reason) => {
    const dataplane = start();
    const port = await freePort();
    const listener = withClientAuth(httpsListener(port), { ...rootCa, pinnedCertificatesDer: [der("client.pem")] });
    await dataplane.apply([listener]);
    const refused = await attempt(port, { maxVersion: version, ...clientCred(client) });
    expectRefusal(refused, reason);
    await eventually(() => expect(feed.of(listener.id)[0].reason).toBe(reason));
    // The refused connection stays open for its 403, so the client takes in a session; resuming
    // it (which OpenSSL allows) is judged again from the certificate the session carries.
    expect(refused.session).not.toBeNull();
    const again = await attempt(port, { maxVersion: version, session: refused.session! });
    expect(again.reused).toBe(true);
    expectRefusal(again, reason);
    await eventually(() => expect(feed.of(listener.id).map((record) => record.reason)).toEqual([reason, reason]));
  });

  it.each(["-tls1_2", "-tls1_3"])("openssl s_client %s -sess_out/-sess_in: refused after Client CA is enabled", async (flag) => {
    const dataplane = start();
    const port = await freePort();
    const off = httpsListener(port);
    await dataplane.apply([off]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-sess-"));
    const sessionFile = path.join(dir, "session.pem");
    const sClient = async (...args: string[]) => {
      const child = execFile(
        "openssl",
        ["s_client", "-connect", `127.0.0.1:${port}`, "-servername", "localhost", "-CAfile", testCertPath("root-ca.pem"), flag, "-ign_eof", ...args],
        { timeout: 10_000 },
      );
      child.stdin!.end("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      let out = "";
      child.stdout!.on("data", (chunk) => (out += chunk));
      await new Promise((resolve) => child.on("close", resolve));
      return out;
    };
    try {
      const made = await sClient("-sess_out", sessionFile);
      expect(made).toContain("HTTP/1.1 200");
      const control = await sClient("-sess_in", sessionFile);
      expect(control).toMatch(/^Reused, TLSv1\.[23]/m);

      await dataplane.apply([withClientAuth(off, rootCa)]);
      const refused = await sClient("-sess_in", sessionFile);
      expect(refused).not.toMatch(/^Reused,/m);
      expect(refused).not.toContain("HTTP/1.1");
      await eventually(() => expect(feed.of(off.id)[0].reason).toBe("no_certificate"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("faults stay local to one listener", () => {
  it("port in use -> error with a clear reason, the others keep serving, recovery once it is free", async () => {
    const dataplane = start();
    const [busyPort, freeOne] = [await freePort(), await freePort()];
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(busyPort, "127.0.0.1", resolve));
    const blocked = httpsListener(busyPort);
    const healthy = httpsListener(freeOne);

    await dataplane.apply([blocked, healthy]);
    expect(dataplane.status(blocked.id)).toEqual({
      state: "error",
      error: `Port ${busyPort} on 127.0.0.1 is already in use by another program ("${fs.readFileSync("/proc/self/comm", "utf8").trim()}", pid ${process.pid}); stop that program or pick another port.`,
      url: `https://127.0.0.1:${busyPort}`,
    });
    expect(dataplane.status(healthy.id).state).toBe("serving");
    expect((await attempt(freeOne)).response?.status).toBe(200);

    await new Promise((resolve) => blocker.close(resolve));
    await dataplane.apply([blocked, healthy]);
    expect(dataplane.status(blocked.id)).toMatchObject({ state: "serving", error: null });
    expect((await attempt(busyPort)).response?.status).toBe(200);
  });

  it("names our own listener when two listeners want the same port, and recovers with another port", async () => {
    const dataplane = start();
    const port = await freePort();
    const first = httpsListener(port, {}, { name: "first" });
    const second = httpListener(port, { name: "second" });
    await dataplane.apply([first]);
    await dataplane.apply([first, second]);
    expect(dataplane.status(second.id).error).toBe(`Port ${port} on 127.0.0.1 is already used by listener "first"; pick another port.`);
    expect(dataplane.status(first.id).state).toBe("serving");
    const other = await freePort();
    await dataplane.apply([first, { ...second, port: other }]);
    expect(dataplane.status(second.id).state).toBe("serving");
  });

  it("a certificate that cannot load -> error, others keep serving, fixed config recovers", async () => {
    const dataplane = start();
    const [portA, portB] = [await freePort(), await freePort()];
    const good = httpsListener(portA);
    const badKey = httpsListener(portB);
    badKey.tls!.privateKeyPem = testCertText("client.key"); // not the server certificate's key
    await dataplane.apply([good, badKey]);
    expect(dataplane.status(badKey.id)).toMatchObject({
      state: "error",
      error: "The private key does not match the listener's server certificate; upload the certificate together with its own key.",
    });
    expect(await tcpConnectError(portB)).toBe("ECONNREFUSED");
    expect((await attempt(portA)).response?.status).toBe(200);

    await dataplane.apply([good, httpsListener(portB, {}, { id: badKey.id })]);
    expect(dataplane.status(badKey.id).state).toBe("serving");
    expect((await attempt(portB)).response?.status).toBe(200);
  });

  it.each([
    ["garbage certificate", (c: ListenerRuntimeConfig) => (c.tls!.certificateChainPem = "hello"), /server certificate holds no PEM certificate/],
    ["unreadable CA", (c: ListenerRuntimeConfig) => (c.tls!.clientAuth = { enabled: true, caCertificatesPem: ["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"], pinnedCertificatesDer: [] }), /Client CA certificate holds a certificate that cannot be read/],
    ["Client CA with nothing to trust", (c: ListenerRuntimeConfig) => (c.tls!.clientAuth = { enabled: true, caCertificatesPem: [], pinnedCertificatesDer: [] }), /neither a CA certificate nor a trusted client certificate/],
    ["HTTPS without TLS material", (c: ListenerRuntimeConfig) => (c.tls = null), /needs a server certificate/],
  ])("%s -> error state with a sentence", async (_label, breakIt, message) => {
    const dataplane = start();
    const config = httpsListener(await freePort());
    breakIt(config);
    await expect(dataplane.apply([config])).resolves.toBeUndefined();
    expect(dataplane.status(config.id).state).toBe("error");
    expect(dataplane.status(config.id).error).toMatch(message);
  });

  it.each([
    ["an address this machine does not have", { host: "192.0.2.1" }, /^Address 192\.0\.2\.1 does not belong to this machine/],
    ["a port out of range", { port: 70000 }, /^Port 70000 is not a valid TCP port/],
  ])("binding %s -> error state with a sentence", async (_label, change, message) => {
    const dataplane = start();
    const config = { ...httpsListener(await freePort()), ...change };
    await dataplane.apply([config]);
    expect(dataplane.status(config.id)).toMatchObject({ state: "error", error: expect.stringMatching(message) });
  });

  it("a load failure on a serving listener stops it (fail closed) without cutting open connections", async () => {
    const dataplane = start();
    const port = await freePort();
    const listener = httpsListener(port);
    await dataplane.apply([listener]);
    const kept = await KeepAliveClient.open(port);
    open.push(kept);
    await dataplane.apply([withClientAuth(listener, { enabled: true, caCertificatesPem: [] })]);
    expect(dataplane.status(listener.id).state).toBe("error");
    expect(await tcpConnectError(port)).toBe("ECONNREFUSED");
    expect((await kept.request())?.status).toBe(200);
  });
});

describe("hardening", () => {
  it("refuses a TLS 1.2 renegotiation, which could swap the certificate after it was verified", async () => {
    const dataplane = start();
    const port = await freePort();
    await dataplane.apply([withClientAuth(httpsListener(port), rootCa)]);
    const socket = tls.connect({ port, host: "127.0.0.1", servername: "localhost", ca: testCertText("root-ca.pem"), maxVersion: "TLSv1.2", ...clientCred("client") });
    open.push({ close: () => socket.destroy() });
    await new Promise((resolve) => socket.once("secureConnect", resolve));
    const refused = new Promise<string>((resolve) => socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "")));
    socket.renegotiate({}, () => {});
    expect(await refused).toBe("ERR_SSL_NO_RENEGOTIATION");
  });
});

describe("removal and shutdown", () => {
  it("removing a listener closes its server and its open connections", async () => {
    const dataplane = start();
    const [portA, portB] = [await freePort(), await freePort()];
    const removed = httpsListener(portA);
    const kept = httpsListener(portB);
    await dataplane.apply([removed, kept]);
    const client = await KeepAliveClient.open(portA);
    open.push(client);
    expect((await client.request())?.status).toBe(200);

    await dataplane.apply([kept]);
    await client.closed;
    expect(client.isClosed).toBe(true);
    expect(dataplane.status(removed.id)).toEqual({ state: "stopped", error: null, url: "" });
    expect(await tcpConnectError(portA)).toBe("ECONNREFUSED");
    expect((await attempt(portB)).response?.status).toBe(200);
  });

  it("close() stops every endpoint and refuses further applies", async () => {
    const dataplane = start();
    const [portA, portB] = [await freePort(), await freePort()];
    await dataplane.apply([httpsListener(portA), httpListener(portB)]);
    const client = await KeepAliveClient.open(portA);
    open.push(client);
    expect(dataplane.running()).toBe(true);
    await dataplane.close();
    expect(dataplane.running()).toBe(false);
    await client.closed;
    expect(await tcpConnectError(portA)).toBe("ECONNREFUSED");
    expect(await tcpConnectError(portB)).toBe("ECONNREFUSED");
    await expect(dataplane.apply([])).rejects.toThrow(/closed/);
  });

  it("serializes applies: the last call wins", async () => {
    const dataplane = start();
    const port = await freePort();
    const listener = httpsListener(port);
    const calls = [
      dataplane.apply([listener]),
      dataplane.apply([withClientAuth(listener, rootCa)]),
      dataplane.apply([]),
      dataplane.apply([{ ...listener, name: "final" }]),
    ];
    await Promise.all(calls);
    expect(dataplane.status(listener.id).state).toBe("serving");
    const result = await attempt(port);
    expect(result.response!.json().listener.name).toBe("final");
  });
});

describe("connection records", () => {
  it("feeds every connection to the hook with its reason, in order, off the handshake path", async () => {
    const seen: [string, ConnectionRecord][] = [];
    const dataplane = start({ onConnection: (id, record) => seen.push([id, record]) });
    const port = await freePort();
    const listener = withClientAuth(httpsListener(port), rootCa);
    await dataplane.apply([listener]);

    await attempt(port, clientCred("client"));
    await attempt(port);
    await attempt(port, clientCred("client-other"));
    await attempt(port, clientCred("client-expired"));
    // A TCP connection that never speaks TLS is a handshake failure too.
    await new Promise<void>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => socket.end());
      socket.on("close", () => resolve());
    });

    const log = await eventually(() => {
      const entries = feed.of(listener.id);
      expect(entries).toHaveLength(5);
      return entries;
    });
    expect(log.map((entry) => entry.reason)).toEqual(["tls_error", "expired", "untrusted_issuer", "no_certificate", "ok"]);
    expect(log.map((entry) => entry.outcome)).toEqual(["rejected", "rejected", "rejected", "rejected", "accepted"]);
    expect(log[4]).toMatchObject({
      remoteAddress: "127.0.0.1",
      tlsProtocol: "TLSv1.3",
      clientCertificate: { subject: "CN=client-one,O=Test Corp", issuer: "CN=Test Root CA,O=Test Corp" },
    });
    expect(log[2].clientCertificate?.subject).toBe("CN=client-other,O=Other Corp");
    expect(Date.parse(log[0].at)).toBeGreaterThanOrEqual(Date.parse(log[4].at));

    await eventually(() => expect(seen).toHaveLength(5));
    expect(seen.every(([id]) => id === listener.id)).toBe(true);
    expect(seen.map(([, record]) => record.reason).reverse()).toEqual(log.map((entry) => entry.reason));
  });

  it("survives a throwing hook and uses a custom describePeer", async () => {
    const lines: string[] = [];
    const dataplane = start({
      onConnection: () => {
        throw new Error("hook broke");
      },
      log: (line) => lines.push(line),
      describePeer: () => ({
        subject: "custom",
        issuer: "custom issuer",
        serialNumber: "01",
        fingerprintSha256: "f".repeat(64),
        notBefore: "2000-01-01T00:00:00.000Z",
        notAfter: "2100-01-01T00:00:00.000Z",
      }),
    });
    const port = await freePort();
    const listener = withClientAuth(httpsListener(port), rootCa);
    await dataplane.apply([listener]);
    const result = await attempt(port, clientCred("client-two"));
    expect(result.response!.json().clientCertificate?.subject).toBe("custom");
    await eventually(() => expect(lines.some((line) => line.includes("hook broke"))).toBe(true));
    // The private key never shows up in a log line.
    expect(lines.join("\n")).not.toContain("PRIVATE KEY");
  });
});
