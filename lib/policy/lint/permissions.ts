// Rules for permission (identity) policies: grants that are broader than they look.

import { documentRules } from "./documents";
import { finding } from "./findings";
import { readDocument, type Doc } from "./read";
import { label } from "./statements";
import type { LintFinding } from "./types";
import { actionMatches } from "../match";

export function permissionRules(doc: Doc, where: string): LintFinding[] {
  const out: LintFinding[] = [];
  const statements = doc.policy.Statement;
  if (!statements.some((s) => s.Effect === "Allow")) {
    out.push(finding("policy-deny-only", "info", where, "The policy has no Allow statement, so it grants nothing; its Deny statements only limit what other policies grant.", "That is fine for a guard-rail policy; otherwise add the Allow statements."));
  }
  statements.forEach((s, i) => {
    if (s.Effect !== "Allow") return;
    const at = label(doc, i);
    const actions = s.Action ?? [];
    const everyResource = (s.Resource ?? []).includes("*");
    if (actions.some((a) => a === "*" || a === "*:*") && everyResource) {
      out.push(finding("admin-wildcard", "warning", where, `${at} allows every action on every resource: full administrator access${s.Condition ? ", limited only by its conditions" : ""}.`, "Attach the AWS managed policy AdministratorAccess instead if administrator access is intended (it is clearer in reviews), or list the actions and resources the role needs."));
    }
    // iam:PassRole on every role lets the role hand any role, including administrator roles,
    // to a service. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
    const passes = actions.some((a) => a !== "*" && a !== "*:*" && actionMatches(a, "iam:PassRole"));
    const anyRole = (s.Resource ?? []).some((r) => r === "*" || /:role\/\*$/.test(r));
    if (passes && anyRole) {
      out.push(finding("passrole-wildcard", "warning", where, `${at} allows iam:PassRole on every role, so the role can give any role, including more powerful ones, to an AWS service and act through it.`, 'Limit Resource to the roles it must pass, and add an iam:PassedToService condition (e.g. "ec2.amazonaws.com").'));
    }
    if (s.NotAction) {
      out.push(finding("allow-not-action", "warning", where, `${at} allows every action except ${s.NotAction.join(", ")}, including actions AWS adds later.`, "List the allowed actions instead."));
    }
    if (s.NotResource) {
      out.push(finding("allow-not-resource", "warning", where, `${at} allows its actions on every resource except ${s.NotResource.join(", ")}, including resources created later.`, "List the allowed resources instead."));
    }
  });
  return out;
}

/** Lints a permission (identity) policy: grammar, then the permission rules. */
export function lintPermissionPolicy(document: unknown, where: string): LintFinding[] {
  const read = readDocument(document, "identity", where);
  if (!read.doc) return read.findings;
  return [...read.findings, ...documentRules(read.doc, where), ...permissionRules(read.doc, where)];
}
