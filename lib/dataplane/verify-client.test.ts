// Every row of "Client certificate verification on the endpoint" (docs/api.md) against a live
// endpoint with real TLS clients and openssl-made certificates: what the client observes (an
// echo; the TLS alert for a missing certificate; or a 403 naming the reason, then the connection
// closed) and the reason in the connection records the store writer receives.
import { execFile, execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testCertPath, testCertText } from "../../test/certs";
import { createDataplane } from "./dataplane";
import { toRfc4514 } from "./peer-summary";
import { freePort } from "../../test/ports";
import { attempt, clientCred, der, eventually, expectRefusal, FeedLog, httpsListener } from "../../test/dataplane";
import type { ClientAuthRuntime, ConnectionReason, Dataplane, ListenerRuntimeConfig, RefusalReason } from "./types";
import { judgingOf, reasonForVerifyCode } from "./verify-client";
import { predictClient } from "./predict-client";
import { PeerCache } from "./peer-summary";
import { buildClientPolicy } from "./secure-context";
import { splitPemCertificates } from "../pki/pem";

type Policy = "root" | "intermediate" | "bundle" | "pinClient" | "pinOdd" | "bothRootPinTwo" | "bothOtherPinClient";

const policies: Record<Policy, Partial<ClientAuthRuntime>> = {
  root: { enabled: true, caCertificatesPem: [testCertText("root-ca.pem")] },
  intermediate: { enabled: true, caCertificatesPem: [testCertText("intermediate-ca.pem")] },
  bundle: { enabled: true, caCertificatesPem: [testCertText("ca-bundle.pem")] },
  pinClient: { enabled: true, pinnedCertificatesDer: [der("client.pem")] },
  pinOdd: {
    enabled: true,
    pinnedCertificatesDer: ["client-expired.pem", "client-future.pem", "client-serveronly.pem", "client-noeku.pem"].map(der),
  },
  bothRootPinTwo: { enabled: true, caCertificatesPem: [testCertText("root-ca.pem")], pinnedCertificatesDer: [der("client-two.pem")] },
  bothOtherPinClient: { enabled: true, caCertificatesPem: [testCertText("other-ca.pem")], pinnedCertificatesDer: [der("client.pem")] },
};

let dataplane: Dataplane;
const feed = new FeedLog();
const listeners = {} as Record<Policy | "disabled", ListenerRuntimeConfig>;
let extraDir: string;

/** Certificates the shared set lacks: faults combined in one certificate. */
function makeExtraCerts(dir: string): void {
  const ca = (name: string) => testCertPath(name);
  const script = `
set -e
cd "${dir}"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other-expired.key 2>/dev/null
openssl req -new -key other-expired.key -subj "/O=Other Corp/CN=other-expired" -out other-expired.csr 2>/dev/null
mkdir -p db && : > db/index.txt && echo 2000 > db/serial
printf '[ca]\\ndefault_ca=d\\n[d]\\ndatabase=db/index.txt\\nserial=db/serial\\nnew_certs_dir=db\\npolicy=p\\ndefault_md=sha256\\n[p]\\ncommonName=supplied\\norganizationName=optional\\n' > db/ca.cnf
openssl ca -batch -notext -config db/ca.cnf -cert "${ca("other-ca.pem")}" -keyfile "${ca("other-ca.key")}" -in other-expired.csr \\
  -extfile "${ca("client.ext")}" -startdate 20200101000000Z -enddate 20210101000000Z -out other-expired.pem 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out inter-expired.key 2>/dev/null
openssl req -new -key inter-expired.key -subj "/O=Test Corp/CN=inter-expired" -out inter-expired.csr 2>/dev/null
openssl ca -batch -notext -config db/ca.cnf -cert "${ca("intermediate-ca.pem")}" -keyfile "${ca("intermediate-ca.key")}" -in inter-expired.csr \
  -extfile "${ca("client.ext")}" -startdate 20200101000000Z -enddate 20210101000000Z -out inter-expired.pem 2>/dev/null
cat inter-expired.pem "${ca("intermediate-ca.pem")}" > inter-expired-chain.pem
`;
  execFileSync("bash", ["-c", script]);
}

beforeAll(async () => {
  extraDir = fs.mkdtempSync(path.join(os.tmpdir(), "certgate-dp-"));
  makeExtraCerts(extraDir);
  dataplane = createDataplane({ onConnection: feed.onConnection });
  listeners.disabled = httpsListener(await freePort());
  for (const policy of Object.keys(policies) as Policy[]) {
    listeners[policy] = httpsListener(await freePort(), policies[policy], { name: policy });
  }
  await dataplane.apply(Object.values(listeners));
  for (const config of Object.values(listeners)) expect(dataplane.status(config.id).state).toBe("serving");
});

