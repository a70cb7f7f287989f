import { describe, expect, it } from "vitest";
import { DerError, assertSingleElement, decodeBitString, decodeBoolean, decodeInteger, decodeOid, decodeString, decodeTime, readTlv, type Tlv } from "./der";

const bytes = (hex: string) => Buffer.from(hex.replace(/\s/g, ""), "hex");
const tlv = (hex: string): Tlv => readTlv(bytes(hex), 0, "the element");
const time = (tag: number, text: string) => decodeTime({ tag, constructed: false, bytes: Buffer.alloc(0), content: Buffer.from(text) }, "the time");

describe("DER lengths and nesting", () => {
  it("reads short and long definite lengths", () => {
    expect(tlv("04 02 aabb").content).toEqual(bytes("aabb"));
    expect(tlv(`04 81 80 ${"00".repeat(128)}`).content).toHaveLength(128);
  });

  it("refuses indefinite, non-minimal and overlong lengths", () => {
    expect(() => tlv("30 80 0000")).toThrow(/indefinite/);
    expect(() => tlv("04 81 05 0102030405")).toThrow(/non-minimal length/);
    expect(() => tlv("04 82 0005 0102030405")).toThrow(/non-minimal length/);
    expect(() => tlv("04 85 0000000001 00")).toThrow(/oversized/);
  });

  it("tells a cut-off element apart from a malformed one", () => {
    const cut = (() => {
      try {
        tlv("30 10 0500");
      } catch (err) {
        return err;
      }
    })();
    expect(cut).toBeInstanceOf(DerError);
    expect((cut as DerError).kind).toBe("truncated");
  });

  it("requires exactly one element, well formed all the way down", () => {
    expect(assertSingleElement(bytes("30 03 020101"), "v").tag).toBe(0x30);
    expect(() => assertSingleElement(bytes("30 03 020101 00"), "v")).toThrow(/extra bytes/);
    expect(() => assertSingleElement(bytes("30 04 02 05 0101"), "v")).toThrow(DerError);
  });
});

describe("DER primitives", () => {
  it("decodes object identifiers, including arcs beyond 2^53", () => {
    expect(decodeOid(tlv("06 08 2a8648ce3d030107"), "oid")).toBe("1.2.840.10045.3.1.7");
    expect(decodeOid(tlv("06 0b 6983 8080 8080 8080 8080 01".replace(/ /g, "")), "oid")).toMatch(/^2\.25\.\d{18,}$/);
    expect(() => decodeOid(tlv("06 02 2a81"), "oid")).toThrow(/truncated/);
    expect(() => decodeOid(tlv("06 03 2a8001"), "oid")).toThrow(/not a DER/);
  });

  it("decodes minimal INTEGERs with their sign", () => {
    expect(decodeInteger(tlv("02 01 00"), "n")).toBe(0n);
    expect(decodeInteger(tlv("02 02 0080"), "n")).toBe(128n);
    expect(decodeInteger(tlv("02 02 8001"), "n")).toBe(-32767n);
    expect(() => decodeInteger(tlv("02 02 0001"), "n")).toThrow(/minimally/);
    expect(() => decodeInteger(tlv("02 02 ff80"), "n")).toThrow(/minimally/);
  });

  it("accepts only 0x00 and 0xFF as BOOLEAN", () => {
    expect(decodeBoolean(tlv("01 01 ff"), "b")).toBe(true);
    expect(decodeBoolean(tlv("01 01 00"), "b")).toBe(false);
    expect(() => decodeBoolean(tlv("01 01 01"), "b")).toThrow(/DER BOOLEAN/);
  });

  it("requires zero padding bits in a BIT STRING", () => {
    expect(decodeBitString(tlv("03 02 0780"), "bits")).toEqual(bytes("80"));
    expect(() => decodeBitString(tlv("03 02 0781"), "bits")).toThrow(/padding/);
    expect(() => decodeBitString(tlv("03 01 03"), "bits")).toThrow(/BIT STRING/);
  });

  it("reads UTCTime and GeneralizedTime exactly as RFC 5280 profiles them", () => {
    expect(time(0x17, "491231235959Z").toISOString()).toBe("2049-12-31T23:59:59.000Z");
    expect(time(0x17, "500101000000Z").toISOString()).toBe("1950-01-01T00:00:00.000Z");
    expect(time(0x18, "00000229000000Z").getUTCFullYear()).toBe(0); // year 0 is a leap year
    for (const [tag, text] of [[0x17, "0908080100Z"], [0x17, "230229000000Z"], [0x18, "20230101000000.5Z"], [0x17, "230101000000+0100"], [0x18, "230101000000Z"]] as const) {
      expect(() => time(tag, text), text).toThrow(DerError);
    }
  });

  it("checks the character set of each string type", () => {
    const str = (tag: number, content: Buffer) => decodeString({ tag, constructed: false, bytes: Buffer.alloc(0), content }, "the name");
    expect(str(0x13, Buffer.from("Test Corp (EU), Ltd."))).toBe("Test Corp (EU), Ltd.");
    expect(() => str(0x13, Buffer.from("R&D"))).toThrow(/PrintableString/);
    expect(() => str(0x16, Buffer.from("Bornh\xf6ved", "latin1"))).toThrow(/non-ASCII/);
    expect(() => str(0x0c, bytes("c328"))).toThrow(/UTF8String/);
    expect(str(0x14, Buffer.from("Bornh\xf6ved", "latin1"))).toBe("Bornhöved");
    expect(str(0x1e, bytes("00e9 0074 00e9"))).toBe("été");
    expect(str(0x04, bytes("00"))).toBeUndefined();
  });
});
