import { apiRoute } from "@/lib/http/api";
import { wizardDocumentInput } from "@/lib/provision/schema";
import { planRole } from "@/lib/provision/service";

// POST /api/v1/provisioning/plan — a wizard document → the trust and permission policies, the
// source-side policies, lint findings, and Terraform/CloudFormation/CLI/~/.aws/config exports
export const POST = apiRoute({ permission: "provisioning.manage", body: wizardDocumentInput }, async ({ actor, body }) => planRole(actor, body));
