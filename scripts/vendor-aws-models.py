#!/usr/bin/env python3
"""Vendor trimmed AWS service models from botocore into sandbox/models/.

The sandbox's wire format (Query/XML, JSON 1.1), its input validation (AWS's own min/max/
pattern constraints) and its error codes/HTTP statuses are driven by these models, so that
it answers exactly as AWS does. botocore is Apache-2.0; see sandbox/models/NOTICE.

Run by hand when operations are added:  python3 scripts/vendor-aws-models.py
"""
import gzip
import json
import os

import botocore

DATA = os.path.join(os.path.dirname(botocore.__file__), "data")
OUT = os.path.join(os.path.dirname(__file__), "..", "sandbox", "models")

SERVICES = {
    ("sts", "2011-06-15"): [
        "AssumeRole", "GetCallerIdentity", "GetSessionToken", "GetAccessKeyInfo",
    ],
    ("iam", "2010-05-08"): [
        "CreateRole", "GetRole", "ListRoles", "UpdateRole", "UpdateRoleDescription",
        "UpdateAssumeRolePolicy", "DeleteRole", "PutRolePermissionsBoundary",
        "DeleteRolePermissionsBoundary",
        "PutRolePolicy", "GetRolePolicy", "ListRolePolicies", "DeleteRolePolicy",
        "AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies",
        "CreatePolicy", "GetPolicy", "GetPolicyVersion", "ListPolicies", "ListPolicyVersions",
        "CreatePolicyVersion", "DeletePolicyVersion", "DeletePolicy", "ListEntitiesForPolicy",
        "TagRole", "UntagRole", "ListRoleTags",
        "CreateInstanceProfile", "GetInstanceProfile", "DeleteInstanceProfile",
        "ListInstanceProfiles", "AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile",
        "ListInstanceProfilesForRole",
        "CreateOpenIDConnectProvider", "GetOpenIDConnectProvider",
        "ListOpenIDConnectProviders", "DeleteOpenIDConnectProvider",
        "GetAccountSummary", "ListAccountAliases",
        "CreateUser", "GetUser", "ListUsers", "DeleteUser",
        "PutUserPolicy", "GetUserPolicy", "ListUserPolicies", "DeleteUserPolicy",
        "AttachUserPolicy", "DetachUserPolicy", "ListAttachedUserPolicies",
        "CreateAccessKey", "ListAccessKeys", "DeleteAccessKey",
        "ListMFADevices",
    ],
    ("organizations", "2016-11-28"): [
        "DescribeOrganization", "ListAccounts", "DescribeAccount",
        "ListRoots", "ListOrganizationalUnitsForParent", "ListParents", "ListChildren",
        "CreateOrganizationalUnit", "DescribeOrganizationalUnit", "MoveAccount",
        "CreatePolicy", "DescribePolicy", "DeletePolicy", "ListPolicies",
        "AttachPolicy", "DetachPolicy", "ListPoliciesForTarget", "ListTargetsForPolicy",
        "EnablePolicyType", "DisablePolicyType",
        "PutResourcePolicy", "DescribeResourcePolicy", "DeleteResourcePolicy",
    ],
}


def strip_docs(node):
    if isinstance(node, dict):
        return {k: strip_docs(v) for k, v in node.items() if k not in ("documentation", "documentationUrl", "deprecatedMessage")}
    if isinstance(node, list):
        return [strip_docs(v) for v in node]
    return node


def collect(shapes, name, seen):
    if name in seen:
        return
    seen.add(name)
    shape = shapes[name]
    for ref in shape.get("members", {}).values():
        collect(shapes, ref["shape"], seen)
    for key in ("member", "key", "value"):
        if key in shape:
            collect(shapes, shape[key]["shape"], seen)


for (service, version), operations in SERVICES.items():
    with gzip.open(os.path.join(DATA, service, version, "service-2.json.gz")) as f:
        model = json.load(f)
    shapes = model["shapes"]
    seen = set()
    ops = {}
    for op in operations:
        spec = model["operations"][op]
        ops[op] = spec
        for key in ("input", "output"):
            if key in spec:
                collect(shapes, spec[key]["shape"], seen)
        for err in spec.get("errors", []):
            collect(shapes, err["shape"], seen)
    trimmed = {
        "source": f"botocore {botocore.__version__} data/{service}/{version}/service-2.json (Apache-2.0), trimmed",
        "metadata": model["metadata"],
        "operations": strip_docs(ops),
        "shapes": strip_docs({k: shapes[k] for k in sorted(seen)}),
    }
    path = os.path.join(OUT, f"{service}.json")
    with open(path, "w") as f:
        json.dump(trimmed, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{path}: {len(ops)} operations, {len(seen)} shapes")

# AWS-managed policies with their real paths, versions and documents, from moto's copy of the
# AWS catalogue (Apache-2.0): the eight the issue names plus those operators reach for most.
from moto.iam.aws_managed_policies import aws_managed_policies_data  # noqa: E402

MANAGED = [
    "AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "ViewOnlyAccess", "SecurityAudit",
    "IAMFullAccess", "IAMReadOnlyAccess", "AmazonS3ReadOnlyAccess", "AmazonS3FullAccess",
    "AmazonEC2ReadOnlyAccess", "AmazonEC2FullAccess", "AWSLambdaBasicExecutionRole",
    "AWSLambda_ReadOnlyAccess", "AWSLambda_FullAccess", "AmazonECSTaskExecutionRolePolicy",
    "AmazonSSMManagedInstanceCore", "CloudWatchReadOnlyAccess", "CloudWatchLogsReadOnlyAccess",
    "AWSCodeDeployFullAccess", "AWSCodeDeployReadOnlyAccess", "AWSCodeDeployDeployerAccess",
    "AWSCodeDeployRole", "AmazonEC2ContainerRegistryReadOnly", "AmazonDynamoDBReadOnlyAccess",
    "AmazonDynamoDBFullAccess", "AmazonRDSReadOnlyAccess", "AWSCloudFormationReadOnlyAccess",
    "AWSCloudFormationFullAccess", "AWSBillingReadOnlyAccess", "Billing", "DatabaseAdministrator",
    "NetworkAdministrator", "SystemAdministrator", "SupportUser", "AWSSupportAccess",
    "AmazonVPCReadOnlyAccess", "AWSCloudTrail_ReadOnlyAccess", "AWSOrganizationsReadOnlyAccess",
    "AmazonSQSReadOnlyAccess", "AmazonSNSReadOnlyAccess", "SecretsManagerReadWrite",
    "AWSKeyManagementServicePowerUser",
]
catalogue = json.loads(aws_managed_policies_data)
import moto  # noqa: E402

managed = {
    "source": f"moto {moto.__version__} moto/iam/aws_managed_policies.py (Apache-2.0), selected policies",
    "policies": [
        {
            "name": name,
            "path": catalogue[name]["Path"],
            "defaultVersionId": catalogue[name]["DefaultVersionId"],
            "createDate": catalogue[name]["CreateDate"],
            "updateDate": catalogue[name]["UpdateDate"],
            "document": catalogue[name]["Document"],
        }
        for name in MANAGED
    ],
}
path = os.path.join(OUT, "aws-managed-policies.json")
with open(path, "w") as f:
    json.dump(managed, f, indent=1)
    f.write("\n")
print(f"{path}: {len(MANAGED)} AWS-managed policies")
