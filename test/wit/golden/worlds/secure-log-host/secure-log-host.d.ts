// world secure-log:log/secure-log-host@0.1.0
export * as types from './interfaces/secure-log-log-types.js'; // export secure-log:log/types@0.1.0
export * as encoder from './interfaces/secure-log-log-encoder.js'; // export secure-log:log/encoder@0.1.0
export * as log from './interfaces/secure-log-log-log.js'; // export secure-log:log/log@0.1.0
export * as checkpoint from './interfaces/secure-log-log-checkpoint.js'; // export secure-log:log/checkpoint@0.1.0
