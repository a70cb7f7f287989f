// Opens the store: the embedded SQLite file by default, PostgreSQL when a URL is given.
//
// Every module of lib/store (and lib/services/runtime.ts) imports "server-only": a client component
// that reaches one fails `next build` instead of shipping database code to the browser. The
// package throws unless resolved under the `react-server` condition, which Next's server layer
// sets; the other processes that load the store say which module stands in for it instead:
// vitest.config.mts for the tests, scripts/build-server.mjs for the compiled data plane, and
// `node --conditions=react-server` wherever tsx runs it (server/dataplane.ts, the bench).
import "server-only";
import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { CompiledQuery, Kysely, PostgresDialect, sql, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from "kysely";
import type pg from "pg";
import { migrateToLatest } from "./migrations";
import type { Database } from "./schema";

export type Db = Kysely<Database>;

export interface StoreOptions {
  /** postgres://… — when null, the SQLite file `certgate.db` in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  /** PostgreSQL only: a schema to work in (tests isolate themselves with one). */
  schema?: string;
}

export interface Store {
  db: Db;
  dialect: "sqlite" | "postgres";
  close(): Promise<void>;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl ? await openPostgres(options.databaseUrl, options.schema) : openSqlite(options.dataDir);
  if (options.databaseUrl && options.schema) {
    await store.db.schema.createSchema(options.schema).ifNotExists().execute();
  }
  await migrateToLatest(store.db as Kysely<unknown>, store.dialect === "postgres" ? (options.schema ?? (await currentSchema(store.db))) : undefined);
  return store;
}

async function currentSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0].schema;
}

function openSqlite(dataDir: string): Store {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "certgate.db");
  const sqlite = new BetterSqlite3(file);
  // WAL lets the stand-alone data plane read while the console writes.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new ImmediateTransactionsSqliteDialect({ database: sqlite }) });
  return { db, dialect: "sqlite", close: () => db.destroy() };
}

/**
 * Two processes write the SQLite file (the console, and its data plane writing the connection log
 * and its reports). A plain BEGIN starts as a reader and upgrades at its first write; if the other
 * process wrote in between, SQLite fails that upgrade at once with "database is locked", without
 * waiting on busy_timeout. BEGIN IMMEDIATE takes the write lock up front, where busy_timeout waits.
 */
class ImmediateTransactionsSqliteDialect extends SqliteDialect {
  constructor(private readonly sqliteConfig: SqliteDialectConfig) {
    super(sqliteConfig);
  }

  createDriver(): Driver {
    return new ImmediateTransactionsSqliteDriver(this.sqliteConfig);
  }
}

class ImmediateTransactionsSqliteDriver extends SqliteDriver {
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

async function openPostgres(connectionString: string, schema?: string): Promise<Store> {
  // Loaded only for PostgreSQL: a SQLite process (the usual stand-alone data plane) is ~7 MiB smaller without it.
  const { default: driver } = (await import("pg")) as { default: typeof pg };
  const pool = new driver.Pool({
    connectionString,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client's error (server restart) must not take the process down.
  pool.on("error", (error) => console.error(`[certgate] PostgreSQL connection error: ${error.message}`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", close: () => db.destroy() };
}

/** Runs `work` in one transaction: every change commits with its audit event, or nothing does. */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute((trx) => work(trx));
}

/** Unique-constraint violations look different in each driver; callers map them to 409s. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return e?.code === "SQLITE_CONSTRAINT_UNIQUE" || e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY" || e?.code === "23505";
}
