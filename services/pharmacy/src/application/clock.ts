/** The time, injectable so tests can fix it (opening hours across a DST change, expiries, lockouts). */
export class Clock {
  now(): Date {
    return new Date();
  }
}
