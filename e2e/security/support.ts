// Shared pieces of the adversarial suite: a raw HTTP client with a cookie jar
// (no URL normalisation, any header, any body), the documented error shape, arbitraries built
// from the OpenAPI document's JSON Schemas plus hostile inputs, server-action discovery and
// calls, and consoles of our own (with their own data, logs and secrets) for the specs that need
// to own the whole process. Each lives in its own module under support/; this index keeps the
// specs' imports in one place.
export * from "./support/actions";
export * from "./support/arbitraries";
export * from "./support/consoles";
export * from "./support/error-shape";
export * from "./support/http";
export * from "./support/openapi";
export * from "./support/postgres";
export * from "./support/roles";
