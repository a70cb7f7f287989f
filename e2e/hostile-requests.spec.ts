// Issue "Hardening": every request that once answered 500, an HTML page, an empty 405 or passed
// a check it should not have, replayed byte for byte against the production server.
import { expect, test } from "./support/fixtures";
import { rawRequest, type RawResponse } from "./support/raw-http";

function expectProblem(response: RawResponse, status: number, detail: RegExp): Record<string, unknown> {
  expect(response.status, response.body).toBe(status);
  expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(response.body);
  expect(problem).toMatchObject({ status, detail: expect.stringMatching(detail) });
  return problem;
}

test.describe("every /api/v1 answer is problem+json, never a 500", () => {
  test("a malformed percent-escape in an id is a 400", async () => {
    expectProblem(await rawRequest("GET", "/api/v1/listeners/%zz"), 400, /malformed percent-escape/);
    expectProblem(await rawRequest("GET", "/api/v1/certificates/%ED%A0%80"), 400, /malformed percent-escape/);
    expectProblem(await rawRequest("DELETE", "/api/v1/load-balancers/%E0%A4%A"), 400, /malformed percent-escape/);
  });

  test("TRACE and other unroutable methods get a 405 with the resource's Allow", async () => {
    const trace = await rawRequest("TRACE", "/api/v1/load-balancers");
    expectProblem(trace, 405, /^TRACE is not supported/);
    expect(trace.headers.allow).toBe("GET, POST, HEAD, OPTIONS");
    const propfind = await rawRequest("PROPFIND", "/api/v1/listeners/some-id");
    expectProblem(propfind, 405, /^PROPFIND is not supported/);
    expect(propfind.headers.allow).toBe("GET, PATCH, DELETE, HEAD, OPTIONS");
    expectProblem(await rawRequest("CONNECT", "127.0.0.1:443"), 405, /CONNECT is not supported/);
    // A method token Node's HTTP parser does not know never reaches a route: still a problem, not a reset.
    expectProblem(await rawRequest("TRACK", "/api/v1/load-balancers"), 400, /could not be read as HTTP/);
  });

  test("a method the resource does not offer gets a 405 body and Allow", async ({ request }) => {
    const put = await request.put("/api/v1/load-balancers", { data: {} });
    expect(put.status()).toBe(405);
    expect(put.headers()["content-type"]).toMatch(/^application\/problem\+json/);
    expect(put.headers().allow).toBe("GET, POST, HEAD, OPTIONS");
    expect((await put.json()).detail).toMatch(/PUT is not supported here/);
    const postOnOne = await request.post("/api/v1/certificates/any-id", { data: {} });
    expect(postOnOne.status()).toBe(405);
    expect(postOnOne.headers().allow).toBe("GET, DELETE, HEAD, OPTIONS");
  });

  test("dot segments and unknown paths under /api/v1 are problems, not the console's HTML", async ({ request }) => {
    expectProblem(await rawRequest("GET", "/api/v1/../api/v1/load-balancers"), 400, /\. or \.\. segment/);
    expectProblem(await rawRequest("GET", "/api/v1/listeners/.."), 400, /\. or \.\. segment/);
    expectProblem(await rawRequest("GET", "/api/v1/listeners/%2e%2e/x"), 400, /\. or \.\. segment/);
    const unknown = await request.get("/api/v1/no-such-thing");
    expect(unknown.status()).toBe(404);
    expect(unknown.headers()["content-type"]).toMatch(/^application\/problem\+json/);
    expect((await unknown.json()).detail).toMatch(/openapi\.json/);
    expect((await request.delete("/api/v1")).status()).toBe(404);
  });
});

test.describe("types are what the contract says", () => {
  test("a port must be a JSON number", async ({ api, request }) => {
    const lb = await api.createLoadBalancer(`strict-${Date.now()}`);
    for (const port of ['"443"', '"0x1bb"', "[443]", '" 443 "', "true", "443.5", "0", "65536"]) {
      const response = await request.post(`/api/v1/load-balancers/${lb.id}/listeners`, {
        headers: { "content-type": "application/json" },
        data: Buffer.from(`{"name":"p","protocol":"HTTP","port":${port}}`),
      });
      expect(response.status(), port).toBe(422);
      expect((await response.json()).errors).toEqual([{ field: "port", message: "Port must be a whole number from 1 to 65535." }]);
    }
    const listed = await (await request.get(`/api/v1/load-balancers/${lb.id}`)).json();
    expect(listed.listeners).toEqual([]);
    const limit = await request.get("/api/v1/load-balancers?limit=0x10");
    expect(limit.status()).toBe(422);
  });

  test("the JSON content type is parsed, not matched as a substring", async ({ request }) => {
    for (const type of ["text/html; x=application/json", "application/jsonx", "text/plain"]) {
      const response = await request.post("/api/v1/load-balancers", { headers: { "content-type": type }, data: Buffer.from('{"name":"ct"}') });
      expect(response.status(), type).toBe(415);
    }
    const ok = await request.post("/api/v1/load-balancers", { headers: { "content-type": "Application/JSON; charset=utf-8" }, data: Buffer.from(`{"name":"ct-${Date.now()}"}`) });
    expect(ok.status()).toBe(201);
  });

  test("a body nested a million deep is refused before it is parsed", async ({ request }) => {
    const body = Buffer.from("[".repeat(1_000_000) + "]".repeat(1_000_000));
    const response = await request.post("/api/v1/load-balancers", { headers: { "content-type": "application/json" }, data: body });
    expect(response.status()).toBe(400);
    expect((await response.json()).detail).toMatch(/nests deeper than 32 levels/);
  });
});

test.describe("DNS rebinding", () => {
  test("a request for a host name the console does not serve is refused, pages and API alike", async ({ api, request }) => {
    const lb = await api.createLoadBalancer(`rebind-${Date.now()}`);
    const listener = await api.createListener(lb.id, { name: "before", protocol: "HTTP", port: 20000 + Math.floor(Math.random() * 20000) });
    const rebound = await rawRequest(
      "PATCH",
      `/api/v1/listeners/${listener.id}`,
      { host: "evil.example:3000", origin: "http://evil.example:3000", "sec-fetch-site": "same-origin", "content-type": "application/json" },
      '{"name":"x"}',
    );
    expectProblem(rebound, 421, /"evil\.example".*CERTGATE_ALLOWED_HOSTS/);
    expect((await (await request.get(`/api/v1/listeners/${listener.id}`)).json()).name).toBe("before");
    expect((await rawRequest("GET", "/load-balancers", { host: "evil.example" })).status).toBe(421);
    // X-Forwarded-Host from a peer that is not a configured proxy changes nothing.
    // (Past the Host check an anonymous call meets sign-in: 401, not 421.)
    expect((await rawRequest("GET", "/api/v1/load-balancers", { "x-forwarded-host": "evil.example" })).status).toBe(401);
    expect((await rawRequest("GET", "/api/v1/load-balancers", { host: "localhost" })).status).toBe(401);
  });

  test("a client cannot set the headers only the server sets", async ({ api }) => {
    const lb = await api.createLoadBalancer(`forged-${Date.now()}`);
    // A forged "refused method" marker on a real OPTIONS must not turn it into a 405.
    const options = await rawRequest("OPTIONS", `/api/v1/load-balancers/${lb.id}`, { "x-certgate-refused-method": "TRACE" });
    expect(options.status).toBe(204);
  });
});
