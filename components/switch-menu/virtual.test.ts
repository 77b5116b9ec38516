import { describe, expect, it } from "vitest";
import { layoutRows, rowAt, scrollToReveal, totalHeight, visibleRange } from "./virtual";

// Header, 3 roles, header, 2 roles: headers 28 px, roles 40 px.
const codes = Int32Array.from([-3, 0, 1, 2, -4, 3, 4]);
const layout = layoutRows(codes, 28, 40);

describe("layoutRows", () => {
  it("stacks headers and roles at their own heights", () => {
    expect(Array.from(layout.offsets)).toEqual([0, 28, 68, 108, 148, 176, 216, 256]);
    expect(totalHeight(layout)).toBe(256);
  });
});

describe("rowAt", () => {
  it.each([
    [0, 0],
    [27, 0],
    [28, 1],
    [147, 3],
    [148, 4],
    [255, 6],
    [10_000, 6],
  ])("y=%i is in row %i", (y, row) => {
    expect(rowAt(layout, y)).toBe(row);
  });
});

describe("visibleRange", () => {
  it.each<[number, number, number, [number, number]]>([
    [0, 100, 0, [0, 3]], // rows 0–2 overlap 0..99
    [0, 100, 2, [0, 5]],
    [150, 60, 1, [3, 7]], // rows 4–5 overlap 150..209
    [0, 10_000, 0, [0, 7]],
  ])("scrollTop %i, height %i, overscan %i → %j", (scrollTop, height, overscan, range) => {
    expect(visibleRange(layout, scrollTop, height, overscan)).toEqual(range);
  });

  it("renders a bounded window of a long list", () => {
    const long = layoutRows(new Int32Array(6000), 28, 40);
    const [start, end] = visibleRange(long, 120_000, 440, 6);
    expect(end - start).toBeLessThanOrEqual(11 + 12 + 1);
    expect(start).toBe(3000 - 6);
  });

  it("is empty for an empty list", () => {
    expect(visibleRange(layoutRows(new Int32Array(0), 28, 40), 0, 400, 5)).toEqual([0, 0]);
  });
});

describe("scrollToReveal", () => {
  it.each<[string, number, number, number, number, number, number | null]>([
    ["already visible", 1, 1, 0, 200, 0, null],
    ["below: scroll so it is the last visible row", 6, 6, 0, 200, 0, 56],
    ["above: scroll so it is the first", 2, 2, 100, 100, 0, 68],
    ["above, under the sticky header: leave room for it", 2, 2, 100, 100, 28, 40],
    ["a group's first role with its header", 4, 5, 200, 50, 0, 148],
    ["never above the top", 0, 1, 50, 100, 28, 0],
  ])("%s", (_what, first, last, scrollTop, height, inset, expected) => {
    expect(scrollToReveal(layout, first, last, scrollTop, height, inset)).toBe(expected);
  });
});