afterAll(async () => {
  await dataplane?.close();
  fs.rmSync(extraDir, { recursive: true, force: true });
});

function credentials(client: string | null): { cert?: string; key?: string } {
  if (client === null) return {};
  if (client === "other-expired" || client === "inter-expired-chain") {
    return {
      cert: fs.readFileSync(path.join(extraDir, `${client}.pem`), "utf8"),
      key: fs.readFileSync(path.join(extraDir, `${client.replace("-chain", "")}.key`), "utf8"),
    };
  }
  if (client === "client-of-intermediate-chain") return clientCred("client-of-intermediate", "client-of-intermediate-chain.pem");
  return clientCred(client);
}

/** What a client of credentials(client) sends: its leaf, then the rest of its PEM file. */
function sentBy(client: string | null): { der: Buffer; chain: Buffer[] } | null {
  const cert = credentials(client).cert;
  if (!cert) return null;
  const [leaf, ...chain] = splitPemCertificates(cert).map((pem) => new X509Certificate(pem).raw);
  return { der: leaf, chain };
}

const SUBJECTS: Record<string, string> = {
  client: "CN=client-one,O=Test Corp",
  "client-two": "CN=client-two,O=Test Corp",
  "client-noeku": "CN=client-noeku,O=Test Corp",
  "client-of-intermediate": "CN=client-of-intermediate,O=Test Corp",
  "client-of-intermediate-chain": "CN=client-of-intermediate,O=Test Corp",
};

