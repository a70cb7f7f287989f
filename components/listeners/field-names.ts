type ListenerFormField =
  | "name"
  | "port"
  | "protocol"
  | "certificateId"
  | "defaultPoolId"
  | "clientAuthEnabled"
  | "clientAuthMode"
  | "caCertificateId"
  | "trustedCertificateIds";

/** Maps the API's field paths onto the console's listener form fields. */
export function formFieldFor(apiField: string): ListenerFormField | null {
  const map: Record<string, ListenerFormField> = {
    name: "name",
    port: "port",
    protocol: "protocol",
    certificateId: "certificateId",
    defaultPoolId: "defaultPoolId",
    "clientAuth.enabled": "clientAuthEnabled",
    "clientAuth.mode": "clientAuthMode",
    "clientAuth.caCertificateId": "caCertificateId",
    "clientAuth.trustedCertificateIds": "trustedCertificateIds",
  };
  if (map[apiField]) return map[apiField];
  if (apiField.startsWith("clientAuth.trustedCertificateIds")) return "trustedCertificateIds";
  return null;
}
