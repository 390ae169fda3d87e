// The import of the `secure-log:components/store-remote` world, as
// componentize-js binds it in the guest: an `err` result is thrown.

declare module "secure-log:log/transport@0.1.0" {
  export function rpc(method: string, paramsJson: string): string;
}
