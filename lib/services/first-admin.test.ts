// The first start's admin, against a real store: made once, with the password from the environment or
// a file only its owner can read, and never a password in the log.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { storeTargets, tempDir } from "../../test/stores";
import { verifyPassword } from "../auth/passwords";
import type { Store } from "../store/database";
import { findUserByUsername, listUsers } from "../store/users-repo";
import { ensureFirstAdmin, INITIAL_PASSWORD_FILE } from "./first-admin";

for (const target of storeTargets()) {
  describe(`the first admin on ${target.name}`, () => {
    let store: Store | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it("takes CERTGATE_ADMIN_PASSWORD when set, writes no file, and logs no password", async () => {
      store = await target.open();
      const dataDir = tempDir();
      const lines: string[] = [];
      await ensureFirstAdmin(store.db, dataDir, { CERTGATE_ADMIN_PASSWORD: "correct horse battery" }, (line) => lines.push(line));
      const admin = await findUserByUsername(store.db, "admin");
      expect(admin?.role).toBe("admin");
      expect(await verifyPassword("correct horse battery", admin!.password_hash)).toBe(true);
      expect(fs.existsSync(path.join(dataDir, INITIAL_PASSWORD_FILE))).toBe(false);
      expect(lines.join("\n")).toContain("CERTGATE_ADMIN_PASSWORD");
      expect(lines.join("\n")).not.toContain("correct horse battery");
    });

    it("otherwise writes a strong random password once to a 0600 file, says where, and never makes a second admin", async () => {
      store = await target.open();
      const dataDir = tempDir();
      const lines: string[] = [];
      await ensureFirstAdmin(store.db, dataDir, {}, (line) => lines.push(line));
      const file = path.join(dataDir, INITIAL_PASSWORD_FILE);
      const password = fs.readFileSync(file, "utf8").trim();
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(lines.join("\n")).toContain(file);
      expect(lines.join("\n")).not.toContain(password);
      const admin = await findUserByUsername(store.db, "admin");
      expect(await verifyPassword(password, admin!.password_hash)).toBe(true);

      // A later start, even with the variable set, changes nothing.
      await ensureFirstAdmin(store.db, dataDir, { CERTGATE_ADMIN_PASSWORD: "ignored later" }, (line) => lines.push(line));
      expect(await listUsers(store.db)).toHaveLength(1);
      expect(await verifyPassword(password, (await findUserByUsername(store.db, "admin"))!.password_hash)).toBe(true);
    });
  });
}
