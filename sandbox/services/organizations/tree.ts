// The organization's tree: ListRoots, ListOrganizationalUnitsForParent, ListChildren, ListParents,
// DescribeOrganizationalUnit, CreateOrganizationalUnit, MoveAccount.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html
import { organizationalUnitId } from "../../core/ids";
import type { OrganizationTree, Target } from "../../core/organization";
import type { ApiContext } from "../../core/runtime";
import type { OrganizationalUnit } from "../../core/state";
import { accountNotFound } from "./accounts";
import { authorize, orgError, page } from "./access";

/** "The number of levels deep that you can nest OUs is dependent upon the policy types enabled
 * for that root. For service control policies, the limit is five."
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreateOrganizationalUnit.html */
const MAX_OU_DEPTH = 5;

const parentNotFound = () => orgError("ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.");

export function rootOut(tree: OrganizationTree) {
  return {
    Id: tree.org.rootId,
    Arn: tree.rootArn,
    Name: "Root",
    PolicyTypes: tree.org.enabledPolicyTypes.map((Type) => ({ Type, Status: "ENABLED" })),
  };
}

function ouOut(tree: OrganizationTree, ou: OrganizationalUnit) {
  return { Id: ou.id, Arn: tree.target(ou.id)!.arn, Name: ou.name, Path: tree.orgPath(ou.id) };
}

/** A root or OU, which can hold accounts and OUs. */
function container(tree: OrganizationTree, id: string): Target | undefined {
  const target = tree.target(id);
  return target && target.type !== "ACCOUNT" ? target : undefined;
}

const arnOr = (target: Target | undefined) => target?.arn ?? "*";

function listRoots(input: { NextToken?: string; MaxResults?: number }, ctx: ApiContext) {
  authorize(ctx, "organizations:ListRoots", "delegated");
  const { items, NextToken } = page([rootOut(ctx.world.organization)], input);
  return { Roots: items, ...(NextToken ? { NextToken } : {}) };
}

function ousIn(tree: OrganizationTree, parentId: string): OrganizationalUnit[] {
  return Object.values(tree.org.organizationalUnits)
    .filter((ou) => ou.parentId === parentId)
    .sort((a, b) => a.name.localeCompare(b.name));
}

function listOrganizationalUnitsForParent(input: { ParentId: string; NextToken?: string; MaxResults?: number }, ctx: ApiContext) {
  const tree = ctx.world.organization;
  const parent = container(tree, input.ParentId);
  authorize(ctx, "organizations:ListOrganizationalUnitsForParent", "delegated", arnOr(parent));
  if (!parent) throw parentNotFound();
  const { items, NextToken } = page(ousIn(tree, parent.id), input);
  return { OrganizationalUnits: items.map((ou) => ouOut(tree, ou)), ...(NextToken ? { NextToken } : {}) };
}

function listChildren(input: { ParentId: string; ChildType: "ACCOUNT" | "ORGANIZATIONAL_UNIT"; NextToken?: string; MaxResults?: number }, ctx: ApiContext) {
  const tree = ctx.world.organization;
  const parent = container(tree, input.ParentId);
  authorize(ctx, "organizations:ListChildren", "delegated", arnOr(parent));
  if (!parent) throw parentNotFound();
  const ids =
    input.ChildType === "ORGANIZATIONAL_UNIT"
      ? ousIn(tree, parent.id).map((ou) => ou.id)
      : Object.keys(ctx.world.state.accounts)
          .filter((id) => tree.parentOf(id) === parent.id)
          .sort();
  const { items, NextToken } = page(ids, input);
  return { Children: items.map((Id) => ({ Id, Type: input.ChildType })), ...(NextToken ? { NextToken } : {}) };
}

