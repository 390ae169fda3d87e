// Types for the wasi:filesystem imports a componentize-js guest sees, taken from
// the preview2-shim typings (the same jco JS shape). The version is the one
// vendored in wit/deps; scripts/lib/bundle.ts maps any wasi 0.2.x import to it.

declare module "wasi:filesystem/preopens@0.2.12" {
  export * from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-preopens";
}

declare module "wasi:filesystem/types@0.2.12" {
  export * from "@bytecodealliance/preview2-shim/interfaces/wasi-filesystem-types";
}
