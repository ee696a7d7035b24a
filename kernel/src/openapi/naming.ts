/** Component schema and operation names for objects, free of collisions with each other and fixed names. */

/** The schema names one object contributes. */
export interface ObjectNames {
  /** `Company`: the record as returned; also the suffix of operation ids (`listCompany`). */
  readonly read: string;
  readonly create: string;
  readonly update: string;
  readonly list: string;
}

const SUFFIXES = { read: '', create: 'Create', update: 'Update', list: 'List' } as const;

/** `sales_lead` → `SalesLead`; only `[A-Za-z0-9]` remain, so names fit `^[a-zA-Z0-9._-]+$`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * Assigns names to objects, in name order so the result is stable. PascalCase is not one-to-one
 * (`a_1` and `a1` are both `A1`; `company_list` is `company`'s `CompanyList`) and objects may be named
 * like fixed schemas (`error`), so a taken name falls back to `<Base>Record`, `<Base>Record2`, …
 */
export function assignNames(objectNames: readonly string[], reserved: ReadonlySet<string>): Map<string, ObjectNames> {
  const taken = new Set(reserved);
  const out = new Map<string, ObjectNames>();
  for (const name of [...objectNames].sort()) {
    const base = pascalCase(name) || 'Object';
    for (let i = 0; ; i++) {
      const candidate = i === 0 ? base : `${base}Record${i === 1 ? '' : i}`;
      const names = Object.fromEntries(Object.entries(SUFFIXES).map(([k, suffix]) => [k, `${candidate}${suffix}`])) as unknown as ObjectNames;
      if (Object.values(names).some((n) => taken.has(n))) continue;
      for (const n of Object.values(names)) taken.add(n);
      out.set(name, names);
      break;
    }
  }
  return out;
}
