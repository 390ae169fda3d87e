// The import of the `secure-log:components/transport-http` world that this
// entry calls directly, as componentize-js binds it in the guest (wasi:http
// is the engine's, behind fetch).

declare module "wasi:cli/environment@0.2.12" {
  export function getEnvironment(): [string, string][];
}
