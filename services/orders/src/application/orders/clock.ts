/** The time, injectable so tests can move it (deadlines, expiries) instead of sleeping. */
export class Clock {
  now(): Date {
    return new Date();
  }
}
