import { describe, expect, it } from "vitest";
import { hclAttributes, hclIdentifier, hclKey, hclString, hclValue } from "./hcl";

describe("hclString", () => {
  it.each([
    ["plain", '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["back\\slash", '"back\\\\slash"'],
    ["line1\nline2\r\n\ttab", '"line1\\nline2\\r\\n\\ttab"'],
    // IAM policy variables and Terraform's own template sigils are escaped by doubling.
    ["arn:aws:s3:::home/${aws:username}/*", '"arn:aws:s3:::home/$${aws:username}/*"'],
    ["%{if x}", '"%%{if x}"'],
    // Already-doubled sigils stay literal: `$${` in the value is written `$$${`.
    ["$${z}", '"$$${z}"'],
    // A lone `$` or `%` is not a sigil.
    ["$HOME 100% $", '"$HOME 100% $"'],
    ["\u0000\u001b\u007f", '"\\u0000\\u001b\\u007f"'],
    ["Zürich 👍🏽", '"Zürich 👍🏽"'],
  ])("%j → %s", (value, expected) => {
    expect(hclString(value)).toBe(expected);
  });
});

describe("hclKey", () => {
  it.each([
    ["Effect", "Effect"],
    ["team", "team"],
    ["_x1", "_x1"],
    ["sts:ExternalId", '"sts:ExternalId"'],
    ["cost-center", '"cost-center"'],
    ["1abc", '"1abc"'],
    // Bare keywords would be read as literals or start a for expression.
    ["for", '"for"'],
    ["null", '"null"'],
    ["true", '"true"'],
    ["", '""'],
  ])("%j → %s", (key, expected) => {
    expect(hclKey(key)).toBe(expected);
  });
});

describe("hclIdentifier", () => {
  it.each([
    ["delegate_read_my_bucket", "delegate_read_my_bucket"],
    ["ReadOnlyAccess", "read_only_access"],
    ["AmazonSSMManagedInstanceCore", "amazon_ssm_managed_instance_core"],
    ["Nasty+Role=1,2.3@x-y", "nasty_role_1_2_3_x_y"],
    ["123abc", "n_123abc"],
    ["+++", "unnamed"],
  ])("%j → %s", (name, expected) => {
    expect(hclIdentifier(name)).toBe(expected);
  });
});

describe("hclValue", () => {
  it("writes scalars, empty containers and one-item lists on one line", () => {
    expect(hclValue(null, "")).toBe("null");
    expect(hclValue(false, "")).toBe("false");
    expect(hclValue(3600, "")).toBe("3600");
    expect(hclValue(-1.5e-7, "")).toBe("-1.5e-7");
    expect(hclValue([], "")).toBe("[]");
    expect(hclValue({}, "")).toBe("{}");
    expect(hclValue(["s3:GetObject"], "")).toBe('["s3:GetObject"]');
  });

  it("writes longer lists one item per line with trailing commas, and objects with aligned keys", () => {
    expect(hclValue({ Effect: "Allow", Action: ["a", "b"], Principal: { AWS: "x" }, Sid: "S" }, "  ")).toBe(
      ["{", '    Effect = "Allow"', "    Action = [", '      "a",', '      "b",', "    ]", "    Principal = {", '      AWS = "x"', "    }", '    Sid = "S"', "  }"].join("\n"),
    );
  });

  it("drops undefined members as JSON does, and refuses what JSON cannot hold", () => {
    expect(hclValue({ a: undefined, b: 1 }, "")).toBe("{\n  b = 1\n}");
    expect(() => hclValue(Number.NaN, "")).toThrow(/NaN/);
    expect(() => hclValue(() => 1, "")).toThrow(/function/);
  });
});

describe("hclAttributes", () => {
  it("aligns runs of one-line attributes by grapheme count, broken by blank lines and multi-line values", () => {
    const out = hclAttributes(
      [
        ["a", "1"],
        ['"Zu\u0301rich"', "2"],
        ['"👍🏽"', "3"],
        ["long_name", "[\n  1,\n]"],
        ["b", "4"],
        null,
        ["cc", "5"],
      ],
      "",
    );
    expect(out).toBe(["a        = 1", '"Zu\u0301rich" = 2', '"👍🏽"      = 3', "long_name = [\n  1,\n]", "b = 4", "", "cc = 5", ""].join("\n"));
  });
});
