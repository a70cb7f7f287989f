// Calls the /api/v1 route handlers the way Next does: a real Request, handed to the route file
// (app/api/v1/**/route.ts) whose folders match the path, with its params. The handlers find the
// test's runtime where the product keeps it (globalThis, lib/services/runtime.ts). Every answer is
// recorded, so a suite can check that none of them gave away a secret.
import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { PEER_ADDRESS_HEADER, CLIENT_CERTIFICATE_HEADER } from "../lib/http/console-request-guard";
import { implementedMethods, type RoutableMethod } from "../lib/api/methods";
import { SESSION_COOKIE } from "../lib/auth/session-cookie";
import { INITIAL_PASSWORD_FILE } from "../lib/services/first-admin";
import type { Runtime } from "../lib/services/runtime";

const API_DIR = path.resolve(__dirname, "../app/api/v1");
const RUNTIME_KEY = Symbol.for("certgate.runtime");

export interface RouteFile {
  /** The path as OpenAPI writes it, without /api/v1: `/users/{id}/client-certificates`. */
  route: string;
  /** The folders: `users`, `[id]`, `client-certificates`. */
  segments: string[];
  file: string;
}

/** Every route file Next serves under /api/v1, the catch-all `/{[...path]}` included. */
export function apiRouteFiles(): RouteFile[] {
  return fs
    .readdirSync(API_DIR, { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => {
      const segments = path.dirname(file).split(path.sep);
      return { route: `/${segments.map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/")}`, segments, file: path.join(API_DIR, file) };
    });
}

type RouteModule = Record<string, ((request: Request, context: { params: Promise<unknown> }) => Promise<Response>) | undefined>;

/** The methods each route file really implements (the others answer 405), by route. */
export async function servedRoutes(): Promise<Record<string, RoutableMethod[]>> {
  const routes: Record<string, RoutableMethod[]> = {};
  for (const { route, file } of apiRouteFiles()) routes[route] = implementedMethods(await import(file));
  return routes;
}

/** The route file serving `/api/v1/...` and its params; the catch-all when no folder matches, as in Next. */
function resolve(apiPath: string): { file: string; params: Record<string, string | string[]> } {
  const parts = apiPath.replace(/^\/api\/v1\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  let best: { file: string; params: Record<string, string>; staticCount: number } | undefined;
  let catchAll: string | undefined;
  for (const { segments, file } of apiRouteFiles()) {
    if (segments[0].startsWith("[[...")) {
      catchAll = file;
      continue;
    }
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let staticCount = 0;
    const matches = segments.every((segment, i) => {
      const param = /^\[(.+)\]$/.exec(segment)?.[1];
      if (param) params[param] = parts[i];
      else if (segment === parts[i]) staticCount += 1;
      else return false;
      return true;
    });
    if (matches && (!best || staticCount > best.staticCount)) best = { file, params, staticCount };
  }
  if (best) return best;
  return { file: catchAll!, params: { path: parts } };
}

/** Makes the handlers use `rt` (what getRuntime() returns); undo with `useRuntime(undefined)`. */
export function useRuntime(rt: Runtime | undefined): void {
  const holder = globalThis as { [RUNTIME_KEY]?: Promise<Runtime> };
  if (rt) holder[RUNTIME_KEY] = Promise.resolve(rt);
  else delete holder[RUNTIME_KEY];
}

/** How a request proves who it is; none is anonymous. */
export type Credential = { cookie: string } | { bearer: string } | { certificateSha256: string | "" } | { authorization: string };

export interface CallOptions {
  as?: Credential;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  /** The TCP peer the console server would stamp (the sign-in throttle counts per address). */
  address?: string;
}

export interface Answer {
  method: string;
  path: string;
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or null for an empty one. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A caller of the API that records every answer and the secrets it handled. */
export class ApiClient {
  readonly answers: Answer[] = [];
  /** Passwords sent, session cookies and token secrets received: no answer body may contain them. */
  readonly secrets = new Set<string>();
  /** The one answer allowed to hold a given token secret: its creation. */
  private readonly shownOnce = new Map<Answer, string>();

  async call(method: string, apiPath: string, options: CallOptions = {}): Promise<Answer> {
    const headers = new Headers(options.headers);
    headers.set(PEER_ADDRESS_HEADER, options.address ?? "127.0.0.1");
    const as = options.as;
    if (as && "cookie" in as) headers.set("cookie", `${SESSION_COOKIE}=${as.cookie}`);
    if (as && "bearer" in as) headers.set("authorization", `Bearer ${as.bearer}`);
    if (as && "authorization" in as) headers.set("authorization", as.authorization);
    if (as && "certificateSha256" in as) headers.set(CLIENT_CERTIFICATE_HEADER, as.certificateSha256 ? `sha256=${as.certificateSha256}` : "");
    let body = options.body;
    if (options.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(options.json);
      this.rememberPasswords(options.json);
    }
    const request = new Request(`http://127.0.0.1${apiPath}`, { method, headers, body });
    const { file, params } = resolve(new URL(request.url).pathname);
    const handler = ((await import(file)) as RouteModule)[method];
    if (!handler) throw new Error(`${file} exports no ${method} handler`);
    const response = await handler(request, { params: Promise.resolve(params) });
    const text = await response.text();
    const answer: Answer = { method, path: apiPath, status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : null };
    this.answers.push(answer);
    const cookie = sessionCookieOf(answer);
    if (cookie) this.secrets.add(cookie);
    if (method === "POST" && apiPath === "/api/v1/tokens" && answer.status === 201) {
      const secret = String(answer.body.token).split(".")[2];
      this.secrets.add(secret);
      this.shownOnce.set(answer, secret);
    }
    return answer;
  }

  private rememberPasswords(value: unknown): void {
    if (typeof value !== "object" || value === null) return;
    for (const field of ["password", "currentPassword"] as const) {
      const secret = (value as Record<string, unknown>)[field];
      if (typeof secret === "string" && secret.length >= 8) this.secrets.add(secret);
    }
  }

  /**
   * No answer body (or header other than the session's own Set-Cookie) holds a password, a password
   * hash, a session cookie, an API token's secret (but its creation answer) or a private key. The
   * hashes are read from the store, so they are the real ones.
   */
  async expectNoSecretsGivenAway(rt: Runtime): Promise<void> {
    const hashes = (await rt.store.db.selectFrom("users").select("password_hash").execute()).flatMap(({ password_hash }) => {
      const [, , , , salt, key] = password_hash.split("$");
      return [password_hash, salt, key];
    });
    const tokenHashes = (await rt.store.db.selectFrom("api_tokens").select("secret_hash").execute()).map((row) => row.secret_hash);
    const sessionHashes = (await rt.store.db.selectFrom("sessions").select("id_hash").execute()).map((row) => row.id_hash);
    const secrets = [...this.secrets, ...hashes, ...tokenHashes, ...sessionHashes];
    expect(this.answers.length).toBeGreaterThan(0);
    for (const answer of this.answers) {
      const allowed = this.shownOnce.get(answer);
      const headerText = [...answer.headers.entries()].filter(([name]) => name !== "set-cookie").map(([name, value]) => `${name}: ${value}`).join("\n");
      const where = `${answer.method} ${answer.path} → ${answer.status}`;
      for (const secret of secrets) {
        if (secret === allowed) continue;
        expect(answer.text.includes(secret), `${where} gives away a secret in its body`).toBe(false);
        expect(headerText.includes(secret), `${where} gives away a secret in a header`).toBe(false);
      }
      expect(/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(answer.text), `${where} holds a private key`).toBe(false);
      expect(/"(password_?hash|passwordHash|secret_?hash|secretHash|id_?hash)"/i.test(answer.text), `${where} names a stored hash`).toBe(false);
    }
  }
}

/** The session cookie's value from a Set-Cookie answer, if any. */
export function sessionCookieOf(answer: Answer): string | null {
  const header = answer.headers.get("set-cookie");
  const value = header && new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(header)?.[1];
  return value ? decodeURIComponent(value) : null;
}

/** The first admin's password, as the runtime's first start set it (CERTGATE_ADMIN_PASSWORD or the file). */
export function firstAdminPassword(rt: Runtime): string {
  return process.env.CERTGATE_ADMIN_PASSWORD || fs.readFileSync(path.join(rt.settings.dataDir, INITIAL_PASSWORD_FILE), "utf8").trim();
}

/** Problem answers carry these; the test names what it expects. */
export function expectProblem(answer: Answer, status: number, reason?: string): void {
  expect(answer.status, `${answer.method} ${answer.path}: ${answer.text}`).toBe(status);
  expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(answer.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  if (reason) expect(answer.body.reason).toBe(reason);
}

/** Signs in through POST /api/v1/session; the session cookie's value. */
export async function signIn(client: ApiClient, username: string, password: string, address?: string): Promise<string> {
  const answer = await client.call("POST", "/api/v1/session", { json: { username, password }, address });
  expect(answer.status, answer.text).toBe(200);
  return sessionCookieOf(answer)!;
}

/** An admin makes a user through POST /api/v1/users; the new user's id. */
export async function createUser(client: ApiClient, admin: Credential, user: { username: string; password: string; role: string }): Promise<string> {
  const answer = await client.call("POST", "/api/v1/users", { as: admin, json: user });
  expect(answer.status, answer.text).toBe(201);
  return answer.body.id as string;
}
