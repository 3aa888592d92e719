/** UTC calendar days as ISO strings (YYYY-MM-DD), the unit of every daily series. */
const DAY_MS = 86_400_000;

export const utcDay = (at: Date = new Date()) => at.toISOString().slice(0, 10);

export const addDays = (day: string, days: number) => utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));

export const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

export const daysBetween = (from: string, to: string) => dayNumber(to) - dayNumber(from);
