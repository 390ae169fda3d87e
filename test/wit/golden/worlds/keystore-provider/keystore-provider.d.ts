// world keys:keystore/keystore-provider
export * as signer from './interfaces/keys-keystore-signer.js'; // export keys:keystore/signer
