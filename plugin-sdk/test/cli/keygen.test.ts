import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { loadSigningKey, signFileList, verifyBytes } from '../../src/package/index.js';
import { cli, scaffold, tempDir } from './helpers.js';

t.test('keygen writes a 0600 private key and a public key file, and prints the key id', async (t) => {
  const dir = await tempDir('keygen');
  const run = await cli(['keygen', '--out', 'keys', '--name', 'acme', '--publisher', 'acme'], { cwd: dir });
  t.equal(run.code, 0, run.stderr);
  const keyFile = join(dir, 'keys/acme.key');
  t.equal((await stat(keyFile)).mode & 0o777, 0o600, 'only the owner may read the private key');
  const pem = await readFile(keyFile, 'utf8');
  t.match(pem, /^-----BEGIN PRIVATE KEY-----\n/, 'PKCS#8 PEM');
  const pub = JSON.parse(await readFile(join(dir, 'keys/acme.pub.json'), 'utf8'));
  t.same(Object.keys(pub).sort(), ['key_id', 'public_key', 'publisher']);
  t.equal(pub.publisher, 'acme');
  const raw = Buffer.from(pub.public_key, 'base64');
  t.equal(raw.byteLength, 32, 'the public key is the raw 32 bytes, in base64');
  t.equal(pub.key_id, createHash('sha256').update(raw).digest('hex').slice(0, 16), 'the key id is the start of the SHA-256 of the raw key');
  t.match(run.stdout, new RegExp(`^key id ${pub.key_id}\\n`));
  t.match(run.stdout, /keep it out of the plugin folder/);

  // The two files are halves of one pair: what the private key signs, the public key verifies.
  const signing = loadSigningKey(pem);
  t.equal(signing.publicKey, pub.public_key);
  const data = Buffer.from('{"format":1}');
  t.ok(verifyBytes(data, signFileList(data, signing).signature, pub.public_key));
  t.notOk(verifyBytes(Buffer.from('{"format":2}'), signFileList(data, signing).signature, pub.public_key));

  t.test('it never overwrites a key', async (t) => {
    const again = await cli(['keygen', '--out', 'keys', '--name', 'acme'], { cwd: dir });
    t.equal(again.code, 1);
    t.match(again.stderr, /^error MOSAIC_ERR_CLI_KEY_EXISTS: .*keys\/acme\.key already exists; keygen never overwrites a key\./);
    t.equal(await readFile(keyFile, 'utf8'), pem, 'the key is unchanged');
    // A lone .pub.json blocks too: a new pair would not match it.
    await writeFile(join(dir, 'keys/other.pub.json'), '{}');
    const lone = await cli(['keygen', '--out', 'keys', '--name', 'other'], { cwd: dir });
    t.equal(lone.code, 1);
    t.match(lone.stderr, /MOSAIC_ERR_CLI_KEY_EXISTS: .*other\.pub\.json already exists/);
    await t.rejects(stat(join(dir, 'keys/other.key')), 'no half pair is left behind');
  });
});

t.test('keygen inside a plugin folder warns to move the key out', async (t) => {
  const { folder } = await scaffold('keygen-in-plugin');
  // In a folder below the plugin folder too.
  const run = await cli(['keygen', '--out', 'keys'], { cwd: folder });
  t.equal(run.code, 0, run.stderr);
  t.match(run.stderr, /^warning: .*signing\.key is inside the plugin folder .*acme\.notes; move it out/);
});
