import { apiRoute } from "@/lib/http/api";
import { wizardDocumentInput } from "@/lib/provision/schema";
import { planRole } from "@/lib/provision/service";

// POST /api/v1/provisioning/plan — a wizard document → the trust and permission policies, the
// source-side policies, lint findings, the apply's steps, and Terraform/CloudFormation/CLI/~/.aws/config
// exports. A role name the account already has, or a managed policy it does not have, is a 400
// with the fields (target.roleName, permissions.managedPolicyArns.<i>).
export const POST = apiRoute({ permission: "provisioning.manage", body: wizardDocumentInput }, async ({ actor, body, meta }) => planRole(actor, body, meta));
