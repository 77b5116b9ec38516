// IAM over the Query protocol: one file per concern, each exporting its operations' handlers.
import type { ApiHandler } from "../../core/runtime";
import { accessKeyHandlers } from "./access-keys";
import { accountHandlers } from "./account";
import { instanceProfileHandlers } from "./instance-profiles";
import { managedPolicyHandlers } from "./managed-policies";
import { oidcProviderHandlers } from "./oidc-providers";
import { rolePolicyHandlers } from "./role-policies";
import { roleHandlers } from "./roles";
import { userHandlers } from "./users";

export const iamHandlers: Record<string, ApiHandler> = {
  ...roleHandlers,
  ...rolePolicyHandlers,
  ...managedPolicyHandlers,
  ...instanceProfileHandlers,
  ...oidcProviderHandlers,
  ...userHandlers,
  ...accessKeyHandlers,
  ...accountHandlers,
};
