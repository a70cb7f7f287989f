// What a console and a stand-alone data plane (`npm run dataplane`) tell each other through the
// store, in two rows of `meta`:
// - `config_revision`: a counter bumped in the same transaction as every change that can alter
//   what an endpoint serves. A data plane polls this one cheap row and reloads when it moves.
// - `dataplane_report`: the stand-alone data plane's endpoint states and pool members' health, the revision they reflect,
//   and when it last said so (a heartbeat), so a console without its embedded endpoints can show them.
import "server-only";
import { sql } from "kysely";
import type { EndpointStatus } from "../dataplane";
import type { MemberHealth } from "../dataplane/types";
import type { Db } from "./database";

const REVISION_KEY = "config_revision";
const REPORT_KEY = "dataplane_report";

/** Call inside the transaction that makes the change, beside its audit event. */
export async function bumpConfigRevision(trx: Db): Promise<void> {
  await trx
    .insertInto("meta")
    .values({ key: REVISION_KEY, value: "1" })
    // The row lock serializes concurrent bumps, so two changes never publish the same number.
    .onConflict((oc) => oc.column("key").doUpdateSet({ value: sql<string>`CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)` }))
    .execute();
}

/** 0 until the first change. */
export async function readConfigRevision(db: Db): Promise<number> {
  const row = await db.selectFrom("meta").select("value").where("key", "=", REVISION_KEY).executeTakeFirst();
  return row ? Number(row.value) : 0;
}

export interface DataplaneReport {
  /** The config_revision the endpoints reflect. */
  revision: number;
  /** When the data plane last wrote this report (it rewrites it every few seconds while alive). */
  reportedAt: string;
  /** true once it shut down cleanly. */
  stopped: boolean;
  pid: number;
  endpoints: Record<string, EndpointStatus>;
  /** The health of each member (by memberKey) of each pool a listener forwards to, by pool id; absent before pools existed. */
  pools?: Record<string, Record<string, MemberHealth>>;
}

export async function writeDataplaneReport(db: Db, report: DataplaneReport): Promise<void> {
  const value = JSON.stringify(report);
  await db
    .insertInto("meta")
    .values({ key: REPORT_KEY, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

export async function readDataplaneReport(db: Db): Promise<DataplaneReport | null> {
  const row = await db.selectFrom("meta").select("value").where("key", "=", REPORT_KEY).executeTakeFirst();
  if (!row) return null;
  try {
    return JSON.parse(row.value) as DataplaneReport;
  } catch {
    return null;
  }
}
