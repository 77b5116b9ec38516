import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./redirect";

const BASE = "https://switchboard.example.com";

describe("safeCallbackPath", () => {
  it.each([
    ["/users", "/users"],
    ["/audit?actor=alice%40example.com&outcome=failure", "/audit?actor=alice%40example.com&outcome=failure"],
    ["/roles#pinned", "/roles#pinned"],
    [`${BASE}/settings?tab=broker`, "/settings?tab=broker"],
    ["/a/../users", "/users"],
    // Percent-encoded CR/LF stay encoded inside the path; they never become a header break.
    ["/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"],
  ])("keeps a path on this console: %s", (input, expected) => {
    expect(safeCallbackPath(input, BASE)).toBe(expected);
  });

  it.each([
    ["", "empty"],
    ["//evil.example/steal", "protocol-relative"],
    ["/\\evil.example", "backslash"],
    ["\\\\evil.example", "double backslash"],
    ["https://evil.example/", "another origin"],
    ["http://switchboard.example.com/users", "same host, other scheme"],
    ["https://switchboard.example.com.evil.example/", "look-alike host"],
    ["javascript:alert(1)", "javascript URL"],
    ["/\u0000/x", "NUL"],
    ["/\t/evil.example", "tab"],
    ["/signin?callbackUrl=/users", "the sign-in page itself"],
    ["/api/auth/signout", "the auth endpoints"],
    // Dot segments that collapse into a protocol-relative path once resolved.
    ["/.//evil.example", "dot segment then //"],
    ["/x/..//evil.example", "parent segment then //"],
    ["/%2e//evil.example", "encoded dot segment then //"],
    ["/%2E%2E//evil.example", "encoded parent segment then //"],
    ["/./\\evil.example", "dot segment then backslash"],
    [`${BASE}/.//evil.example`, "absolute, same origin, collapsing to //"],
    [`/${"a".repeat(2100)}`, "absurdly long"],
  ])("falls back to / for %s (%s)", (input) => {
    expect(safeCallbackPath(input, BASE)).toBe("/");
  });
});

describe("safeCallbackPath for next-auth's redirect callback", () => {
  it("lets sign-out land on the sign-in page, and nothing off the console", () => {
    expect(safeCallbackPath("/signin?signedOut=1", BASE, { allowSignInPage: true })).toBe("/signin?signedOut=1");
    expect(safeCallbackPath(`${BASE}/signin?signedOut=1`, BASE, { allowSignInPage: true })).toBe("/signin?signedOut=1");
    expect(safeCallbackPath("/.//evil.example", BASE, { allowSignInPage: true })).toBe("/");
    expect(safeCallbackPath("/api/auth/signout", BASE, { allowSignInPage: true })).toBe("/");
  });
});