async function check(policy: Policy, client: string | null, expected: ConnectionReason, maxVersion?: tls.SecureVersion) {
  const listener = listeners[policy];
  const before = feed.of(listener.id).length;
  const result = await attempt(listener.port, { ...credentials(client), maxVersion });
  const [entry] = await eventually(() => {
    const log = feed.of(listener.id);
    expect(log.length).toBeGreaterThan(before);
    return log;
  });

  expect(entry.reason).toBe(expected);
  // The impact preview, fed the certificate as the log keeps it (the bytes a record carries, or for a
  // certificate announced earlier, what this client sent: one leaf is sent here with and without its
  // intermediate), names the same reason and outcome.
  const clientAuth = listener.tls!.clientAuth;
  const stored = entry.presented ? feed.presentedOf(entry) : sentBy(client);
  if (entry.clientCertificate) expect(stored).not.toBeNull();
  expect(predictClient(stored, judgingOf(true, clientAuth.mode), buildClientPolicy(clientAuth), new PeerCache())).toEqual({ reason: entry.reason, outcome: entry.outcome });
  if (expected === "ok") {
    expect(result.response?.status).toBe(200);
    const echo = result.response!.json();
    expect(echo.listener).toEqual({ id: listener.id, name: listener.name });
    expect(echo.clientCertificate?.subject).toBe(SUBJECTS[client!]);
    expect(echo.headers["X-Client-Cert-Verify"]).toBe("SUCCESS");
    expect(decodeURIComponent(echo.headers["X-Client-Cert-Subject"])).toBe(SUBJECTS[client!]);
    expect(entry.outcome).toBe("accepted");
  } else if (expected === "no_certificate") {
    // The one refusal the TLS stack voices itself: an alert, not a single HTTP byte.
    expect(result.httpBytes).toBe(0);
    expect(result.response).toBeNull();
    expect(result.error).toMatch(maxVersion === "TLSv1.2" ? /ALERT_HANDSHAKE_FAILURE/ : /ALERT_CERTIFICATE_REQUIRED/);
    expect(entry.outcome).toBe("rejected");
  } else {
    // Decided after the handshake: one 403 naming the reason, then the connection is closed.
    expectRefusal(result, expected as RefusalReason);
    expect(entry.outcome).toBe("rejected");
  }
  if (expected === "no_certificate") expect(entry.clientCertificate).toBeNull();
  else if (expected !== "ok") expect(entry.clientCertificate?.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
  return { result, entry };
}

describe("Client CA disabled", () => {
  it("asks for a certificate without judging it: echoes Verify NONE, and only the log names the certificate", async () => {
    const result = await attempt(listeners.disabled.port, clientCred("client-other"));
    expect(result.response?.status).toBe(200);
    const echo = result.response!.json();
    expect(echo.tls).toEqual({ protocol: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384" });
    expect(echo.clientCertificate).toBeNull();
    expect(echo.headers["X-Client-Cert-Verify"]).toBe("NONE");
    const [entry] = feed.of(listeners.disabled.id);
    expect(entry).toMatchObject({ outcome: "accepted", reason: "not_checked", tlsProtocol: "TLSv1.3", clientCertificate: { subject: "CN=client-other,O=Other Corp" } });
    // What the impact preview needs to judge it once Client CA is on.
    expect(Buffer.from(feed.presentedOf(entry)!.der).equals(der("client-other.pem"))).toBe(true);
  });

  it("serves a client without a certificate as before", async () => {
    const result = await attempt(listeners.disabled.port);
    expect(result.response?.status).toBe(200);
    const [entry] = feed.of(listeners.disabled.id);
    expect(entry).toMatchObject({ outcome: "accepted", reason: "ok", clientCertificate: null });
  });

  it("serves TLS 1.2 clients too", async () => {
    const result = await attempt(listeners.disabled.port, { maxVersion: "TLSv1.2" });
    expect(result.response?.status).toBe(200);
    expect(result.response!.json().tls).toEqual({ protocol: "TLSv1.2", cipher: expect.stringMatching(/^TLS_ECDHE_ECDSA_WITH_/) });
  });

  it("refuses TLS 1.1", async () => {
    const result = await attempt(listeners.disabled.port, { maxVersion: "TLSv1.1", minVersion: "TLSv1" });
    expect(result.handshake).toBe(false);
    expect(result.httpBytes).toBe(0);
  });
});

describe("CA only (root CA object)", () => {
  it.each([
    ["client", "ok"],
    ["client-noeku", "ok"],
    ["client-of-intermediate-chain", "ok"],
    [null, "no_certificate"],
    ["client-other", "untrusted_issuer"],
    ["self-signed-client", "untrusted_issuer"],
    ["client-of-intermediate", "untrusted_issuer"],
    ["client-expired", "expired"],
    ["client-future", "not_yet_valid"],
    ["client-serveronly", "bad_key_usage"],
    // Two faults: OpenSSL reports only the last one (expiry); the issuer is checked again.
    ["other-expired", "untrusted_issuer"],
    // Expired, but chaining to the root through the intermediate the client sends.
    ["inter-expired-chain", "expired"],
  ] as const)("%s -> %s", async (client, reason) => {
    await check("root", client, reason);
  });

  it.each([
    ["client", "ok"],
    [null, "no_certificate"],
    ["client-other", "untrusted_issuer"],
    ["client-expired", "expired"],
  ] as const)("over TLS 1.2: %s -> %s", async (client, reason) => {
    const { entry } = await check("root", client, reason, "TLSv1.2");
    expect(entry.tlsProtocol === null || entry.tlsProtocol === "TLSv1.2").toBe(true);
  });

  it("echoes the client certificate with URL-encoded headers", async () => {
    const { result } = await check("root", "client", "ok");
    const echo = result.response!.json();
    const cert = echo.clientCertificate!;
    expect(cert.issuer).toBe("CN=Test Root CA,O=Test Corp");
    expect(cert.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(cert.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(cert.notBefore).toISOString()).toBe(cert.notBefore);
    expect(echo.headers).toEqual({
      "X-Client-Cert-Subject": "CN%3Dclient-one%2CO%3DTest%20Corp",
      "X-Client-Cert-Issuer": "CN%3DTest%20Root%20CA%2CO%3DTest%20Corp",
      "X-Client-Cert-Serial": cert.serialNumber,
      "X-Client-Cert-Fingerprint-SHA256": cert.fingerprintSha256,
      "X-Client-Cert-Not-Before": encodeURIComponent(cert.notBefore),
      "X-Client-Cert-Not-After": encodeURIComponent(cert.notAfter),
      "X-Client-Cert-Verify": "SUCCESS",
    });
    const [entry] = feed.of(listeners.root.id);
    expect(entry.clientCertificate).toEqual({ subject: cert.subject, issuer: cert.issuer, fingerprintSha256: cert.fingerprintSha256 });
  });
});

describe("CA only (intermediate CA object as the anchor)", () => {
  it.each([
    ["client-of-intermediate", "ok"],
    ["client-of-intermediate-chain", "ok"],
    ["client", "untrusted_issuer"],
    ["client-other", "untrusted_issuer"],
    [null, "no_certificate"],
  ] as const)("%s -> %s", async (client, reason) => {
    await check("intermediate", client, reason);
  });
});

describe("CA only (a bundle: intermediate + root)", () => {
  it.each([
    ["client", "ok"],
    ["client-of-intermediate", "ok"],
    ["client-other", "untrusted_issuer"],
  ] as const)("%s -> %s", async (client, reason) => {
    await check("bundle", client, reason);
  });
});

describe("trusted certificates only (pinned)", () => {
  it.each([
    ["client", "ok"],
    ["client-two", "not_pinned"],
    ["client-other", "not_pinned"],
    ["self-signed-client", "not_pinned"],
    [null, "no_certificate"],
  ] as const)("pinned client.pem: %s -> %s", async (client, reason) => {
    await check("pinClient", client, reason);
  });

  it("refuses a certificate that is not pinned over TLS 1.2 as well", async () => {
    await check("pinClient", "client-two", "not_pinned", "TLSv1.2");
  });

  it.each([
    ["client-expired", "expired"],
    ["client-future", "not_yet_valid"],
    ["client-serveronly", "bad_key_usage"],
    ["client-noeku", "ok"],
    ["client", "not_pinned"],
  ] as const)("pinned but faulty: %s -> %s", async (client, reason) => {
    await check("pinOdd", client, reason);
  });
});

describe("both a CA and trusted certificates", () => {
  it.each([
    ["client-two", "ok"],
    ["client", "not_pinned"],
    ["client-other", "untrusted_issuer"],
    ["client-expired", "expired"],
    [null, "no_certificate"],
  ] as const)("root CA + pinned client-two: %s -> %s", async (client, reason) => {
    await check("bothRootPinTwo", client, reason);
  });

  it("refuses a pinned certificate that does not chain to the CA", async () => {
    await check("bothOtherPinClient", "client", "untrusted_issuer");
  });
});

describe("what the server asks for (openssl s_client's view of the CertificateRequest)", () => {
  const handshakeTrace = (port: number) =>
    new Promise<string>((resolve) => {
      const child = execFile(
        "openssl",
        ["s_client", "-connect", `127.0.0.1:${port}`, "-servername", "localhost", "-tls1_3"],
        { timeout: 10_000 },
        (_error, stdout, stderr) => resolve(`${stdout}${stderr}`),
      );
      child.stdin!.end("");
    });

  it("disabled: a certificate requested, naming no CA (so the log can say who has what)", async () => {
    const trace = await handshakeTrace(listeners.disabled.port);
    expect(trace).toContain("No client certificate CA names sent");
    expect(trace).toContain("Requested Signature Algorithms");
  });

  it("CA: requested, naming the CA object", async () => {
    const trace = await handshakeTrace(listeners.root.port);
    expect(trace).toMatch(/Acceptable client certificate CA names\s+O = Test Corp, CN = Test Root CA/);
    expect(trace).toContain("Requested Signature Algorithms");
  });

  it("pins only: requested, naming no authority so any certificate may be offered", async () => {
    const trace = await handshakeTrace(listeners.pinClient.port);
    expect(trace).toContain("No client certificate CA names sent");
    expect(trace).toContain("Requested Signature Algorithms");
  });
});

describe("verify code mapping and names", () => {
  it("maps what Node reports to reasons", () => {
    expect(reasonForVerifyCode("CERT_HAS_EXPIRED")).toBe("expired");
    expect(reasonForVerifyCode("CERT_NOT_YET_VALID")).toBe("not_yet_valid");
    expect(reasonForVerifyCode("INVALID_PURPOSE")).toBe("bad_key_usage");
    for (const code of [
      "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
      "UNABLE_TO_GET_ISSUER_CERT",
      "SELF_SIGNED_CERT_IN_CHAIN",
      "DEPTH_ZERO_SELF_SIGNED_CERT",
      "CERT_SIGNATURE_FAILURE",
      "INVALID_CA",
    ]) {
      expect(reasonForVerifyCode(code)).toBe("untrusted_issuer");
    }
  });

  it("writes names most specific first, RFC 4514 escaping kept", () => {
    expect(toRfc4514("O=Test Corp\nCN=client-one")).toBe("CN=client-one,O=Test Corp");
    expect(toRfc4514("C=US\nOU=a\\+b + O=Foo\\, Inc.\nCN=\\ sp#x")).toBe("CN=\\ sp#x,OU=a\\+b+O=Foo\\, Inc.,C=US");
  });
});
