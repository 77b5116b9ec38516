import "server-only";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import type { Actor } from "@/lib/auth/actor";
import { brokerProfile, brokerSts } from "@/lib/aws/broker-clients";
import type { BrokerCredentialKind } from "@/lib/aws/broker-identity";
import { MIN_SESSION_SECONDS, secondsUntil, sessionDuration } from "@/lib/aws/duration";
import type { RoleDto } from "@/lib/catalog/role-dto";
import { AppError } from "@/lib/errors";

export type AssumedSession = {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };
  /** When AWS issued the session: its expiration less its duration. */
  issuedAt: string;
  assumedRoleArn: string;
  sessionName: string;
  sourceIdentity: string | null;
  durationSeconds: number;
  cappedBy: string[];
  brokerKind: BrokerCredentialKind;
  broker: { arn: string; accountId: string };
};

export type AssumeRequest = { externalId?: string; sourceIdentity?: string; durationSeconds: number; sessionName: string };

/** AssumeRole failed: the SDK's error and exactly what was asked, for the explanation. */
export class AssumeRoleFailed extends Error {
  readonly awsError: { name: string; message: string };
  readonly request: AssumeRequest;
  readonly brokerKind: BrokerCredentialKind;
  readonly broker: { arn: string; accountId: string };
  constructor(err: Error, request: AssumeRequest, brokerKind: BrokerCredentialKind, broker: { arn: string; accountId: string }) {
    super(err.message);
    this.name = "AssumeRoleFailed";
    this.awsError = { name: err.name, message: err.message };
    this.request = request;
    this.brokerKind = brokerKind;
    this.broker = broker;
    this.cause = err;
  }
}

/** Assumes a catalog role for a signed-in person with the broker's credentials: the session
 * named after them (RoleSessionName) and, when the entry asks, carrying their identity into
 * CloudTrail (SourceIdentity); the entry's ExternalId, never one from the request; the
 * duration clamped to the entry, the role, the one-hour role-chaining cap and the end of the
 * person's access (`accessEndsAt`, epoch ms, when their grant expires).
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
export async function assumeForActor(actor: Actor, role: RoleDto, externalId: string | null, requestedSeconds?: number, accessEndsAt: number | null = null): Promise<AssumedSession> {
  const sessionRemaining = Math.floor((actor.session.endsAt - Date.now()) / 1000);
  if (sessionRemaining < MIN_SESSION_SECONDS) {
    const minutes = Math.max(0, Math.floor(sessionRemaining / 60));
    throw new AppError(
      "unauthorized",
      `Your console session ends in ${minutes} minute${minutes === 1 ? "" : "s"}, and an AWS session must last at least 15 minutes without outliving it. Sign out and sign in again to switch.`,
    );
  }
  const broker = await brokerProfile();
  const accessRemaining = accessEndsAt === null ? undefined : secondsUntil(accessEndsAt);
  const { seconds, cappedBy } = sessionDuration({ requested: requestedSeconds, entryDefault: role.sessionDuration, roleMax: role.roleMaxSessionDuration ?? undefined, brokerKind: broker.kind, sessionRemaining, accessRemaining });
  // The person's fixed AWS identity, never a value they can change (lib/users/aws-identity.ts).
  const request: AssumeRequest = {
    sessionName: actor.awsIdentity,
    durationSeconds: seconds,
    ...(externalId ? { externalId } : {}),
    ...(role.sourceIdentity ? { sourceIdentity: actor.awsIdentity } : {}),
  };
  return assumeAs(role, request, broker, cappedBy);
}

/** AssumeRole of a catalog role by the broker with exactly `request` (the caller decides the
 * session name, source identity and duration). */
export async function assumeAs(
  role: RoleDto,
  request: AssumeRequest,
  broker: { kind: BrokerCredentialKind; arn: string; accountId: string },
  cappedBy: string[] = [],
): Promise<AssumedSession> {
  const seconds = request.durationSeconds;
  try {
    const out = await brokerSts(role.partition).send(
      new AssumeRoleCommand({
        RoleArn: role.roleArn,
        RoleSessionName: request.sessionName,
        DurationSeconds: request.durationSeconds,
        ExternalId: request.externalId,
        SourceIdentity: request.sourceIdentity,
      }),
    );
    const c = out.Credentials!;
    return {
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: c.Expiration!.toISOString() },
      issuedAt: new Date(c.Expiration!.getTime() - seconds * 1000).toISOString(),
      assumedRoleArn: out.AssumedRoleUser?.Arn ?? role.roleArn,
      sessionName: request.sessionName,
      sourceIdentity: out.SourceIdentity ?? request.sourceIdentity ?? null,
      durationSeconds: seconds,
      cappedBy,
      brokerKind: broker.kind,
      broker: { arn: broker.arn, accountId: broker.accountId },
    };
  } catch (err) {
    // The console's own refusal (the STS budget is spent): no AWS answer to explain.
    if (err instanceof AppError) throw err;
    throw new AssumeRoleFailed(err as Error, request, broker.kind, { arn: broker.arn, accountId: broker.accountId });
  }
}
