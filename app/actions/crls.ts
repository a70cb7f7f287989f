"use server";
import { runAction } from "@/lib/actions/run-action";
import { crlFromForm, deleteCrl, uploadCrl } from "@/lib/services/crls";

/** The dialog's FormData carries the API's multipart field (docs/api.md): file (a File, or pasted PEM as text). */
export async function uploadCrlAction(certificateId: string, form: FormData) {
  return runAction("operate", async (rt, caller) => uploadCrl(rt, certificateId, await crlFromForm(form), caller.actor));
}

export async function deleteCrlAction(certificateId: string, crlId: string) {
  return runAction("operate", (rt, caller) => deleteCrl(rt, certificateId, crlId, caller.actor));
}