function listParents(input: { ChildId: string; NextToken?: string; MaxResults?: number }, ctx: ApiContext) {
  const tree = ctx.world.organization;
  const child = tree.target(input.ChildId);
  authorize(ctx, "organizations:ListParents", "delegated", arnOr(child));
  const parentId = child && child.type !== "ROOT" ? tree.parentOf(child.id) : undefined;
  if (!parentId) {
    throw orgError("ChildNotFoundException", "We can't find an organizational unit (OU) or Amazon Web Services account with the ChildId that you specified.");
  }
  const { items, NextToken } = page([{ Id: parentId, Type: parentId === tree.org.rootId ? "ROOT" : "ORGANIZATIONAL_UNIT" }], input);
  return { Parents: items, ...(NextToken ? { NextToken } : {}) };
}

function describeOrganizationalUnit(input: { OrganizationalUnitId: string }, ctx: ApiContext) {
  const tree = ctx.world.organization;
  const ou = Object.prototype.hasOwnProperty.call(tree.org.organizationalUnits, input.OrganizationalUnitId)
    ? tree.org.organizationalUnits[input.OrganizationalUnitId]
    : undefined;
  authorize(ctx, "organizations:DescribeOrganizationalUnit", "delegated", ou ? tree.target(ou.id)!.arn : "*");
  if (!ou) throw orgError("OrganizationalUnitNotFoundException", "We can't find an OU with the OrganizationalUnitId that you specified.");
  return { OrganizationalUnit: ouOut(tree, ou) };
}

function createOrganizationalUnit(input: { ParentId: string; Name: string }, ctx: ApiContext) {
  const tree = ctx.world.organization;
  const parent = container(tree, input.ParentId);
  authorize(ctx, "organizations:CreateOrganizationalUnit", "management", arnOr(parent));
  if (!parent) throw parentNotFound();
  if (ousIn(tree, parent.id).some((ou) => ou.name === input.Name)) {
    throw orgError("DuplicateOrganizationalUnitException", "An OU with the same name already exists.");
  }
  // The path holds the root, so an OU directly in the root is at depth 1.
  if (tree.path(parent.id).length > MAX_OU_DEPTH) {
    throw orgError("ConstraintViolationException", "You attempted to create an OU tree that is too many levels deep.", "OU_DEPTH_LIMIT_EXCEEDED");
  }
  const id = organizationalUnitId(tree.org.rootId);
  const ou: OrganizationalUnit = { id, name: input.Name, parentId: parent.id, createDate: ctx.world.now() };
  tree.org.organizationalUnits[id] = ou;
  tree.attachDefaults(id);
  ctx.world.changed();
  ctx.note.OrganizationalUnitId = id;
  return { OrganizationalUnit: ouOut(tree, ou) };
}

function moveAccount(input: { AccountId: string; SourceParentId: string; DestinationParentId: string }, ctx: ApiContext) {
  const tree = ctx.world.organization;
  const account = tree.target(input.AccountId);
  authorize(ctx, "organizations:MoveAccount", "management", arnOr(account));
  if (!account) throw accountNotFound();
  const source = container(tree, input.SourceParentId);
  if (!source) throw orgError("SourceParentNotFoundException", "We can't find a source root or OU with the ParentId that you specified.");
  const destination = container(tree, input.DestinationParentId);
  if (!destination) {
    throw orgError("DestinationParentNotFoundException", "We can't find the destination container (a root or OU) with the ParentId that you specified.");
  }
  const current = tree.parentOf(account.id);
  if (current !== source.id) throw accountNotFound();
  if (current === destination.id) throw orgError("DuplicateAccountException", "That account is already present in the specified destination.");
  tree.org.accountParents[account.id] = destination.id;
  ctx.world.changed();
}

export const treeHandlers = {
  ListRoots: listRoots,
  ListOrganizationalUnitsForParent: listOrganizationalUnitsForParent,
  ListChildren: listChildren,
  ListParents: listParents,
  DescribeOrganizationalUnit: describeOrganizationalUnit,
  CreateOrganizationalUnit: createOrganizationalUnit,
  MoveAccount: moveAccount,
};
