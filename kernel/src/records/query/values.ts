/**
 * Shape checks for the values the compiler binds, shared by filters (user input) and cursors (values
 * that round-tripped through a client). Every value that passes is one PostgreSQL's cast accepts, so a
 * bad value is a 400 with a useful message instead of a driver error.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// ISO 8601 / RFC 3339, plus the space separator and `+00` offset PostgreSQL itself prints, so a value read
// back from the database (e.g. in a cursor) is accepted as well.
const DATETIME = /^(\d{4}-\d{2}-\d{2})(?:[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(Z|[+-](?:0\d|1[0-5])(?::?[0-5]\d)?)?)?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER_TEXT = /^-?\d{1,19}$/;
const DECIMAL_TEXT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

/** True for a real calendar date written `YYYY-MM-DD` (year 1 or later: PostgreSQL has no year 0). */
export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

/**
 * True for an ISO 8601 date-time (`2024-01-31T09:30:00Z`, `2024-01-31 09:30:00.123456+02`) or a bare
 * date. Without an offset, PostgreSQL reads the value in the session time zone.
 */
export function isIsoDateTime(value: string): boolean {
  const m = DATETIME.exec(value);
  return m !== null && isIsoDate(m[1]);
}

/** True for a hyphenated 8-4-4-4-12 hex uuid, in either case. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** True for a whole number within ±2^53, the range a JSON number carries exactly. */
export function isSafeInteger(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) <= 2 ** 53;
}

/** True for a whole number written as text that fits a PostgreSQL bigint (how the driver returns int8). */
export function isInt8Text(value: string): boolean {
  if (!INTEGER_TEXT.test(value)) return false;
  const n = BigInt(value);
  return n >= INT8_MIN && n <= INT8_MAX;
}

/** True for a plain decimal number written as text (how the driver returns numeric). */
export function isDecimalText(value: string): boolean {
  return DECIMAL_TEXT.test(value);
}
