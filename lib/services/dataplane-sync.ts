// Applies the stored listeners to the data plane after every committed change, before the API
// answers, so a saved change is enforced on new connections by the time the user sees "Saved".
import type { Runtime } from "./runtime";
import { createRuntimeConfigLoader, type RuntimeConfigLoader } from "./runtime-config-loader";

/**
 * One loader per runtime, so a save re-reads only what it changed. Kept here rather than on the
 * Runtime: only this module loads configurations in the console's process.
 */
const loaders = new WeakMap<Runtime, RuntimeConfigLoader>();

/** Applies what the store says now. A failure here never fails the saved change: the endpoint shows it. */
export async function syncDataplane(rt: Runtime): Promise<void> {
  try {
    // A child or stand-alone data plane loads the store itself: building the configurations here
    // (unsealing every key in the console) would be work thrown away.
    if (rt.dataplane.readsStore) return await rt.dataplane.apply([]);
    let loader = loaders.get(rt);
    if (!loader) loaders.set(rt, (loader = createRuntimeConfigLoader(rt)));
    await rt.dataplane.apply(await loader.load());
  } catch (error) {
    console.error(`[certgate] could not apply listeners to the data plane: ${(error as Error).message}`);
  }
}
