import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig } from '../../src/config/index.js';
import { SecretBox } from '../../src/crypto/index.js';

t.test('seal and open: round trip, a fresh nonce each time, tampering and wrong keys refused', async (t) => {
  const box = new SecretBox(randomBytes(32));
  const sealed = box.seal('tok_123 ✓');
  t.match(sealed, /^v1:[\w-]+\.[\w-]+\.[\w-]+$/);
  t.equal(box.open(sealed), 'tok_123 ✓');
  t.not(box.seal('same'), box.seal('same'), 'the same value seals differently each time');
  const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1);
  t.throws(() => box.open(flipped), { code: 'MOSAIC_ERR_INTERNAL', message: /another key .* or altered/ });
  t.throws(() => new SecretBox(randomBytes(32)).open(sealed), { code: 'MOSAIC_ERR_INTERNAL' });
  t.equal(box.open('stored before encryption'), 'stored before encryption', 'legacy plain values read as they are');
  t.throws(() => new SecretBox(randomBytes(16)), TypeError);
});

t.test('the key: MOSAIC_SECRET_KEY, else a key file made once and shared', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mosaic-key-'));
  const config = loadConfig({ MOSAIC_DATA_DIR: join(dir, 'pg') }, dir);
  const keyFile = SecretBox.keyFile(config);
  t.equal(keyFile, join(dir, 'secret.key'));
  const [a, b] = await Promise.all([SecretBox.load(config), SecretBox.load(config)]);
  t.equal(b.open(a.seal('x')), 'x', 'two loads racing to create the file end with one key');
  t.equal((await stat(keyFile)).mode & 0o777, 0o600, 'the key file is private');
  const again = await SecretBox.load(config);
  t.equal(again.open(a.seal('y')), 'y', 'a restart reads the same key');

  const key = randomBytes(32).toString('base64');
  const fromEnv = await SecretBox.load(loadConfig({ MOSAIC_SECRET_KEY: key, MOSAIC_DATA_DIR: join(dir, 'other') }, dir));
  t.equal(new SecretBox(Buffer.from(key, 'base64')).open(fromEnv.seal('z')), 'z', 'MOSAIC_SECRET_KEY is used as given');
  t.throws(() => loadConfig({ MOSAIC_SECRET_KEY: 'too-short' }), { code: 'MOSAIC_ERR_CONFIG_INVALID', message: /32 bytes in base64/ });

  await writeFile(keyFile, 'garbage\n');
  await t.rejects(SecretBox.load(config), { code: 'MOSAIC_ERR_CONFIG_INVALID', message: /does not hold a 32-byte base64 key/ });
  t.match(await readFile(keyFile, 'utf8'), 'garbage', 'a bad key file is never overwritten');
});
