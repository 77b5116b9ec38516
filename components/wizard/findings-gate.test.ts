import { describe, expect, it } from "vitest";
import { findingsGate } from "./findings-gate";

const error = { severity: "error" as const };
const warning = { severity: "warning" as const };
const info = { severity: "info" as const };

describe("findingsGate", () => {
  it.each([
    ["no findings", [], null, { errors: 0, warnings: 0, acknowledged: true, canProceed: true, acknowledgeWarnings: false }],
    ["only notes", [info, info], null, { errors: 0, warnings: 0, acknowledged: true, canProceed: true, acknowledgeWarnings: false }],
    ["a warning not acknowledged", [warning, info], null, { errors: 0, warnings: 1, acknowledged: false, canProceed: false, acknowledgeWarnings: false }],
    ["warnings acknowledged for this content", [warning, warning], "v2", { errors: 0, warnings: 2, acknowledged: true, canProceed: true, acknowledgeWarnings: true }],
    ["warnings acknowledged for earlier content", [warning], "v1", { errors: 0, warnings: 1, acknowledged: false, canProceed: false, acknowledgeWarnings: false }],
    ["an error, even with the warnings acknowledged", [error, warning], "v2", { errors: 1, warnings: 1, acknowledged: true, canProceed: false, acknowledgeWarnings: true }],
    ["an error alone", [error], null, { errors: 1, warnings: 0, acknowledged: true, canProceed: false, acknowledgeWarnings: false }],
  ] as const)("%s", (_, findings, acknowledgedFor, expected) => {
    expect(findingsGate(findings, acknowledgedFor, "v2")).toEqual(expected);
  });
});
