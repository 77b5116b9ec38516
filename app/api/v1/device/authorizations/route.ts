import { startDeviceAuthorization } from "@/lib/device/device";
import { startDeviceInput } from "@/lib/device/schemas";
import { publicRoute } from "@/lib/http/api";

// POST /api/v1/device/authorizations — start a command line's device sign-in (RFC 8628 §3.1–3.2,
// https://www.rfc-editor.org/rfc/rfc8628#section-3.1). Public: the caller has no session or token
// yet. The body is the RFC's parameters as JSON ({ client_id: "switchboard-cli", description });
// the answer is the RFC's (device_code, user_code, verification_uri, verification_uri_complete,
// expires_in, interval). Rate-limited per client address (429, Retry-After); errors are the
// console's one body, { error: { code, message, … } }.
export const POST = publicRoute({ body: startDeviceInput }, ({ body, meta }) => startDeviceAuthorization(body, meta));
