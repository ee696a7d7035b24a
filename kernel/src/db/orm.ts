import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type Knex } from '@mikro-orm/postgresql';
import { KERNEL_ENTITIES } from './entities/index.js';
import { KERNEL_MIGRATIONS } from './migrations/index.js';

/** The kernel's database handles: MikroORM for kernel tables and its knex for CRM record tables. */
export interface Database {
  readonly orm: MikroORM;
  /** The same connection pool, as knex, for the runtime query compiler over record tables. */
  readonly knex: Knex;
  /** The connection URL, kept for components that need their own dedicated connection (LISTEN). */
  readonly url: string;
}

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  readonly url: string;
  readonly poolMax?: number;
}

/** Connects to PostgreSQL (no migrations run; see {@link migrate}). */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const orm = await MikroORM.init({
    clientUrl: options.url,
    entities: KERNEL_ENTITIES,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolMax ?? 10 },
    migrations: {
      migrationsList: KERNEL_MIGRATIONS,
      tableName: 'mosaic_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    // Discovery of EntitySchema needs no reflection; keep start-up fast and quiet.
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    debug: false,
  });
  return { orm, knex: orm.em.getConnection().getKnex(), url: options.url };
}

/** Applies pending kernel migrations; returns the names applied. */
export async function migrate(db: Database): Promise<string[]> {
  const applied = await db.orm.getMigrator().up();
  return applied.map((m) => m.name);
}

/** Names of migrations not yet applied (empty when the database is current). */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const pending = await db.orm.getMigrator().getPendingMigrations();
  return pending.map((m) => m.name);
}
