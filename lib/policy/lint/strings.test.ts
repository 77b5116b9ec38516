import { describe, expect, it } from "vitest";
import { editDistance, nearest } from "./strings";

describe("nearest names", () => {
  it.each([
    ["GetObject", "GetObjects", 1],
    ["AssumeRole", "AsumeRole", 1],
    ["PassRole", "PsasRole", 1],
    ["abc", "abc", 0],
    ["", "abc", 3],
  ])("editDistance(%s, %s) = %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it("suggests only close names", () => {
    expect(nearest("sts:AssumeRoles", ["sts:AssumeRole", "sts:TagSession"])).toBe("sts:AssumeRole");
    expect(nearest("sts:Frobnicate", ["sts:AssumeRole", "sts:TagSession"])).toBeUndefined();
  });
});
