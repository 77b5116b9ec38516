import { describe, expect, it } from "vitest";
import { parseTheme } from "./theme";

describe("parseTheme (the theme cookie, as the server reads it)", () => {
  it.each([
    ["system", "system"],
    ["light", "light"],
    ["dark", "dark"],
    // No cookie, or one that is not a choice (an old value, a forged one): follow the system.
    [undefined, "system"],
    ["", "system"],
    ["Dark", "system"],
    ["dark; Path=/", "system"],
    ['"><script>', "system"],
  ] as const)("%j → %s", (cookie, theme) => {
    expect(parseTheme(cookie)).toBe(theme);
  });
});
