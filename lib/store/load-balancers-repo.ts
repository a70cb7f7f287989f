import "server-only";
import type { Selectable } from "kysely";
import type { Db } from "./database";
import { decodeCursor, toPage, type Page, type PageRequest } from "./pagination";
import type { LoadBalancersTable } from "./schema";

export type LoadBalancerRow = Selectable<LoadBalancersTable>;
export type LoadBalancerWithCount = LoadBalancerRow & { listener_count: number };

export async function insertLoadBalancer(db: Db, row: LoadBalancerRow): Promise<void> {
  await db.insertInto("load_balancers").values(row).execute();
}

export async function findLoadBalancer(db: Db, id: string): Promise<LoadBalancerRow | undefined> {
  return db.selectFrom("load_balancers").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findLoadBalancerByName(db: Db, name: string): Promise<LoadBalancerRow | undefined> {
  return db.selectFrom("load_balancers").selectAll().where("name", "=", name).executeTakeFirst();
}

export async function listLoadBalancers(db: Db, page: PageRequest): Promise<Page<LoadBalancerWithCount>> {
  let query = db
    .selectFrom("load_balancers as lb")
    .selectAll("lb")
    .select((eb) =>
      eb
        .selectFrom("listeners")
        .select((inner) => inner.fn.countAll<number>().as("n"))
        .whereRef("listeners.load_balancer_id", "=", "lb.id")
        .as("listener_count"),
    );
  if (page.cursor) {
    const at = decodeCursor(page.cursor);
    query = query.where((eb) =>
      eb.or([eb("lb.created_at", "<", at.createdAt), eb.and([eb("lb.created_at", "=", at.createdAt), eb("lb.id", "<", at.id)])]),
    );
  }
  const rows = await query.orderBy("lb.created_at", "desc").orderBy("lb.id", "desc").limit(page.limit + 1).execute();
  // PostgreSQL returns count(*) as a string (bigint).
  return toPage(rows, page.limit, (row) => ({ ...row, listener_count: Number(row.listener_count ?? 0) }));
}

export async function deleteLoadBalancerRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom("load_balancers").where("id", "=", id).execute();
}
