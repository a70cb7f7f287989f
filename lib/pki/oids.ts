// Object identifiers shared by the parser, the details and the policy.

export const KEY_ALGORITHM = {
  rsa: "1.2.840.113549.1.1.1",
  rsaPss: "1.2.840.113549.1.1.10",
  ec: "1.2.840.10045.2.1",
  dsa: "1.2.840.10040.4.1",
  ed25519: "1.3.101.112",
  ed448: "1.3.101.113",
} as const;

/** Named curves by OID: display name and field size in bits. */
export const CURVES: Record<string, { name: string; bits: number }> = {
  "1.2.840.10045.3.1.7": { name: "P-256", bits: 256 },
  "1.3.132.0.34": { name: "P-384", bits: 384 },
  "1.3.132.0.35": { name: "P-521", bits: 521 },
  "1.3.132.0.10": { name: "secp256k1", bits: 256 },
  "1.3.36.3.3.2.8.1.1.7": { name: "brainpoolP256r1", bits: 256 },
  "1.3.36.3.3.2.8.1.1.11": { name: "brainpoolP384r1", bits: 384 },
  "1.3.36.3.3.2.8.1.1.13": { name: "brainpoolP512r1", bits: 512 },
};

export const SIGNATURE_ALGORITHMS: Record<string, string> = {
  "1.2.840.113549.1.1.2": "RSA PKCS#1 v1.5 with MD2",
  "1.2.840.113549.1.1.4": "RSA PKCS#1 v1.5 with MD5",
  "1.2.840.113549.1.1.5": "RSA PKCS#1 v1.5 with SHA-1",
  "1.2.840.113549.1.1.14": "RSA PKCS#1 v1.5 with SHA-224",
  "1.2.840.113549.1.1.11": "RSA PKCS#1 v1.5 with SHA-256",
  "1.2.840.113549.1.1.12": "RSA PKCS#1 v1.5 with SHA-384",
  "1.2.840.113549.1.1.13": "RSA PKCS#1 v1.5 with SHA-512",
  "1.2.840.113549.1.1.10": "RSA-PSS",
  "1.2.840.10045.4.1": "ECDSA with SHA-1",
  "1.2.840.10045.4.3.1": "ECDSA with SHA-224",
  "1.2.840.10045.4.3.2": "ECDSA with SHA-256",
  "1.2.840.10045.4.3.3": "ECDSA with SHA-384",
  "1.2.840.10045.4.3.4": "ECDSA with SHA-512",
  "1.3.101.112": "Ed25519",
  "1.3.101.113": "Ed448",
  "1.2.840.10040.4.3": "DSA with SHA-1",
  "2.16.840.1.101.3.4.3.1": "DSA with SHA-224",
  "2.16.840.1.101.3.4.3.2": "DSA with SHA-256",
};

export const EKU = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;
