// Evaluates a statement's Condition block against the request context.
// Operators: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// Several keys and values: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
// Set operators: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html

import { contextValues } from "./context";
import { arnLike, patternText, resolveValue, toPattern, variablesEnabled, wildcardMatch, type Pattern } from "./match";
import { allowsPolicyVariables, parseConditionOperator, type ConditionOperator } from "./operators";
import type { ConditionBlock, Policy, RequestContext } from "./types";
import { bytesEqual, ipInRange, parseBase64, parseBoolean, parseDate, parseIpRange, parseNumber } from "./values";

export type ConditionOptions = {
  /** The policy's Version; policy variables are substituted only for "2012-10-17". */
  version?: Policy["Version"];
};

/** True when every operator, and every key under it, is satisfied (AND); the values listed for
 * one key are alternatives (OR, or NOR for negated operators). */
export function evaluateCondition(block: ConditionBlock, context: RequestContext, options: ConditionOptions = {}): boolean {
  const withVariables = variablesEnabled(options.version);
  return Object.entries(block).every(([name, keys]) => {
    const lookup = parseConditionOperator(name);
    // parsePolicy rejects unknown operators; a statement that still carries one never applies.
    if (!lookup.ok) return false;
    return Object.entries(keys).every(([key, values]) => evaluateKey(lookup.operator, key, values, context, withVariables));
  });
}

function evaluateKey(
  operator: ConditionOperator,
  key: string,
  policyValues: string[],
  context: RequestContext,
  withVariables: boolean,
): boolean {
  const found = contextValues(context, key);
  // A key with an empty list of values is treated as absent ("resolve to an empty data set").
  const values = found && found.length > 0 ? found : undefined;

  if (operator.family === "Null") {
    // "true": the key is absent (or null); "false": the key is present and not null.
    return policyValues.some((v) => {
      const wanted = parseBoolean(v);
      return wanted !== undefined && wanted === (values === undefined);
    });
  }

  if (values === undefined) {
    if (operator.ifExists) return true;
    // ForAllValues is vacuously true over no values; ForAnyValue finds nothing.
    if (operator.set === "ForAllValues") return true;
    if (operator.set === "ForAnyValue") return false;
    // "If the policy condition requires that the key is not matched, such as StringNotLike or
    // ArnNotLike, and the right key is not present, the condition is true."
    return operator.negated;
  }

  const patterns = policyValues.map((v) =>
    allowsPolicyVariables(operator.family) ? resolveValue(v, context, withVariables) : toPattern(v),
  );
  const satisfied = (contextValue: string) => valueSatisfies(operator, contextValue, patterns);

  if (operator.set === "ForAnyValue") return values.some(satisfied);
  if (operator.set === "ForAllValues") return values.every(satisfied);
  // Without a set operator a positive operator matches when any context value matches; a
  // negated one only when no context value matches the positive form.
  return operator.negated ? values.every(satisfied) : values.some(satisfied);
}

/** Whether one context value satisfies the operator against the policy's values: for a positive
 * operator it must match one of them, for a negated operator it must match none. A comparison
 * that cannot be made (a value of the wrong type, an unresolved policy variable) satisfies
 * neither form. */
function valueSatisfies(operator: ConditionOperator, contextValue: string, patterns: Array<Pattern | undefined>): boolean {
  const results = patterns.map((pattern) => (pattern ? compare(operator, contextValue, pattern) : undefined));
  return operator.negated ? results.every((r) => r === false) : results.some((r) => r === true);
}

/** The positive form of the comparison; undefined when the values cannot be compared. */
function compare(operator: ConditionOperator, contextValue: string, pattern: Pattern): boolean | undefined {
  const policyValue = patternText(pattern);
  switch (operator.family) {
    case "String":
      if (operator.comparison === "like") return wildcardMatch(pattern, contextValue);
      if (operator.comparison === "equalsIgnoreCase") return contextValue.toLowerCase() === policyValue.toLowerCase();
      return contextValue === policyValue;
    case "Arn":
      return arnLike(pattern, contextValue);
    case "Numeric":
      return order(operator, parseNumber(contextValue), parseNumber(policyValue));
    case "Date":
      return order(operator, parseDate(contextValue), parseDate(policyValue));
    case "Bool": {
      const a = parseBoolean(contextValue);
      const b = parseBoolean(policyValue);
      return a === undefined || b === undefined ? undefined : a === b;
    }
    case "Binary": {
      const a = parseBase64(contextValue);
      const b = parseBase64(policyValue);
      return a === undefined || b === undefined ? undefined : bytesEqual(a, b);
    }
    case "IpAddress": {
      const address = parseIpRange(contextValue);
      const range = parseIpRange(policyValue);
      return address === undefined || range === undefined ? undefined : ipInRange(address, range);
    }
    case "Null":
      return undefined;
  }
}

function order(operator: ConditionOperator, contextValue: number | undefined, policyValue: number | undefined): boolean | undefined {
  if (contextValue === undefined || policyValue === undefined) return undefined;
  switch (operator.comparison) {
    case "lessThan":
      return contextValue < policyValue;
    case "lessThanEquals":
      return contextValue <= policyValue;
    case "greaterThan":
      return contextValue > policyValue;
    case "greaterThanEquals":
      return contextValue >= policyValue;
    default:
      return contextValue === policyValue;
  }
}
