"use server";
import { CONSOLE_ACTOR, runAction } from "@/lib/actions/run-action";
import { deleteCertificate, uploadCertificate } from "@/lib/services/certificates";

/** FormData: name, kind, file | pem, keyFile | keyPem, passphrase. */
export async function uploadCertificateAction(form: FormData) {
  return runAction(async (rt) => {
    const file = form.get("file");
    const pem = form.get("pem");
    const keyFile = form.get("keyFile");
    const keyPem = form.get("keyPem");
    const certificate = file instanceof Blob && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : typeof pem === "string" ? pem : "";
    const privateKey =
      keyFile instanceof Blob && keyFile.size > 0 ? new Uint8Array(await keyFile.arrayBuffer()) : typeof keyPem === "string" && keyPem.trim() ? keyPem : null;
    const passphrase = form.get("passphrase");
    return uploadCertificate(
      rt,
      {
        name: form.get("name") ?? undefined,
        kind: form.get("kind") ?? undefined,
        certificate,
        privateKey,
        passphrase: typeof passphrase === "string" && passphrase ? passphrase : null,
      },
      CONSOLE_ACTOR,
    );
  });
}

export async function deleteCertificateAction(id: string) {
  return runAction((rt) => deleteCertificate(rt, id, CONSOLE_ACTOR));
}
