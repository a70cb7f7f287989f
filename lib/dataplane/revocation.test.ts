// Revocation (ClientAuthRuntime.crlsDer) against real TLS sockets, openssl-made certificates and
// CRLs made by `openssl ca -gencrl` (scripts/make-test-certs.sh, section "crl"); CRLs openssl ca
// cannot be told to write (an intermediate CA revoked) come from test/crl-builder.ts.
import { X509Certificate } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { crlFile, testCertText } from "../../test/certs";
import { buildCrl } from "../../test/crl-builder";
import { attempt, clientCred, eventually, expectRefusal, FeedLog, httpsListener } from "../../test/dataplane";
import { freePort } from "../../test/ports";
import { decodeCrlInput } from "../pki/crl";
import { createDataplane } from "./dataplane";
import { revocationListOf } from "./revocation";
import type { ClientAuthRuntime, Dataplane, ListenerRuntimeConfig } from "./types";

let current: Dataplane | null = null;
let feed = new FeedLog();

function start(): Dataplane {
  feed = new FeedLog();
  current = createDataplane({ onConnection: feed.onConnection });
  return current;
}

afterEach(async () => {
  await current?.close();
  current = null;
});

/** `openssl ca -gencrl` output as DER: crl-root-1 revokes client, crl-root-2 also client-two. */
const crl = (name: string) => decodeCrlInput(crlFile(name));
const serialOf = (name: string) => BigInt(`0x${new X509Certificate(testCertText(name)).serialNumber}`);
const rootCa = (crlsDer: Buffer[], more: Partial<ClientAuthRuntime> = {}): Partial<ClientAuthRuntime> => ({
  enabled: true,
  caCertificatesPem: [testCertText("root-ca.pem")],
  crlsDer,
  ...more,
});
const withCrls = (config: ListenerRuntimeConfig, crlsDer: Buffer[]): ListenerRuntimeConfig => ({
  ...config,
  tls: { ...config.tls!, clientAuth: { ...config.tls!.clientAuth, crlsDer } },
});

/** A CRL signed by the root revoking the intermediate CA (openssl ca cannot revoke a cert it has no record of). */
function rootCrlRevokingIntermediate(): Buffer {
  return buildCrl({
    caCertificate: testCertText("root-ca.pem"),
    caKey: testCertText("root-ca.key"),
    thisUpdate: new Date(Date.now() - 60_000),
    nextUpdate: new Date(Date.now() + 86_400_000),
    serials: [serialOf("intermediate-ca.pem")],
  });
}

async function serve(clientAuth: Partial<ClientAuthRuntime>) {
  const dataplane = start();
  const port = await freePort();
  const listener = httpsListener(port, clientAuth);
  await dataplane.apply([listener]);
  return { dataplane, port, listener };
}

