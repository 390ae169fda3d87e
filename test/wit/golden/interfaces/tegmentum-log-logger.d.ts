/** @module Interface tegmentum:log/logger@0.1.0 **/
/**
 * Fire and forget.
 */
export function log(rec: Entry): void;
export function flush(): void;
/**
 * Diagnostic name of the backend, e.g. "secure-log:v1".
 */
export function backendName(): string;
/**
 * RFC 5424 order, as in secure-log:log/encoder.
 * # Variants
 * 
 * ## `"emergency"`
 * 
 * ## `"alert"`
 * 
 * ## `"critical"`
 * 
 * ## `"error"`
 * 
 * ## `"warning"`
 * 
 * ## `"notice"`
 * 
 * ## `"info"`
 * 
 * ## `"debug"`
 */
export type Severity = 'emergency' | 'alert' | 'critical' | 'error' | 'warning' | 'notice' | 'info' | 'debug';
/**
 * One structured key/value of a record.
 */
export interface Field {
  key: string,
  value: string,
}
export interface Entry {
  severity: Severity,
  /**
   * Dotted category; the secure-log core uses it as the stream id.
   */
  category: string,
  /**
   * Program or service name.
   */
  producer: string,
  /**
   * One line, no trailing newline.
   */
  message: string,
  fields: Array<Field>,
  /**
   * The producer's RFC 3339 time; empty lets the backend stamp it.
   */
  timestampRfc3339: string,
}
