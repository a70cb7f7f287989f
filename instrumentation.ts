// Starts the data plane (and the store it reads) once per server process, so every
// listener is served from the moment the console is up, not from the first page view.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getRuntime } = await import("./lib/services/runtime");
  const rt = await getRuntime();
  const endpoints = rt.settings.embeddedDataplane === false ? "served by a stand-alone `npm run dataplane`" : "embedded endpoints started";
  console.log(`[certgate] store: ${rt.store.dialect}; ${endpoints}`);
}
