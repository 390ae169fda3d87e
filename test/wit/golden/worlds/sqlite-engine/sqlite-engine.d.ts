// world secure-log:sqlite/sqlite-engine@0.1.0
export * as engine from './interfaces/secure-log-sqlite-engine.js'; // export secure-log:sqlite/engine@0.1.0
