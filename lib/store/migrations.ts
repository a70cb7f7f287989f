// Schema migrations, applied in order on start. Never edit a migration that has shipped:
// add a new one.
import "server-only";
import { Kysely, Migrator, PostgresAdapter, type Migration, type MigrationProvider } from "kysely";

const migrations: Record<string, Migration> = {
  "0001_initial": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("certificates")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull().unique())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("fingerprint_sha256", "text", (c) => c.notNull())
        .addColumn("content_digest", "text", (c) => c.notNull())
        .addColumn("certificate_count", "integer", (c) => c.notNull())
        .addColumn("pem", "text", (c) => c.notNull())
        .addColumn("details_json", "text", (c) => c.notNull())
        .addColumn("private_key_sealed", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("certificates_kind_content_unique", ["kind", "content_digest"])
        .execute();

      await db.schema
        .createTable("load_balancers")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull().unique())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("listeners")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("load_balancer_id", "text", (c) => c.notNull().references("load_balancers.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("protocol", "text", (c) => c.notNull())
        // One endpoint host serves every listener, so a port belongs to one listener.
        .addColumn("port", "integer", (c) => c.notNull().unique())
        .addColumn("certificate_id", "text", (c) => c.references("certificates.id"))
        .addColumn("client_auth_enabled", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("client_ca_certificate_id", "text", (c) => c.references("certificates.id"))
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addUniqueConstraint("listeners_lb_name_unique", ["load_balancer_id", "name"])
        .execute();

      await db.schema
        .createTable("listener_trusted_certificates")
        .addColumn("listener_id", "text", (c) => c.notNull().references("listeners.id").onDelete("cascade"))
        .addColumn("certificate_id", "text", (c) => c.notNull().references("certificates.id"))
        .addColumn("position", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("listener_trusted_certificates_pk", ["listener_id", "certificate_id"])
        .execute();

      // Facts about the installation itself, e.g. whether the demo was seeded.
      await db.schema
        .createTable("meta")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();

      const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
      await db.schema
        .createTable("audit_events")
        // An increasing id orders events that share a timestamp.
        .addColumn("id", isPostgres ? "serial" : "integer", (c) => (isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("target_type", "text", (c) => c.notNull())
        .addColumn("target_id", "text", (c) => c.notNull())
        .addColumn("target_name", "text", (c) => c.notNull())
        .addColumn("details_json", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("audit_events_target").on("audit_events").columns(["target_type", "target_id"]).execute();
    },
  },
  "0002_connection_events": {
    async up(db: Kysely<unknown>) {
      const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
      await db.schema
        .createTable("connection_events")
        // 64-bit on both: a busy endpoint writes billions of rows over its life (pruned, but ids keep rising).
        .addColumn("id", isPostgres ? "bigserial" : "integer", (c) => (isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
        // Deleting a listener deletes its log in the same transaction; the writer skips records of
        // listeners deleted while they waited in its queue.
        .addColumn("listener_id", "text", (c) => c.notNull().references("listeners.id").onDelete("cascade"))
        .addColumn("at", "text", (c) => c.notNull())
        .addColumn("remote_address", "text", (c) => c.notNull())
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("tls_protocol", "text")
        .addColumn("client_subject", "text")
        .addColumn("client_issuer", "text")
        .addColumn("client_fingerprint_sha256", "text")
        .execute();
      // Serves both the newest-first page of one listener and the per-listener pruning.
      await db.schema.createIndex("connection_events_listener_id").on("connection_events").columns(["listener_id", "id"]).execute();
    },
  },
  "0003_identity": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("users")
        .addColumn("id", "text", (c) => c.primaryKey())
        // Stored as typed; uniqueness and sign-in compare the lower-cased form.
        .addColumn("username", "text", (c) => c.notNull())
        .addColumn("username_key", "text", (c) => c.notNull().unique())
        .addColumn("password_hash", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("client_certificate_auth", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("last_sign_in_at", "text")
        .execute();

      await db.schema
        .createTable("sessions")
        // SHA-256 of the cookie's secret: a copy of the database does not hold usable sessions.
        .addColumn("id_hash", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("last_seen_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("sessions_user_id").on("sessions").column("user_id").execute();

      await db.schema
        .createTable("api_tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("secret_hash", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("last_used_at", "text")
        .execute();
      await db.schema.createIndex("api_tokens_user_id").on("api_tokens").column("user_id").execute();

      await db.schema
        .createTable("user_client_certificates")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
        // One certificate authenticates one user.
        .addColumn("fingerprint_sha256", "text", (c) => c.notNull().unique())
        .addColumn("pem", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("issuer", "text", (c) => c.notNull())
        .addColumn("not_before", "text", (c) => c.notNull())
        .addColumn("not_after", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("user_client_certificates_user_id").on("user_client_certificates").column("user_id").execute();

      // Failed sign-ins per username and per address, for the slow-down (lib/auth/sign-in-throttle.ts).
      await db.schema
        .createTable("sign_in_failures")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("failures", "integer", (c) => c.notNull())
        .addColumn("last_failure_at", "text", (c) => c.notNull())
        .execute();

      // Which credential a signed-in actor used: "token ci-deploy", "certificate SHA-256 ab:cd:…".
      await db.schema.alterTable("audit_events").addColumn("actor_via", "text").execute();
    },
  },
  "0004_verify_modes": {
    async up(db: Kysely<unknown>) {
      // clientAuth.mode; every listener made before modes existed behaves as "required" did.
      await db.schema
        .alterTable("listeners")
        .addColumn("client_auth_mode", "text", (c) => c.notNull().defaultTo("required"))
        .execute();
    },
  },
  "0005_pools": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("pools")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("load_balancer_id", "text", (c) => c.notNull().references("load_balancers.id").onDelete("cascade"))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("algorithm", "text", (c) => c.notNull())
        // [{ address, port, weight }]: always read and written whole, with the pool's version.
        .addColumn("members_json", "text", (c) => c.notNull())
        .addColumn("health_check_path", "text", (c) => c.notNull())
        .addColumn("health_check_interval_seconds", "integer", (c) => c.notNull())
        .addColumn("health_check_healthy_threshold", "integer", (c) => c.notNull())
        .addColumn("health_check_unhealthy_threshold", "integer", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addUniqueConstraint("pools_lb_name_unique", ["load_balancer_id", "name"])
        .execute();
      // Where a listener forwards; null: the built-in echo. A pool in use is refused deletion (409)
      // by the service, so the reference never dangles.
      await db.schema
        .alterTable("listeners")
        .addColumn("default_pool_id", "text", (c) => c.references("pools.id"))
        .execute();
      await db.schema.createIndex("listeners_default_pool_id").on("listeners").column("default_pool_id").execute();
    },
  },
  "0006_crls": {
    async up(db: Kysely<unknown>) {
      const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
      // Certificate revocation lists of a CA certificate (docs/api.md "Certificate revocation lists").
      await db.schema
        .createTable("crls")
        .addColumn("id", "text", (c) => c.primaryKey())
        // The CA certificate record the CRL was uploaded to; its CRLs go with it.
        .addColumn("certificate_id", "text", (c) => c.notNull().references("certificates.id").onDelete("cascade"))
        .addColumn("issuer", "text", (c) => c.notNull())
        // Which certificate of the CA's bundle signed it: "newest per issuer" groups by this.
        .addColumn("issuer_fingerprint_sha256", "text", (c) => c.notNull())
        .addColumn("this_update", "text", (c) => c.notNull())
        .addColumn("next_update", "text")
        .addColumn("revoked_count", "integer", (c) => c.notNull())
        .addColumn("crl_number", "text")
        .addColumn("der", isPostgres ? "bytea" : "blob", (c) => c.notNull())
        .addColumn("sha256", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("crls_certificate_sha256_unique", ["certificate_id", "sha256"])
        .execute();
      await db.schema.createIndex("crls_certificate_id").on("crls").column("certificate_id").execute();
    },
  },
  "0007_dataplane_nodes": {
    async up(db: Kysely<unknown>) {
      // Every data-plane process (the console's embedded child or `npm run dataplane`) registers here
      // and keeps its row fresh (docs/design.md "Data-plane nodes"). It replaces the single
      // meta.dataplane_report row, where the last node to write won.
      await db.schema
        .createTable("dataplane_nodes")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("hostname", "text", (c) => c.notNull())
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("version", "text", (c) => c.notNull())
        .addColumn("pid", "integer", (c) => c.notNull())
        .addColumn("workers", "integer", (c) => c.notNull())
        .addColumn("metrics_url", "text")
        .addColumn("started_at", "text", (c) => c.notNull())
        .addColumn("last_seen_at", "text", (c) => c.notNull())
        .addColumn("stopped_at", "text")
        .addColumn("applied_revision", "integer", (c) => c.notNull())
        .addColumn("listeners_json", "text", (c) => c.notNull())
        .addColumn("pools_json", "text", (c) => c.notNull())
        .addColumn("store_outage_json", "text")
        .execute();
      await db.deleteFrom("meta" as never).where("key" as never, "=", "dataplane_report" as never).execute();
    },
  },
  "0008_presented_certificates": {
    async up(db: Kysely<unknown>) {
      const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
      // The client certificates the connection log refers to, one row per certificate (docs/design.md
      // "Impact preview"): what the preview judges under proposed settings. Rows no log row refers to
      // any more are removed by the writer (connections-repo.ts), so the table is bounded like the log.
      await db.schema
        .createTable("presented_certificates")
        .addColumn("fingerprint_sha256", "text", (c) => c.primaryKey())
        .addColumn("der", isPostgres ? "bytea" : "blob", (c) => c.notNull())
        // The certificates the client sent after its leaf: a JSON array of base64 DER.
        .addColumn("chain_json", "text", (c) => c.notNull())
        .addColumn("stored_at", "text", (c) => c.notNull())
        .execute();
      // The preview groups one listener's recent rows by certificate; the pruning looks rows up by certificate.
      await db.schema.createIndex("connection_events_fingerprint").on("connection_events").column("client_fingerprint_sha256").execute();
    },
  },
};

class InlineProvider implements MigrationProvider {
  async getMigrations() {
    return migrations;
  }
}

/**
 * `schema` (PostgreSQL): where the migrator's own tables are. Without it, kysely takes a
 * kysely_migration table in *any* schema of the database as its own, and then fails to find it in
 * ours ("relation kysely_migration_lock does not exist") while another store's schema exists.
 */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: new InlineProvider(), ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? failed?.migrationName);
    throw new Error(`The database could not be migrated (${reason}); nothing was changed. Check DATABASE_URL or DATA_DIR.`);
  }
}
