import { NeutronError } from '@neutrino/domain';

/**
 * An append whose publish ended without an answer and whose outcome could not
 * be found out either (the stream did not answer): the events may still be
 * stored. Nothing reserved for them may be given back — ipam's reaper settles
 * an allocation whose resource never appears. The client is told to retry.
 */
export class AppendOutcomeUnknown extends NeutronError {
  constructor(subject: string, cause: unknown) {
    super(
      503, 'ServiceUnavailable',
      `The event log did not confirm the change on ${subject} (${(cause as Error)?.message ?? cause}); it may still be applied. Try again.`,
    );
  }
}

/** An append that provably stored nothing (the log refused it or never had it). */
export class AppendNotStored extends NeutronError {
  constructor(subject: string, cause: unknown) {
    super(503, 'ServiceUnavailable', `The event log is not available (${(cause as Error)?.message ?? cause}) and nothing was changed on ${subject}. Try again.`);
  }
}

/** Whatever was reserved for a command may be released after this error (false only for an unknown outcome). */
export const provablyNotStored = (err: unknown): boolean => !(err instanceof AppendOutcomeUnknown);
