import { describe, expect, it } from "vitest";
import { ipInRange, parseBase64, parseDate, parseIpRange, parseNumber } from "./values";

describe("parseIpRange", () => {
  const hex = (r: ReturnType<typeof parseIpRange>) => r && { ...r, address: r.address.toString(16) };

  it.each([
    ["203.0.113.7", { version: 4, address: "cb007107", prefix: 32 }],
    ["203.0.113.0/24", { version: 4, address: "cb007100", prefix: 24 }],
    ["::1", { version: 6, address: "1", prefix: 128 }],
    ["::", { version: 6, address: "0", prefix: 128 }],
    ["2001:DB8:1234:5678::/64", { version: 6, address: "20010db8123456780000000000000000", prefix: 64 }],
    ["1:2:3:4:5:6:7::", { version: 6, address: "10002000300040005000600070000", prefix: 128 }],
    ["::ffff:192.0.2.1", { version: 6, address: "ffffc0000201", prefix: 128 }],
    ["64:ff9b::192.0.2.1/96", { version: 6, address: "64ff9b0000000000000000c0000201", prefix: 96 }],
  ])("reads %s", (text, expected) => {
    expect(hex(parseIpRange(text))).toEqual(expected);
  });

  it.each(["256.0.0.1", "1.2.3", "1.2.3.4/33", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "::/129", "10.0.0.0/8/8", "", "host.example"])(
    "rejects %j",
    (text) => {
      expect(parseIpRange(text)).toBeUndefined();
    },
  );

  it("tests containment by prefix", () => {
    const range = parseIpRange("10.0.0.0/8");
    const inside = parseIpRange("10.255.0.1");
    const outside = parseIpRange("11.0.0.1");
    expect(range && inside && ipInRange(inside, range)).toBe(true);
    expect(range && outside && ipInRange(outside, range)).toBe(false);
  });
});

describe("parseDate", () => {
  it.each([
    ["2020-01-01T00:00:00Z", Date.UTC(2020, 0, 1)],
    ["2020-01-01T00:00:00.250Z", Date.UTC(2020, 0, 1) + 250],
    ["2020-01-01T01:00:00+01:00", Date.UTC(2020, 0, 1)],
    ["2019-12-31T19:00-05:00", Date.UTC(2020, 0, 1)],
    ["2020-01-01", Date.UTC(2020, 0, 1)],
    ["2020-02", Date.UTC(2020, 1, 1)],
    ["20200101T000000Z", Date.UTC(2020, 0, 1)],
    ["1577836800", Date.UTC(2020, 0, 1)],
  ])("reads %s", (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });

  it.each(["2020-02-30", "2020-13-01", "2020-01-01T24:00:00Z", "yesterday", "01/02/2020"])("rejects %j", (text) => {
    expect(parseDate(text)).toBeUndefined();
  });
});

describe("parseNumber and parseBase64", () => {
  it.each([["10", 10], ["-1.5", -1.5], ["1e3", 1000], [" 7 ", 7], ["ten", undefined], ["", undefined], ["0x10", undefined]])(
    "parseNumber(%j) → %s",
    (text, expected) => {
      expect(parseNumber(text)).toBe(expected);
    },
  );

  it.each([["QmluYXJ5", true], ["QmluYXI=", true], ["QmluYQ==", true], ["QmluYXJ", false], ["not base64!", false]])(
    "parseBase64(%j) valid → %s",
    (text, valid) => {
      expect(parseBase64(text) !== undefined).toBe(valid);
    },
  );
});
