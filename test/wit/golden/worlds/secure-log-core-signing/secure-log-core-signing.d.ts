// world secure-log:core-signing/secure-log-core-signing@0.1.0
export type * as KeysKeystoreSigner from './interfaces/keys-keystore-signer.js'; // import keys:keystore/signer
export type * as SecureLogLogEncoder010 from './interfaces/secure-log-log-encoder.js'; // import secure-log:log/encoder@0.1.0
export type * as SecureLogLogStore010 from './interfaces/secure-log-log-store.js'; // import secure-log:log/store@0.1.0
export * as types from './interfaces/secure-log-log-types.js'; // export secure-log:log/types@0.1.0
export * as encoder from './interfaces/secure-log-log-encoder.js'; // export secure-log:log/encoder@0.1.0
export * as log from './interfaces/secure-log-log-log.js'; // export secure-log:log/log@0.1.0
export * as checkpoint from './interfaces/secure-log-log-checkpoint.js'; // export secure-log:log/checkpoint@0.1.0
export * as logger from './interfaces/tegmentum-log-logger.js'; // export tegmentum:log/logger@0.1.0
