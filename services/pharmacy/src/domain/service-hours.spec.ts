import { isOpenAt, localTime } from './service-hours';

describe('service hours (Pacific/Auckland)', () => {
  const weekdays = { mon: [{ open: '09:00', close: '17:00' }] };

  it('reads wall-clock time through the zone database on both sides of the September 2026 DST change', () => {
    // Before 27 Sep 2026 02:00 NZST (UTC+12); after it NZDT (UTC+13).
    expect(localTime(new Date('2026-09-20T20:30:00Z'))).toEqual({ weekday: 'mon', time: '08:30' });
    expect(localTime(new Date('2026-09-27T20:30:00Z'))).toEqual({ weekday: 'mon', time: '09:30' });
  });

  it('opens at the same UTC instant of the week only once daylight saving has started', () => {
    expect(isOpenAt(weekdays, new Date('2026-09-20T20:30:00Z'))).toBe(false);
    expect(isOpenAt(weekdays, new Date('2026-09-27T20:30:00Z'))).toBe(true);
  });

  it('includes the opening minute and excludes the closing one; 24:00 closes at midnight', () => {
    const at = (utc: string) => new Date(utc);
    // Monday 2026-11-23 in NZDT (UTC+13): 09:00 local = 2026-11-22T20:00Z.
    expect(isOpenAt(weekdays, at('2026-11-22T20:00:00Z'))).toBe(true);
    expect(isOpenAt(weekdays, at('2026-11-22T19:59:00Z'))).toBe(false);
    expect(isOpenAt(weekdays, at('2026-11-23T04:00:00Z'))).toBe(false); // 17:00
    expect(isOpenAt({ mon: [{ open: '20:00', close: '24:00' }] }, at('2026-11-23T10:59:00Z'))).toBe(true); // 23:59
  });

  it('is closed on days without hours and when no hours are known', () => {
    expect(isOpenAt(weekdays, new Date('2026-11-24T00:00:00Z'))).toBe(false); // Tuesday 13:00
    expect(isOpenAt(null, new Date('2026-11-22T22:00:00Z'))).toBe(false);
  });
});
