// Wall-clock timestamps in the reference's form (chrono `to_rfc3339()`):
// `+00:00`, never `Z`; fractional digits only when non-zero. JS clocks give
// milliseconds, so the fraction is either absent or 3 digits.

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export function rfc3339(date: Date): string {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const base = iso.slice(0, 19);
  const ms = iso.slice(20, 23);
  return ms === "000" ? `${base}+00:00` : `${base}.${ms}+00:00`;
}

/** Unix seconds of an RFC 3339 string, or undefined when it does not parse. */
export function unixSeconds(text: string): bigint | undefined {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : BigInt(Math.floor(ms / 1000));
}
