/** Maps the API's field paths onto the console forms' field names. */
export function formFieldFor(apiField: string): string | null {
  const map: Record<string, string> = {
    name: "name",
    port: "port",
    protocol: "protocol",
    certificateId: "certificateId",
    "clientAuth.enabled": "clientAuthEnabled",
    "clientAuth.caCertificateId": "caCertificateId",
    "clientAuth.trustedCertificateIds": "trustedCertificateIds",
  };
  if (map[apiField]) return map[apiField];
  if (apiField.startsWith("clientAuth.trustedCertificateIds")) return "trustedCertificateIds";
  return null;
}
