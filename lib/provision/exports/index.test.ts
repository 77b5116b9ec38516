import { describe, expect, it } from "vitest";
import { EXPORT_FORMATS, exportFile, type ExportFormatId } from "./index";
import { EXPORT_CASES, delegateReadMyBucket, nasty } from "./testing";

// Expected outputs, one file per plan and format. `npx vitest run lib/provision/exports --update`
// rewrites them after a deliberate change (the flag last: it takes an optional value, so a path
// after it would be read as that value). Review the diff like code.
const FIXTURE_EXTENSION: Record<ExportFormatId, string> = {
  terraform: "tf",
  cloudformation: "cfn.yaml",
  cli: "sh",
  "aws-config": "aws-config",
};

describe("exportFile: fixtures", () => {
  const cases = EXPORT_CASES.flatMap(({ name, plan, options }) => EXPORT_FORMATS.map((format) => ({ name, plan, options, format: format.id })));

  it.each(cases)("$name as $format matches its fixture", async ({ name, plan, options, format }) => {
    const { text } = exportFile(format, plan, options);
    await expect(text).toMatchFileSnapshot(`../__fixtures__/exports/${name}.${FIXTURE_EXTENSION[format]}`);
  });

  it.each(cases)("$name as $format is stable and leaves the plan as it was", ({ plan, options, format }) => {
    const before = structuredClone(plan);
    const first = exportFile(format, plan, options).text;
    expect(exportFile(format, structuredClone(plan), options).text).toBe(first);
    expect(plan).toEqual(before);
  });
});

describe("exportFile: files", () => {
  it("names each file after the role, safely", () => {
    expect(EXPORT_FORMATS.map((f) => exportFile(f.id, delegateReadMyBucket).filename)).toEqual([
      "delegate-read-my-bucket.tf",
      "delegate-read-my-bucket.cfn.yaml",
      "create-delegate-read-my-bucket.sh",
      "delegate-read-my-bucket.aws-config",
    ]);
    expect(exportFile("cli", nasty).filename).toBe("create-nasty-role-1-2-3-x-y.sh");
  });

  it("ends every export with exactly one newline", () => {
    for (const { plan, options } of EXPORT_CASES) {
      for (const format of EXPORT_FORMATS) expect(exportFile(format.id, plan, options).text).toMatch(/[^\n]\n$/);
    }
  });
});
