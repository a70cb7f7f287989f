// The audit trail as the API and the console show it.
import { AUDIT_TARGET_TYPES } from "../schemas/common";
import { z } from "zod";
import { parseInput } from "../schemas/parse";
import { listAuditEvents as listAuditEventRows, type AuditEvent } from "../store/audit-repo";
import type { Page, PageRequest } from "../store/pagination";
import type { Runtime } from "./runtime";

const auditFilterSchema = z.object({
  targetType: z.enum(AUDIT_TARGET_TYPES).optional(),
  targetId: z.string().min(1).optional(),
});

/** `id`: the event's stable id, as text (what POST /audit-events/{id}/revert names). */
export type AuditEventView = Omit<AuditEvent, "id"> & { id: string };

export function toAuditEventView(event: AuditEvent): AuditEventView {
  return { ...event, id: String(event.id) };
}

export async function listAuditEvents(
  rt: Runtime,
  filter: { targetType?: unknown; targetId?: unknown },
  page: PageRequest,
): Promise<Page<AuditEventView>> {
  const result = await listAuditEventRows(rt.store.db, parseInput(auditFilterSchema, filter), page);
  return { items: result.items.map(toAuditEventView), nextCursor: result.nextCursor };
}
