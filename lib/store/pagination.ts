// Keyset pagination over (created_at, id), newest first: stable while rows are added.
import "server-only";
import { AppError } from "../errors";

export interface PageRequest {
  limit: number;
  cursor: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorPosition {
  createdAt: string;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof createdAt === "string" && typeof id === "string") return { createdAt, id };
  } catch {
    // fall through to the error below
  }
  throw new AppError(400, "The cursor is not one this API returned; start again without a cursor.", [
    { field: "cursor", message: "Unknown cursor." },
  ]);
}

/** Rows were fetched with limit + 1 so we know whether another page exists. */
export function toPage<Row extends { created_at: string; id: string }, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
): Page<T> {
  const more = rows.length > limit;
  const visible = more ? rows.slice(0, limit) : rows;
  const last = visible[visible.length - 1];
  return {
    items: visible.map(map),
    nextCursor: more && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}

/** For append-only tables ordered by an increasing id: the cursor is the last id shown. */
export function decodeIdCursor(cursor: string): number {
  const id = Number(cursor);
  if (!/^\d+$/.test(cursor) || !Number.isSafeInteger(id)) {
    throw new AppError(400, "The cursor is not one this API returned; start again without a cursor.", [
      { field: "cursor", message: "Unknown cursor." },
    ]);
  }
  return id;
}

/** Rows were fetched newest first with limit + 1; PostgreSQL returns serial ids as strings. */
export function toIdPage<Row extends { id: number | string }, T>(rows: Row[], limit: number, map: (row: Row) => T): Page<T> {
  const more = rows.length > limit;
  const visible = more ? rows.slice(0, limit) : rows;
  return { items: visible.map(map), nextCursor: more ? String(visible[visible.length - 1].id) : null };
}
