/**
 * Timestamps in the formats that upstream Senlin puts on the wire (they differ per object on
 * purpose; see the API contract §1.10).
 */

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function datePart(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `YYYY-MM-DDTHH:MM:SSZ` (clusters, nodes, profiles, receivers, actions), or null. */
export function isoZ(d: Date | null | undefined): string | null {
  return d ? `${datePart(d)}Z` : null;
}

/** Microseconds of a date; JavaScript dates carry milliseconds, stored microseconds are kept. */
function micros(d: Date & { micros?: number }): number {
  return d.micros ?? d.getUTCMilliseconds() * 1000;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffff` without zone (policies, bindings), or null. */
export function isoMicros(d: Date | null | undefined): string | null {
  return d ? `${datePart(d)}.${pad(micros(d), 6)}` : null;
}

/** Python's naive `isoformat()`: the fraction only when it is not zero (services). */
export function isoNaive(d: Date | null | undefined): string | null {
  if (!d) return null;
  const us = micros(d);
  return us ? `${datePart(d)}.${pad(us, 6)}` : datePart(d);
}

/** `YYYY-MM-DDTHH:MM:SS+00:00` with the fraction dropped (events), or null. */
export function isoOffset(d: Date | null | undefined): string | null {
  return d ? `${datePart(d)}+00:00` : null;
}

/** Epoch seconds as a float (action start/end times). */
export function epochSeconds(d: Date = new Date()): number {
  return d.getTime() / 1000;
}
