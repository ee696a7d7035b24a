/**
 * Syntax check of standard 5-field cron expressions. The kernel's scheduler parses them with a cron
 * library; this check runs without it (in the CLI and before install) and accepts only the portable
 * subset every such library reads the same way: numbers, `*`, ranges `a-b`, steps `/n` and lists.
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  // 0 and 7 are both Sunday.
  { name: 'day of week', min: 0, max: 7 },
];

const ITEM = /^(?:\*|(\d{1,2})(?:-(\d{1,2}))?)(?:\/(\d{1,2}))?$/;

function itemProblem(field: CronField, item: string): string | null {
  const match = ITEM.exec(item);
  if (!match) return `${field.name} "${item}" is not a number, a range (a-b), a step (*/n or a-b/n), a list (a,b) or *`;
  const [, from, to, step] = match;
  const inRange = (n: number) => n >= field.min && n <= field.max;
  if (from !== undefined && !inRange(Number(from))) return `${field.name} ${from} is outside ${field.min}-${field.max}`;
  if (to !== undefined && !inRange(Number(to))) return `${field.name} ${to} is outside ${field.min}-${field.max}`;
  if (from !== undefined && to !== undefined && Number(from) > Number(to)) return `${field.name} range ${from}-${to} runs backwards`;
  if (step !== undefined && (Number(step) < 1 || Number(step) > field.max)) return `${field.name} step /${step} must be from 1 to ${field.max}`;
  return null;
}

/** What is wrong with a cron expression (empty when it is valid). */
export function cronProblems(expression: string): string[] {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length || expression.trim() === '') {
    return [`expected 5 fields (minute hour day-of-month month day-of-week), found ${expression.trim() === '' ? 0 : parts.length}`];
  }
  const problems: string[] = [];
  parts.forEach((part, index) => {
    for (const item of part.split(',')) {
      const reason = itemProblem(FIELDS[index], item);
      if (reason) problems.push(reason);
    }
  });
  return problems;
}
