"use server";
// The console's user changes: each one the service the API calls too (lib/services/users.ts,
// user-certificates.ts), run as the signed-in user. The services decide the finer rules (a user may
// change only themselves, the last admin stays), so these only name the least permission needed.
import { runAction } from "@/lib/actions/run-action";
import { AppError } from "@/lib/errors";
import { bindUserCertificate, unbindUserCertificate } from "@/lib/services/user-certificates";
import { createUser, deleteUser, updateUser } from "@/lib/services/users";

export async function createUserAction(input: unknown) {
  return runAction("administer", (rt, caller) => createUser(rt, caller, input));
}

/** A user changes their own password and client-certificate sign-in; an admin anything of anyone. */
export async function updateUserAction(id: string, patch: unknown) {
  return runAction("signed-in", (rt, caller) => updateUser(rt, caller, id, patch));
}

export async function deleteUserAction(id: string) {
  return runAction("administer", async (rt, caller) => deleteUser(rt, caller, id));
}

/** FormData `file`: the chosen file (PEM or DER), or pasted PEM as text, as the API's multipart `file`. */
export async function bindUserCertificateAction(userId: string, form: FormData) {
  return runAction("signed-in", async (rt, caller) => bindUserCertificate(rt, caller, userId, await certificateOf(form)));
}

export async function unbindUserCertificateAction(userId: string, certificateId: string) {
  return runAction("signed-in", async (rt, caller) => unbindUserCertificate(rt, caller, userId, certificateId));
}

async function certificateOf(form: FormData): Promise<string | Uint8Array> {
  const file = form.get("file");
  if (typeof file === "string" && file.trim() !== "") return file;
  if (file instanceof Blob && file.size > 0) return new Uint8Array(await file.arrayBuffer());
  throw new AppError(422, "Choose a certificate file or paste its PEM text.", [{ field: "certificate", message: "Choose a certificate file or paste its PEM text." }]);
}