describe("revocation by the Client CA's CRL", () => {
  it("refuses the client a CRL from `openssl ca -gencrl` revokes (reason revoked), accepts the other; a newer CRL revoking another refuses both", async () => {
    const { dataplane, port, listener } = await serve(rootCa([crl("crl-root-1.pem")]));
    expectRefusal(await attempt(port, clientCred("client")), "revoked");
    expect((await attempt(port, clientCred("client-two"))).response?.status).toBe(200);
    await eventually(() => expect(feed.of(listener.id).map((r) => [r.outcome, r.reason])).toEqual([["accepted", "ok"], ["rejected", "revoked"]]));
    expect(feed.of(listener.id)[1].clientCertificate?.subject).toBe("CN=client-one,O=Test Corp");

    await dataplane.apply([withCrls(listener, [crl("crl-root-2.pem")])]);
    expectRefusal(await attempt(port, clientCred("client")), "revoked");
    expectRefusal(await attempt(port, clientCred("client-two")), "revoked");
    // Removing the CRL applies to new connections like any save.
    await dataplane.apply([withCrls(listener, [])]);
    expect((await attempt(port, clientCred("client"))).response?.status).toBe(200);
  });

  it("an empty CRL revokes nobody; a CRL of another CA (not matching the issuer) is not applied to this CA's clients", async () => {
    const { port } = await serve(rootCa([crl("crl-root-empty.pem")]));
    expect((await attempt(port, clientCred("client"))).response?.status).toBe(200);
    // The listener trusts root and other CA; other CA's CRL lists client's serial, but client is root's.
    const both = await serve({
      enabled: true,
      caCertificatesPem: [testCertText("root-ca.pem"), testCertText("other-ca.pem")],
      crlsDer: [crl("crl-other.pem")],
    });
    expect((await attempt(both.port, clientCred("client"))).response?.status).toBe(200);
  });

  it("optional mode lets a revoked client in and passes FAILED:revoked on in the echo", async () => {
    const { port, listener } = await serve(rootCa([crl("crl-root-1.pem")], { mode: "optional" }));
    const result = await attempt(port, clientCred("client"));
    expect(result.response?.status).toBe(200);
    const echo = result.response!.json();
    expect(echo.headers["X-Client-Cert-Verify"]).toBe("FAILED:revoked");
    expect(echo.clientCertificate?.subject).toBe("CN=client-one,O=Test Corp");
    const ok = await attempt(port, clientCred("client-two"));
    expect(ok.response!.json().headers["X-Client-Cert-Verify"]).toBe("SUCCESS");
    await eventually(() => expect(feed.of(listener.id).map((r) => [r.outcome, r.reason])).toEqual([["accepted", "ok"], ["accepted", "revoked"]]));
  });

  it("an intermediate of the bundle revoked by the root's CRL refuses its leaves, not the root's own clients", async () => {
    const { port } = await serve({ enabled: true, caCertificatesPem: [testCertText("ca-bundle.pem")], crlsDer: [rootCrlRevokingIntermediate()] });
    expectRefusal(await attempt(port, clientCred("client-of-intermediate")), "revoked");
    // Cached per certificate: the second handshake gets the same verdict.
    expectRefusal(await attempt(port, clientCred("client-of-intermediate")), "revoked");
    expect((await attempt(port, clientCred("client"))).response?.status).toBe(200);
  });

  it("an intermediate the client sends, revoked by the root's CRL, refuses its leaf (bundle = root only)", async () => {
    const chain = clientCred("client-of-intermediate", "client-of-intermediate-chain.pem");
    const plain = await serve(rootCa([]));
    expect((await attempt(plain.port, chain)).response?.status).toBe(200); // control: the chain verifies
    const { port } = await serve(rootCa([rootCrlRevokingIntermediate()]));
    expectRefusal(await attempt(port, chain), "revoked");
    expectRefusal(await attempt(port, chain), "revoked");
    expect((await attempt(port, clientCred("client"))).response?.status).toBe(200);
  });

  it("a leaf revoked by the intermediate's CRL is refused when the intermediate is in the bundle", async () => {
    const intermediateCrl = buildCrl({
      caCertificate: testCertText("intermediate-ca.pem"),
      caKey: testCertText("intermediate-ca.key"),
      thisUpdate: new Date(Date.now() - 60_000),
      serials: [serialOf("client-of-intermediate.pem")],
    });
    const { port } = await serve({ enabled: true, caCertificatesPem: [testCertText("ca-bundle.pem")], crlsDer: [intermediateCrl] });
    expectRefusal(await attempt(port, clientCred("client-of-intermediate")), "revoked");
    expect((await attempt(port, clientCred("client"))).response?.status).toBe(200);
  });

  it("pins-only listeners do no CRL checking: the pin names the exact certificate", async () => {
    const { port } = await serve({ enabled: true, pinnedCertificatesDer: [new X509Certificate(testCertText("client.pem")).raw], crlsDer: [crl("crl-root-1.pem")] });
    expect((await attempt(port, clientCred("client"))).response?.status).toBe(200);
  });

  it("parses a CRL once per process: listeners and applies share it", async () => {
    const der = crl("crl-root-2.pem");
    const a = revocationListOf(der);
    expect(revocationListOf(Buffer.from(der))).toBe(a);
    expect(a.serials.size).toBe(2);
    expect(a.serials.has(new X509Certificate(testCertText("client-two.pem")).serialNumber.toLowerCase())).toBe(true);
  });
});

describe("session resumption never crosses a CRL change", () => {
  it.each(["TLSv1.2", "TLSv1.3"] as const)("%s: a client refused for an intermediate it sent cannot resume its way in", async (version) => {
    const chain = clientCred("client-of-intermediate", "client-of-intermediate-chain.pem");
    const { port, listener } = await serve(rootCa([rootCrlRevokingIntermediate()]));
    const refused = await attempt(port, { maxVersion: version, ...chain });
    expectRefusal(refused, "revoked");
    expect(refused.session).not.toBeNull();
    const again = await attempt(port, { maxVersion: version, session: refused.session!, ...chain });
    expectRefusal(again, "revoked");
    await eventually(() => expect(feed.of(listener.id).map((r) => r.reason)).toEqual(["revoked", "revoked"]));
    // A client that does a full handshake with a valid chain first is not refused on resumption.
    const clean = await serve(rootCa([crl("crl-root-1.pem")]));
    const ok = await attempt(clean.port, { maxVersion: version, ...chain });
    expect(ok.response?.status).toBe(200);
    const resumed = await attempt(clean.port, { maxVersion: version, session: ok.session!, ...chain });
    expect(resumed.reused).toBe(true);
    expect(resumed.response?.status).toBe(200);
  });

  for (const version of ["TLSv1.2", "TLSv1.3"] as const) {
    it(`${version}: a session made before a CRL revoking the client does not resume past it`, async () => {
      const { dataplane, port, listener } = await serve(rootCa([]));
      const first = await attempt(port, { maxVersion: version, ...clientCred("client") });
      expect(first.response?.status).toBe(200);
      const control = await attempt(port, { maxVersion: version, session: first.session!, ...clientCred("client") });
      expect(control.reused).toBe(true); // same configuration: it resumes

      await dataplane.apply([withCrls(listener, [crl("crl-root-1.pem")])]);
      const resumed = await attempt(port, { maxVersion: version, session: control.session ?? first.session!, ...clientCred("client") });
      expect(resumed.reused).toBe(false);
      expectRefusal(resumed, "revoked");

      // A client the CRL does not list gets a full handshake and is accepted.
      const other = await attempt(port, { maxVersion: version, ...clientCred("client-two") });
      expect(other.response?.status).toBe(200);
      await dataplane.apply([withCrls(listener, [])]);
      const afterRemoval = await attempt(port, { maxVersion: version, session: other.session!, ...clientCred("client-two") });
      expect(afterRemoval.reused).toBe(false);
      expect(afterRemoval.response?.status).toBe(200);
    });
  }
});
