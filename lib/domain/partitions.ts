// The AWS partitions Switchboard knows: one list for the store's CHECK constraint, the forms, the
// wizard and the sign-in URLs. Browser-safe: no server-only, no node: imports. What each
// partition's regions and hosts are lives in lib/aws/partitions.ts.
// https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html

export const PARTITIONS = ["aws", "aws-us-gov", "aws-cn", "aws-eusc"] as const;

export type Partition = (typeof PARTITIONS)[number];
