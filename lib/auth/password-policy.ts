// Password length rules, shared by forms (client) and the server. NIST SP 800-63B: length over
// composition rules.
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
