// The import of the `secure-log:components/keystore-software` world that this
// entry calls directly, as componentize-js binds it in the guest (wasi:filesystem
// comes through src/wasi/).

declare module "wasi:cli/environment@0.2.12" {
  export function getEnvironment(): [string, string][];
}
