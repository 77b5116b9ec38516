import { pollDeviceAuthorization } from "@/lib/device/device";
import { pollDeviceInput } from "@/lib/device/schemas";
import { publicRoute } from "@/lib/http/api";

// POST /api/v1/device/token — the command line's poll for its token (RFC 8628 §3.4–3.5,
// https://www.rfc-editor.org/rfc/rfc8628#section-3.5). Public: the device code in the body is the
// proof. Until the person decides, the answer is 400 in the console's one error body with the
// RFC's error code in details.error — authorization_pending, slow_down (details.interval: the
// new interval in seconds), access_denied, expired_token, or invalid_grant (unknown or already
// used). Once approved, the first poll gets { access_token, token_type: "Bearer", expires_in,
// scope: "switch" }: one personal access token, never answered again.
export const POST = publicRoute({ body: pollDeviceInput }, ({ body, meta }) => pollDeviceAuthorization(body, meta));
