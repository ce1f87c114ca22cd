/**
 * Time that a test moves by hand instead of sleeping (expiries, lockouts, deadlines, opening hours).
 * It has the one method every service's `Clock` port has (`now()`), so it stands in for any of them
 * (`{ provide: Clock, useValue: clock }`, or as a constructor argument). Units are in the names, so a
 * suite cannot mistake seconds for milliseconds.
 */
export class TestClock {
  constructor(public at: Date = new Date()) {}

  now(): Date {
    return new Date(this.at);
  }

  advanceMs(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }

  advanceSeconds(seconds: number): void {
    this.advanceMs(seconds * 1000);
  }
}
