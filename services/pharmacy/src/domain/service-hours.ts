/** Pharmacies keep New Zealand hours: opening times are wall-clock times in this zone. */
export const PHARMACY_TIME_ZONE = 'Pacific/Auckland';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export interface OpeningInterval {
  /** "HH:MM", local time. */
  open: string;
  /** "HH:MM" after `open`; "24:00" is midnight at the end of the day. */
  close: string;
}
export type ServiceHours = Partial<Record<Weekday, OpeningInterval[]>>;

const WEEKDAY_BY_SHORT_NAME: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The weekday and "HH:MM" wall-clock time at `instant` in `timeZone`. The zone database does the
 * offset (NZST +12 / NZDT +13 and the days they change), never a fixed offset of ours.
 */
export function localTime(instant: Date, timeZone = PHARMACY_TIME_ZONE): { weekday: Weekday; time: string } {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = WEEKDAY_BY_SHORT_NAME[part('weekday')];
  if (!weekday) throw new Error(`unexpected weekday "${part('weekday')}"`);
  return { weekday, time: `${part('hour')}:${part('minute')}` };
}

/** Whether the hours say open at `instant` (intervals include `open`, exclude `close`). */
export function isOpenAt(
  hours: ServiceHours | null | undefined,
  instant: Date,
  timeZone = PHARMACY_TIME_ZONE,
): boolean {
  if (!hours) return false;
  const { weekday, time } = localTime(instant, timeZone);
  return (hours[weekday] ?? []).some((i) => i.open <= time && time < i.close);
}
