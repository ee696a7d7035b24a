import { Migration20261128000000 } from './Migration20261128000000.js';
import { Migration20261128010000 } from './Migration20261128010000.js';
import { Migration20261128040000 } from './Migration20261128040000.js';
import { Migration20261128050000 } from './Migration20261128050000.js';
import { Migration20261128020000 } from './Migration20261128020000.js';
import { Migration20261128030000 } from './Migration20261128030000.js';
import { Migration20261128060000 } from './Migration20261128060000.js';
import { Migration20261128070000 } from './Migration20261128070000.js';
import { Migration20261128080000 } from './Migration20261128080000.js';
import { Migration20261128090000 } from './Migration20261128090000.js';
import { Migration20261128110000 } from './Migration20261128110000.js';
import { Migration20261128120000 } from './Migration20261128120000.js';
import { Migration20261128130000 } from './Migration20261128130000.js';
import { Migration20261128140000 } from './Migration20261128140000.js';

/**
 * The kernel's migrations in order. Listed explicitly (rather than found by a file glob) so they run the
 * same under tsx, a bundler or compiled output.
 */
export const KERNEL_MIGRATIONS = [
  { name: 'Migration20261128000000', class: Migration20261128000000 },
  { name: 'Migration20261128010000', class: Migration20261128010000 },
  { name: 'Migration20261128020000', class: Migration20261128020000 },
  { name: 'Migration20261128030000', class: Migration20261128030000 },
  { name: 'Migration20261128040000', class: Migration20261128040000 },
  { name: 'Migration20261128050000', class: Migration20261128050000 },
  { name: 'Migration20261128060000', class: Migration20261128060000 },
  { name: 'Migration20261128070000', class: Migration20261128070000 },
  { name: 'Migration20261128080000', class: Migration20261128080000 },
  { name: 'Migration20261128090000', class: Migration20261128090000 },
  { name: 'Migration20261128110000', class: Migration20261128110000 },
  { name: 'Migration20261128120000', class: Migration20261128120000 },
  { name: 'Migration20261128130000', class: Migration20261128130000 },
  { name: 'Migration20261128140000', class: Migration20261128140000 },
];
