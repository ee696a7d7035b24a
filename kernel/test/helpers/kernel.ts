import { createKernel, loadConfig, type Kernel } from '../../src/index.js';
import { createTestDatabase } from './database.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * Builds a real kernel on a fresh PostgreSQL database for one test (file). Everything is torn down
 * when the test ends. `env` overrides configuration variables.
 */
export async function startTestKernel(t: Teardown, env: Record<string, string> = {}): Promise<Kernel & { databaseUrl: string }> {
  const database = await createTestDatabase();
  // The repository's plugins.config.json is for `npm start`; a test names the plugins it wants.
  const config = loadConfig({ LOG_LEVEL: 'silent', SIGNIN_RATE_LIMIT: '1000', PLUGINS_CONFIG: 'off', ...env });
  const kernel = await createKernel({ config, databaseUrl: database.url, logger: env.LOG_LEVEL ? undefined : false });
  t.teardown(async () => {
    await kernel.close();
    await database.drop();
  });
  return Object.assign(kernel, { databaseUrl: database.url });
}
