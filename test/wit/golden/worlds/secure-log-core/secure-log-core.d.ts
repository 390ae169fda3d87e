// world secure-log:log/secure-log-core@0.1.0
export type * as SecureLogLogEncoder010 from './interfaces/secure-log-log-encoder.js'; // import secure-log:log/encoder@0.1.0
export type * as SecureLogLogStore010 from './interfaces/secure-log-log-store.js'; // import secure-log:log/store@0.1.0
export type * as SecureLogLogTypes010 from './interfaces/secure-log-log-types.js'; // import secure-log:log/types@0.1.0
export * as encoder from './interfaces/secure-log-log-encoder.js'; // export secure-log:log/encoder@0.1.0
export * as log from './interfaces/secure-log-log-log.js'; // export secure-log:log/log@0.1.0
