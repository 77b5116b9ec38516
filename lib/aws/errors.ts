// AWS errors in plain language. The SDK's own messages are kept when they are AWS's words to a
// caller (an AccessDenied names who was refused what); transport failures get a sentence that
// says what to check. Never includes credentials.

type SdkError = Error & { name: string; $metadata?: { httpStatusCode?: number }; code?: string };

export function describeAwsError(err: unknown, doing: string): string {
  const e = err as SdkError;
  const name = e?.name ?? "Error";
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(e?.message ?? "")) {
    return `Could not ${doing}: no AWS credentials were found for the console (set them in the environment, a shared credentials file, or run it with an instance/task role).`;
  }
  if (e?.code === "ECONNREFUSED" || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|socket hang up|fetch failed/i.test(e?.message ?? "")) {
    return `Could not ${doing}: the AWS endpoint did not answer (${e?.message ?? name}). Check AWS_ENDPOINT_URL and the network.`;
  }
  if (name === "InvalidClientTokenId" || name === "UnrecognizedClientException") {
    return `Could not ${doing}: AWS does not recognise the console's access key (${name}).`;
  }
  if (name === "ExpiredToken" || name === "ExpiredTokenException") {
    return `Could not ${doing}: the console's AWS credentials have expired.`;
  }
  if (name === "SignatureDoesNotMatch") return `Could not ${doing}: the console's secret access key does not match its key id.`;
  return `Could not ${doing}: ${name}: ${e?.message ?? "unknown error"}`;
}
