// A real Runtime (store + data plane on 127.0.0.1) over one of the test stores, for the
// service-level suites, and the one way they check an expected refusal.
import { expect } from "vitest";
import { AppError } from "../lib/errors";
import { startRuntime, type Runtime } from "../lib/services/runtime";
import { localSettings } from "./settings";
import type { StoreTarget } from "./stores";

export async function startTestRuntime(target: StoreTarget): Promise<Runtime> {
  const store = await target.open();
  return startRuntime(
localSettings(store.dataDir), { store }
  );
}

/** Closes the endpoints (which hands the last connection records to the store), then the store. */
export async function stopTestRuntime(rt: Runtime | undefined): Promise<void> {
  await rt?.dataplane.close();
  await rt?.store.close();
}

/** The AppError a use case refused with; fails the test if it did not refuse. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}
