"use server";
import { CONSOLE_ACTOR, runAction } from "@/lib/actions/run-action";
import { deleteCertificate, uploadCertificate, uploadFromForm } from "@/lib/services/certificates";

/** The dialog's FormData carries the API's multipart fields (docs/api.md): name, kind, file, keyFile, passphrase. */
export async function uploadCertificateAction(form: FormData) {
  return runAction(async (rt) => uploadCertificate(rt, await uploadFromForm(form), CONSOLE_ACTOR));
}

export async function deleteCertificateAction(id: string) {
  return runAction((rt) => deleteCertificate(rt, id, CONSOLE_ACTOR));
}
