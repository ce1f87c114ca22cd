/** The time, injectable so tests can move it (lockouts, expiries) without sleeping. */
export class Clock {
  now(): Date {
    return new Date();
  }
}
