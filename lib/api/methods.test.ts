import { describe, expect, it } from "vitest";
import { REFUSED_METHOD_HEADER } from "../http/console-request-guard";
import { apiMethods, implementedMethods } from "./methods";

const ok = async () => new Response("ok");
const context = { params: Promise.resolve({} as never) };

describe("a route's method table", () => {
  const route = apiMethods({ GET: ok, PATCH: ok });

  it("answers methods it does not offer with a 405 problem naming the ones it does", async () => {
    const response = await route.PUT(new Request("http://127.0.0.1/api/v1/x", { method: "PUT" }), context);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, PATCH, HEAD, OPTIONS");
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 405, detail: expect.stringContaining("PUT is not supported") });
  });

  it("answers OPTIONS with Allow, and a method the server marked as unroutable with the 405", async () => {
    const options = await route.OPTIONS(new Request("http://127.0.0.1/api/v1/x", { method: "OPTIONS" }), context);
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, PATCH, HEAD, OPTIONS");
    const trace = await route.OPTIONS(new Request("http://127.0.0.1/api/v1/x", { method: "OPTIONS", headers: { [REFUSED_METHOD_HEADER]: "TRACE" } }), context);
    expect(trace.status).toBe(405);
    expect((await trace.json()).detail).toMatch(/^TRACE is not supported/);
  });

  it("leaves HEAD to Next where GET exists, and refuses it where not", async () => {
    expect(route.HEAD).toBeUndefined();
    const postOnly = apiMethods({ POST: ok });
    expect((await postOnly.HEAD!(new Request("http://127.0.0.1/x", { method: "HEAD" }), context)).status).toBe(405);
  });

  it("tells which methods are implemented", () => {
    expect(implementedMethods(route)).toEqual(["GET", "PATCH"]);
  });
});
