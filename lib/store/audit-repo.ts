import "server-only";
import type { AuditTargetType } from "../schemas/common";
import type { Selectable } from "kysely";
import type { Db } from "./database";
import type { AuditEventsTable } from "./schema";
import { decodeIdCursor, toIdPage } from "./pagination";

export interface AuditTarget {
  type: AuditTargetType;
  id: string;
  name: string;
}

/** Who made a change: a username (or "anonymous", "system"), and the credential when it is not a session. */
export interface Actor {
  name: string;
  /** "token ci-deploy", "certificate SHA-256 ab:cd:…"; absent for a console session. */
  via?: string;
}

export interface AuditEventInput {
  actor: Actor;
  action: string;
  target: AuditTarget;
  details?: Record<string, unknown>;
}

export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  actorVia: string | null;
  action: string;
  target: AuditTarget;
  details: Record<string, unknown>;
}

/** Called inside the transaction that makes the change, so the event and the change commit together. */
export async function recordAuditEvent(db: Db, event: AuditEventInput, at = new Date().toISOString()): Promise<void> {
  await db
    .insertInto("audit_events")
    .values({
      at,
      actor: event.actor.name,
      actor_via: event.actor.via ?? null,
      action: event.action,
      target_type: event.target.type,
      target_id: event.target.id,
      target_name: event.target.name,
      details_json: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

export async function listAuditEvents(
  db: Db,
  filter: { targetType?: string; targetId?: string },
  page: { limit: number; cursor: string | null },
): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  let query = db.selectFrom("audit_events").selectAll();
  if (filter.targetType) query = query.where("target_type", "=", filter.targetType);
  if (filter.targetId) query = query.where("target_id", "=", filter.targetId);
  if (page.cursor) query = query.where("id", "<", decodeIdCursor(page.cursor));
  const rows = await query.orderBy("id", "desc").limit(page.limit + 1).execute();
  return toIdPage(rows, page.limit, toAuditEvent);
}

export async function findAuditEvent(db: Db, id: number): Promise<AuditEvent | undefined> {
  const row = await db.selectFrom("audit_events").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toAuditEvent(row) : undefined;
}

function toAuditEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    actorVia: row.actor_via,
    action: row.action,
    target: { type: row.target_type as AuditTarget["type"], id: row.target_id, name: row.target_name },
    details: JSON.parse(row.details_json) as Record<string, unknown>,
  };
}
