import { describe, expect, it } from "vitest";
import { lengthChoices, lengthLabel, lengthWords } from "./lengths";

describe("lengthChoices", () => {
  it.each([
    // An entry of 12 hours on a long-term broker: everything.
    [43200, [900, 3600, 14400, 28800, 43200]],
    // An entry of 8 hours.
    [28800, [900, 3600, 14400, 28800]],
    // Role chaining (or no entry length): one hour at most.
    [3600, [900, 3600]],
    // An entry of 2 hours: its own length is offered too.
    [7200, [900, 3600, 7200]],
    // The console session ends in 50 minutes: 15 minutes, or all that is left.
    [3000, [900, 3000]],
    // Only the minimum is left.
    [900, [900]],
    // Fractions never offer a second more than granted.
    [3600.9, [900, 3600]],
  ])("under %i s offers %j", (ceiling, expected) => {
    expect(lengthChoices(ceiling)).toEqual(expected);
  });

  it("offers nothing under AssumeRole's minimum", () => {
    expect(lengthChoices(600)).toEqual([]);
  });
});

describe("lengthLabel and lengthWords", () => {
  it.each([
    [900, "15 min", "15 minutes"],
    [3600, "1 h", "1 hour"],
    [5400, "1 h 30 min", "1 hour 30 minutes"],
    [3060, "51 min", "51 minutes"],
    [43200, "12 h", "12 hours"],
    [3661, "1 h 1 min", "1 hour 1 minute"],
  ])("%i s is %s (%s)", (seconds, label, words) => {
    expect(lengthLabel(seconds)).toBe(label);
    expect(lengthWords(seconds)).toBe(words);
  });
});
