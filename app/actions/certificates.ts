"use server";
import { runAction } from "@/lib/actions/run-action";
import { deleteCertificate, uploadCertificate, uploadFromForm } from "@/lib/services/certificates";

/** The dialog's FormData carries the API's multipart fields (docs/api.md): name, kind, file, keyFile, passphrase. */
export async function uploadCertificateAction(form: FormData) {
  return runAction("operate", async (rt, caller) => uploadCertificate(rt, await uploadFromForm(form), caller.actor));
}

export async function deleteCertificateAction(id: string) {
  return runAction("operate", (rt, caller) => deleteCertificate(rt, id, caller.actor));
}
