// The benchmark's certificates, made by openssl into a temp dir: for each key type (ECDSA P-256,
// RSA-2048) a CA, a server certificate for 127.0.0.1 signed by it, and a client certificate.
// certgate and nginx are given exactly these files.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export type KeyType = "ecdsa" | "rsa";

export interface BenchCerts {
  caPem: string;
  serverPem: string;
  serverKey: string;
  clientPem: string;
  clientKey: string;
  /** Client certificate and key in one file, as `ab -E` wants them. */
  clientCombined: string;
}

const KEY_ARGS: Record<KeyType, string[]> = {
  ecdsa: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
  rsa: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
};

const EXTENSIONS = {
  ca: "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n",
  server: "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
  client: "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n",
};

function openssl(cwd: string, ...args: string[]): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

export function makeBenchCerts(dir: string, type: KeyType): BenchCerts {
  const at = (name: string) => path.join(dir, `${type}-${name}`);
  for (const [name, text] of Object.entries(EXTENSIONS)) fs.writeFileSync(at(`${name}.ext`), text);
  const key = (name: string) => openssl(dir, "genpkey", ...KEY_ARGS[type], "-out", at(`${name}.key`));

  key("ca");
  openssl(dir, "req", "-new", "-x509", "-key", at("ca.key"), "-subj", `/O=certgate bench/CN=bench ${type} CA`, "-days", "30", "-sha256",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", at("ca.pem"));
  for (const [name, subject] of [["server", "/CN=localhost"], ["client", `/O=certgate bench/CN=bench ${type} client`]] as const) {
    key(name);
    openssl(dir, "req", "-new", "-key", at(`${name}.key`), "-subj", subject, "-out", at(`${name}.csr`));
    openssl(dir, "x509", "-req", "-in", at(`${name}.csr`), "-CA", at("ca.pem"), "-CAkey", at("ca.key"), "-CAcreateserial",
      "-extfile", at(`${name}.ext`), "-days", "30", "-sha256", "-out", at(`${name}.pem`));
  }
  fs.writeFileSync(at("client-combined.pem"), fs.readFileSync(at("client.pem"), "utf8") + fs.readFileSync(at("client.key"), "utf8"));
  return {
    caPem: at("ca.pem"),
    serverPem: at("server.pem"),
    serverKey: at("server.key"),
    clientPem: at("client.pem"),
    clientKey: at("client.key"),
    clientCombined: at("client-combined.pem"),
  };
}
