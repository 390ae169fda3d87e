// world secure-log:log/store-provider@0.1.0
export type * as SecureLogLogEncoder010 from './interfaces/secure-log-log-encoder.js'; // import secure-log:log/encoder@0.1.0
export * as store from './interfaces/secure-log-log-store.js'; // export secure-log:log/store@0.1.0
