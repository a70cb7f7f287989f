// Every refusal reason has its answer. The ones a real client reaches after the handshake are
// checked on live sockets in verify-client.test.ts; no_certificate (a TLS alert) and tls_error (our
// own failure to judge) are rarely answered in HTTP, so their bodies are checked here.
import { describe, expect, it } from "vitest";
import { CLIENT_CERTIFICATE_REFUSED_TYPE, refusalProblem } from "./refusal";
import { CONNECTION_REASONS, type RefusalReason } from "./types";

describe("refusal answers", () => {
  const refused = CONNECTION_REASONS.filter((reason): reason is RefusalReason => reason !== "ok" && reason !== "not_checked");

  it.each(refused)("%s: 403 problem+json naming the reason and what to do, ending with a newline", (reason) => {
    const answer = refusalProblem(reason);
    expect(answer.status).toBe("403 Forbidden");
    const text = answer.body.toString("utf8");
    expect(text.endsWith("}\n")).toBe(true);
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body).toEqual({ type: CLIENT_CERTIFICATE_REFUSED_TYPE, title: "Client certificate refused", status: 403, reason, detail: expect.any(String) });
    // The reason code, then what to do after the semicolon.
    expect(body.detail).toMatch(new RegExp(`\\(${reason}\\); \\w+`));
  });
});
