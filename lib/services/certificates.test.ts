// uploadCertificate against a real store: what a refusal leaves behind (nothing), which field each
// refusal names, and that two racing uploads of one name end in one certificate and one 409.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { uploadCorpusDir } from "../../test/upload-corpus";
import { storeTargets } from "../../test/stores";
import { listAuditEvents } from "../store/audit-repo";
import { getCertificate, listCertificates, uploadCertificate, uploadFromForm, type CertificateUpload } from "./certificates";
import { rejection, startTestRuntime, stopTestRuntime } from "../../test/runtime";
import type { Runtime } from "./runtime";

const corpus = (name: string) => fs.readFileSync(path.join(uploadCorpusDir(), name));

function form(fields: Record<string, string | Blob>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe("an upload form (the API's multipart body, the console's dialog)", () => {
  it("reads files as bytes, a file sent as text as text, and an empty passphrase as none", async () => {
    const der = corpus("upload-ca.der");
    const key = corpus("upload-server.enc.key");
    expect(await uploadFromForm(form({ name: "a", kind: "server", file: new Blob([der]), keyFile: new Blob([key]), passphrase: "" }))).toEqual({
      name: "a",
      kind: "server",
      certificate: new Uint8Array(der),
      privateKey: new Uint8Array(key),
      passphrase: null,
    });
    const pasted = corpus("upload-ca.pem").toString("utf8");
    expect(await uploadFromForm(form({ name: "b", kind: "ca", file: pasted, passphrase: "p" }))).toEqual({
      name: "b",
      kind: "ca",
      certificate: pasted,
      privateKey: null,
      passphrase: "p",
    });
  });

  it("names the certificate field when no file is attached", async () => {
    const withoutFile: Record<string, string>[] = [{ name: "a", kind: "ca" }, { name: "a", kind: "ca", file: "" }];
    for (const fields of withoutFile) {
      const error = await rejection(uploadFromForm(form(fields)));
      expect({ status: error.status, message: error.message, fields: error.errors.map((e) => e.field) }).toEqual({
        status: 422,
        message: 'Attach the certificate file in the field "file".',
        fields: ["certificate"],
      });
    }
  });
});


for (const target of storeTargets()) {
  describe(`certificate uploads on ${target.name}`, () => {
    let rt: Runtime | undefined;
    afterEach(async () => {
      await stopTestRuntime(rt);
      rt = undefined;
    });

    async function start(): Promise<Runtime> {
      rt = await startTestRuntime(target);
      return rt;
    }

    async function stored(runtime: Runtime) {
      const certificates = await listCertificates(runtime, {}, { limit: 500, cursor: null });
      // Certificate events only: the first admin, made at start, has an event of its own.
      const events = await listAuditEvents(runtime.store.db, { targetType: "certificate" }, { limit: 500, cursor: null });
      return { certificates: certificates.items.length, events: events.items.length };
    }

    const refusals: [title: string, upload: CertificateUpload, status: number, field: string][] = [
      ["no name", { name: undefined, kind: "ca", certificate: corpus("upload-ca.pem") }, 422, "name"],
      ["a name with markup", { name: "<b>", kind: "ca", certificate: corpus("upload-ca.pem") }, 422, "name"],
      ["an unknown kind", { name: "x", kind: "root", certificate: corpus("upload-ca.pem") }, 422, "kind"],
      ["a key with a CA", { name: "x", kind: "ca", certificate: corpus("upload-ca.pem"), privateKey: corpus("upload-ca.key") }, 422, "privateKey"],
      ["garbage", { name: "x", kind: "ca", certificate: corpus("upload-garbage.txt") }, 422, "certificate"],
      ["an expired client", { name: "x", kind: "client", certificate: corpus("client-expired.pem") }, 422, "certificate"],
      ["a wrong passphrase", { name: "x", kind: "server", certificate: corpus("upload-server.pem"), privateKey: corpus("upload-server.enc.key"), passphrase: "no" }, 422, "passphrase"],
      ["a file over 1 MiB", { name: "x", kind: "ca", certificate: corpus("upload-1.5mib.pem") }, 413, "certificate"],
    ];

    it("refuses each bad upload on its field and stores nothing, not even an audit event", async () => {
      const runtime = await start();
      const before = await stored(runtime);
      for (const [title, upload, status, field] of refusals) {
        const error = await rejection(uploadCertificate(runtime, upload, { name: "test" }));
        expect({ title, status: error.status, fields: error.errors.map((e) => e.field) }).toEqual({ title, status, fields: [field] });
      }
      expect(await stored(runtime)).toEqual(before);
    });

    it("ends two racing uploads of one name with one certificate and a 409", async () => {
      const runtime = await start();
      // The first start's own event (the first admin made) is there already.
      const before = await stored(runtime);
      const results = await Promise.allSettled([
        uploadCertificate(runtime, { name: "race", kind: "ca", certificate: corpus("upload-ca.pem") }, { name: "test" }),
        uploadCertificate(runtime, { name: "race", kind: "client", certificate: corpus("upload-client.pem") }, { name: "test" }),
      ]);
      const failures = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ status: 409, errors: [{ field: "name" }] });
      expect(await stored(runtime)).toEqual({ certificates: before.certificates + 1, events: before.events + 1 });
    });

    it("keeps a server key sealed: the view says a key is held, the stored PEM holds certificates only", async () => {
      const runtime = await start();
      const view = await uploadCertificate(
        runtime,
        { name: "web", kind: "server", certificate: corpus("upload-server-chain.pem"), privateKey: corpus("upload-server.enc.key"), passphrase: "upload passphrase" },
        { name: "test" },
      );
      const read = await getCertificate(runtime, view.id);
      expect(read).toMatchObject({ hasPrivateKey: true, certificateCount: 2 });
      expect(read.pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
      expect(JSON.stringify(read)).not.toContain("PRIVATE KEY");
    });
  });
}
