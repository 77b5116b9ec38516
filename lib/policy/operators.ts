// The condition operators IAM knows, and how an operator name such as
// `ForAllValues:StringNotLikeIfExists` breaks down.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html

export type OperatorFamily = "String" | "Numeric" | "Date" | "Bool" | "Binary" | "IpAddress" | "Arn" | "Null";

/** How the policy value is compared with one context value, for the positive form. */
export type Comparison =
  | "equals"
  | "equalsIgnoreCase"
  | "like"
  | "lessThan"
  | "lessThanEquals"
  | "greaterThan"
  | "greaterThanEquals"
  | "inRange";

type BaseOperator = { family: OperatorFamily; comparison: Comparison; negated: boolean };

const BASE_OPERATORS: Readonly<Record<string, BaseOperator>> = {
  StringEquals: { family: "String", comparison: "equals", negated: false },
  StringNotEquals: { family: "String", comparison: "equals", negated: true },
  StringEqualsIgnoreCase: { family: "String", comparison: "equalsIgnoreCase", negated: false },
  StringNotEqualsIgnoreCase: { family: "String", comparison: "equalsIgnoreCase", negated: true },
  StringLike: { family: "String", comparison: "like", negated: false },
  StringNotLike: { family: "String", comparison: "like", negated: true },
  NumericEquals: { family: "Numeric", comparison: "equals", negated: false },
  NumericNotEquals: { family: "Numeric", comparison: "equals", negated: true },
  NumericLessThan: { family: "Numeric", comparison: "lessThan", negated: false },
  NumericLessThanEquals: { family: "Numeric", comparison: "lessThanEquals", negated: false },
  NumericGreaterThan: { family: "Numeric", comparison: "greaterThan", negated: false },
  NumericGreaterThanEquals: { family: "Numeric", comparison: "greaterThanEquals", negated: false },
  DateEquals: { family: "Date", comparison: "equals", negated: false },
  DateNotEquals: { family: "Date", comparison: "equals", negated: true },
  DateLessThan: { family: "Date", comparison: "lessThan", negated: false },
  DateLessThanEquals: { family: "Date", comparison: "lessThanEquals", negated: false },
  DateGreaterThan: { family: "Date", comparison: "greaterThan", negated: false },
  DateGreaterThanEquals: { family: "Date", comparison: "greaterThanEquals", negated: false },
  Bool: { family: "Bool", comparison: "equals", negated: false },
  BinaryEquals: { family: "Binary", comparison: "equals", negated: false },
  IpAddress: { family: "IpAddress", comparison: "inRange", negated: false },
  NotIpAddress: { family: "IpAddress", comparison: "inRange", negated: true },
  // ArnEquals and ArnLike "behave identically", and so do their negations.
  ArnEquals: { family: "Arn", comparison: "like", negated: false },
  ArnLike: { family: "Arn", comparison: "like", negated: false },
  ArnNotEquals: { family: "Arn", comparison: "like", negated: true },
  ArnNotLike: { family: "Arn", comparison: "like", negated: true },
  Null: { family: "Null", comparison: "equals", negated: false },
};

export type SetQualifier = "ForAnyValue" | "ForAllValues";

export type ConditionOperator = BaseOperator & {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  name: string;
  /** The base operator without qualifier or suffix, e.g. `StringLike`. */
  base: string;
  set?: SetQualifier;
  ifExists: boolean;
};

export type OperatorLookup = { ok: true; operator: ConditionOperator } | { ok: false; reason: string };

/** Splits an operator name into qualifier, base operator and `IfExists` suffix. Names are
 * case-sensitive, as in IAM's grammar. */
export function parseConditionOperator(name: string): OperatorLookup {
  const set = (["ForAnyValue", "ForAllValues"] as const).find((q) => name.startsWith(`${q}:`));
  const rest = set ? name.slice(set.length + 1) : name;
  let ifExists = false;
  let base = BASE_OPERATORS[rest] ? rest : undefined;
  if (!base && rest.endsWith("IfExists")) {
    const withoutSuffix = rest.slice(0, -"IfExists".length);
    if (BASE_OPERATORS[withoutSuffix]) {
      base = withoutSuffix;
      ifExists = true;
    }
  }
  const spec = base ? BASE_OPERATORS[base] : undefined;
  if (!base || !spec) {
    return {
      ok: false,
      reason:
        `Invalid condition operator "${name}". Use a documented operator (String*, Numeric*, Date*, Bool, ` +
        `BinaryEquals, IpAddress, NotIpAddress, Arn*, Null), optionally with the IfExists suffix or a ` +
        `ForAnyValue: or ForAllValues: prefix.`,
    };
  }
  // Null tests whether the key exists, so "if it exists" makes no sense for it.
  if (spec.family === "Null" && ifExists) {
    return { ok: false, reason: `Invalid condition operator "${name}": Null cannot take the IfExists suffix.` };
  }
  return { ok: true, operator: { ...spec, name, base, set, ifExists } };
}

/** Policy variables are allowed only with the string, ARN and Boolean operators.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html */
export function allowsPolicyVariables(family: OperatorFamily): boolean {
  return family === "String" || family === "Arn" || family === "Bool";
}
