import { describe, expect, it } from "vitest";
import { commonName, expiryText, parseDistinguishedName, readableName } from "./format";

describe("distinguished names as people read them", () => {
  it("unescapes RFC 4514 values, so markup in a subject is shown as the text it is", () => {
    const dn = "CN=\\<img src=x onerror=alert(1)\\>,O=Upload Corp";
    expect(commonName(dn)).toBe("<img src=x onerror=alert(1)>");
    expect(readableName(dn)).toBe("CN=<img src=x onerror=alert(1)>, O=Upload Corp");
  });

  it("keeps escaped separators inside values and splits multi-valued RDNs", () => {
    expect(parseDistinguishedName('CN=#hash \\"q\\" \\<x\\>\\;y\\\\z,O=Test\\, Inc.')).toEqual([
      { type: "CN", value: '#hash "q" <x>;y\\z' },
      { type: "O", value: "Test, Inc." },
    ]);
    expect(parseDistinguishedName("CN=multi+UID=val,OU=a\\+b")).toEqual([
      { type: "CN", value: "multi" },
      { type: "UID", value: "val" },
      { type: "OU", value: "a+b" },
    ]);
  });

  it("decodes hex-escaped UTF-8 and leaves '#'-hex values alone", () => {
    expect(commonName("CN=Caf\\C3\\A9,O=x")).toBe("Café");
    expect(readableName("1.2.3.4=#0403616263")).toBe("1.2.3.4=#0403616263");
  });

  it("falls back to the whole name when there is no CN", () => {
    expect(commonName("O=Corp,C=DE")).toBe("O=Corp, C=DE");
  });
});

describe("expiry", () => {
  it("says how many days are left, or that it expired", () => {
    expect(expiryText(new Date(Date.now() + 10.5 * 86_400_000).toISOString())).toMatch(/\(10 days left\)$/);
    expect(expiryText("2021-01-01T00:00:00Z")).toBe("2021-01-01 (expired)");
  });
});
