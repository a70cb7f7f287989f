import { z } from "zod";

/** The JSON form of POST /api/v1/certificates/{id}/crls. */
export const crlUploadJsonSchema = z.strictObject({
  crl: z.string({ message: "Paste the CRL as PEM text ('-----BEGIN X509 CRL-----') or base64 of DER." }),
});
