// A number of days typed by the user, checked against KMS's bounds (rotation period, deletion waiting
// period, how long imported material stays valid).

/** Why `text` is not a whole number of days in [min, max] ("The <what> is 7–30 days …"), or undefined. */
export function wholeDaysProblem(text: string, min: number, max: number, what: string): string | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return `Enter a whole number of days from ${min} to ${max}.`;
  const days = Number(t);
  if (days < min || days > max) return `The ${what} is ${min}–${max} days (you entered ${days}).`;
  return undefined;
}
