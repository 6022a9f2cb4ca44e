import { provablyNotStored } from './append-outcome';

/** Something taken from ipam before a command can be decided (addresses and a MAC, a segment). */
export interface Reservation<R> {
  reserve(): Promise<R>;
  /** Gives it back; only called when the command provably did not record it. */
  release(reserved: R): Promise<void>;
}

/**
 * reserve → use (decide and append) → keep, or release on failure. Written
 * once for every command that needs ipam first. A failure whose append
 * outcome is unknown (AppendOutcomeUnknown) keeps the reservation: the event
 * may still land, and ipam's reaper gives back what no resource ends up
 * holding. A failing release does not hide the command's own error.
 */
export async function withReservation<R, T>(reservation: Reservation<R>, use: (reserved: R) => Promise<T>): Promise<T> {
  const reserved = await reservation.reserve();
  try {
    return await use(reserved);
  } catch (err) {
    if (provablyNotStored(err)) await reservation.release(reserved).catch(() => undefined);
    throw err;
  }
}

/** No reservation (a command that needs nothing from ipam this time). */
export const nothing: Reservation<undefined> = { reserve: async () => undefined, release: async () => undefined };
