import { createKernel, loadConfig, type Kernel } from '../../src/index.js';
import { createTestDatabase } from './database.js';

// A test process that ends by emptying its event loop has Node free its environment, and isolated-vm
// can abort there ("IsolateEnvironment::GetCurrent(): Assertion `environment != nullptr' failed") when
// handles of isolates disposed during the test are finalised in that teardown — after every test has
// passed. Leaving through process.exit(), as `npm start` does when it stops, skips that teardown while
// 'exit' handlers (tap's summary and exit code) still run.
process.once('beforeExit', () => process.exit());

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

/**
 * Builds a second kernel process on the database of `first`, as another machine behind a load
 * balancer would run: its own pools, caches, bus and socket.io server. Closed when the test ends.
 */
export async function startPeerKernel(t: Teardown, first: { databaseUrl: string }, env: Record<string, string> = {}): Promise<Kernel> {
  const kernel = await createKernel({ config: loadConfig({ LOG_LEVEL: 'silent', PLUGINS_CONFIG: 'off', ...env }), databaseUrl: first.databaseUrl, logger: false });
  t.teardown(() => kernel.close());
  return kernel;
}
