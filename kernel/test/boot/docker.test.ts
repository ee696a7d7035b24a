import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/main-process.js';

/**
 * No Docker engine runs here, so docker-compose.yml, the Dockerfile and the README are checked against
 * each other instead: the same credentials, port and start command everywhere.
 */

const read = (file: string): Promise<string> => readFile(join(REPO_ROOT, file), 'utf8');

/** Resolves `${VAR:-default}` and `${VAR}` the way compose does when VAR is unset. */
function interpolate(value: unknown): string {
  return String(value).replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '');
}

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, unknown>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  restart?: string;
}

const compose = parse(await read('docker-compose.yml')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const postgres = compose.services.postgres!;
const kernel = compose.services.kernel!;
const env = (service: Service, name: string): string => interpolate(service.environment?.[name]);
const healthTest = (service: Service): string => [service.healthcheck?.test ?? []].flat().join(' ');

t.test('compose: postgres with a health check and a named volume', async (t) => {
  t.same(Object.keys(compose.services).sort(), ['kernel', 'postgres']);
  t.match(postgres.image, /^postgres:16/);
  t.match(healthTest(postgres), /pg_isready/);
  const volume = postgres.volumes?.find((v) => v.endsWith(':/var/lib/postgresql/data'));
  t.ok(volume, 'the data folder is a volume');
  t.ok(compose.volumes && volume!.split(':')[0]! in compose.volumes, 'and a named one');
});

t.test('compose: the kernel waits for postgres and uses its credentials', async (t) => {
  t.equal(kernel.depends_on?.postgres?.condition, 'service_healthy');
  const url = new URL(env(kernel, 'DATABASE_URL'));
  t.equal(url.protocol, 'postgres:');
  t.equal(url.hostname, 'postgres', 'the postgres service by name');
  t.equal(url.port || '5432', '5432');
  t.equal(decodeURIComponent(url.username), env(postgres, 'POSTGRES_USER'));
  t.equal(decodeURIComponent(url.password), env(postgres, 'POSTGRES_PASSWORD'));
  t.equal(url.pathname, `/${env(postgres, 'POSTGRES_DB')}`);
  t.ok(kernel.restart, 'a restart policy');
});

t.test('compose: the generated secret key lives on a named volume, beside the data folder setting', async (t) => {
  const dataDir = env(kernel, 'MOSAIC_DATA_DIR');
  const keyDir = dataDir.split('/').slice(0, -1).join('/');
  const volume = (kernel as { volumes?: string[] }).volumes?.find((v) => v.endsWith(`:${keyDir}`));
  t.ok(volume, `${keyDir} (where secret.key is generated) is a volume`);
  t.ok(compose.volumes && volume!.split(':')[0]! in compose.volumes, 'a named one, so the key outlives the container');
  t.equal(env(kernel, 'MOSAIC_SECRET_KEY'), '', 'an admin can set MOSAIC_SECRET_KEY instead');
  t.match(await read('Dockerfile'), `chown node:node ${keyDir}`, 'the unprivileged user owns it');
});

t.test('compose: the published port is the one the kernel listens on and checks', async (t) => {
  const port = env(kernel, 'PORT');
  const mapping = kernel.ports?.map(interpolate).find((p) => p.endsWith(`:${port}`));
  t.ok(mapping, `a port is published to container port ${port}`);
  t.match(healthTest(kernel), `:${port}/readyz`);

  const readme = await read('README.md');
  const published = mapping!.split(':').at(-2);
  t.match(readme, `http://localhost:${published}`, 'README names the same address');
  t.match(readme, 'docker compose up');
});

t.test('Dockerfile builds and runs what npm start runs', async (t) => {
  const build = typeof kernel.build === 'string' ? { context: kernel.build } : kernel.build ?? {};
  const dockerfile = await read(join(build.context ?? '.', build.dockerfile ?? 'Dockerfile'));
  const pkg = JSON.parse(await read('package.json')) as { scripts: Record<string, string> };

  t.match(dockerfile, /^FROM node:20-bookworm-slim$/m);
  t.match(dockerfile, /python3 make g\+\+/, 'build tools for argon2 and isolated-vm');
  t.match(dockerfile, /^RUN npm ci\b/m);
  t.match(dockerfile, /^USER (?!root\b)\w+/m, 'runs as a non-root user');
  t.match(dockerfile, new RegExp(`^EXPOSE ${env(kernel, 'PORT')}$`, 'm'));
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
  t.ok(cmd, 'CMD in exec form, so node receives SIGTERM');
  t.same(JSON.parse(cmd![1]!), pkg.scripts.start!.split(' '), 'the same command as npm start');

  const ignored = (await read('.dockerignore')).split('\n').map((line) => line.trim());
  t.ok(ignored.includes('node_modules'), 'host node_modules stay out of the image');
  t.ok(ignored.includes('.mosaic'), 'local data stays out of the image');
});

t.test('README documents every configuration variable and the quick start', async (t) => {
  const readme = await read('README.md');
  const source = await read('kernel/src/config/config.ts');
  for (const m of source.matchAll(/\b(?:int|oneOf|bool)\('([A-Z0-9_]+)'|\benv\.([A-Z0-9_]+)/g)) {
    const name = m[1] ?? m[2]!;
    t.match(readme, new RegExp(`^\\| \`${name}\` \\|`, 'm'), `${name} is in the Configuration table`);
  }
  t.match(readme, '```sh\nnpm install && npm start\n```');
  t.match(readme, '```sh\nnpm test\n```');
  t.match(readme, 'postgres://postgres@127.0.0.1:5432/test');
  for (const code of ['MOSAIC_ERR_DB_PORT_IN_USE', 'MOSAIC_ERR_DB_STALE_SERVER', 'MOSAIC_ERR_DB_VERSION_MISMATCH']) {
    t.match(readme, code, `Troubleshooting explains ${code}`);
  }
});
