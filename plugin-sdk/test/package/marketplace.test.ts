import { readdir, readFile } from 'node:fs/promises';
import t from 'tap';
import { emptyMarketplaceIndex, generateSigningKey, keyIdOf, parseMarketplaceIndex, writeMarketplaceIndex, type MarketplaceIndex } from '../../src/package/index.js';
import { tempDir } from '../cli/helpers.js';

function sample(): MarketplaceIndex {
  const key = generateSigningKey();
  return {
    format: 1,
    name: 'test',
    publishers: { acme: { name: 'Acme', keys: [{ key_id: key.keyId, public_key: key.publicKey }] } },
    plugins: {
      'acme.notes': {
        name: 'Notes',
        description: 'Notes.',
        publisher: 'acme',
        versions: {
          '1.0.0': { file: 'packages/acme.notes-1.0.0.tgz', sha256: 'a'.repeat(64), size: 10, kernel: '^1.0.0', permissions: {}, dependencies: {}, signed_by: key.keyId, published_at: '2026-11-28T12:00:00.000Z' },
        },
      },
    },
    revoked: [{ id: 'acme.notes', version: '1.0.0', reason: 'x' }],
  };
}

t.test('a well-formed index parses', async (t) => {
  const index = sample();
  t.same(parseMarketplaceIndex(JSON.parse(JSON.stringify(index))), { ok: true, index });
  t.same(parseMarketplaceIndex(emptyMarketplaceIndex('x')), { ok: true, index: { format: 1, name: 'x', publishers: {}, plugins: {}, revoked: [] } });
  const key = sample().publishers.acme.keys[0];
  t.equal(key.key_id, keyIdOf(key.public_key));
});

t.test('every problem of a bad index is listed', async (t) => {
  const index = JSON.parse(JSON.stringify(sample()));
  index.format = 2;
  index.publishers['Bad Id'] = { name: 'x', keys: [] };
  index.publishers.acme.keys.push({ key_id: '0'.repeat(16), public_key: 'AAAA' });
  const version = index.plugins['acme.notes'].versions['1.0.0'];
  Object.assign(version, { file: 'packages/../../secret.tgz', sha256: 'nope', size: -1, kernel: 'any', signed_by: 'x', published_at: 'yesterday' });
  index.plugins['acme.notes'].versions['v2'] = { ...version, file: 'packages/acme.notes-v2.tgz' };
  index.plugins['acme.notes'].publisher = 'toString';
  index.revoked = [{ id: 'acme.notes' }];
  const result = parseMarketplaceIndex(index);
  t.notOk(result.ok);
  if (result.ok) return;
  t.same(result.problems, [
    'format: must be 1',
    'publishers.acme.keys[1].public_key: must be base64 of a raw 32-byte ed25519 key',
    'publishers.Bad Id: not a publisher id (^[a-z0-9][a-z0-9._-]{0,63}$)',
    'plugins.acme.notes.publisher: "toString" is not in publishers',
    'plugins.acme.notes.versions.1.0.0.file: must be packages/acme.notes-1.0.0.tgz',
    'plugins.acme.notes.versions.1.0.0.sha256: must be a hex SHA-256',
    'plugins.acme.notes.versions.1.0.0.size: must be a whole number of bytes',
    'plugins.acme.notes.versions.1.0.0.kernel: must be a semver range',
    'plugins.acme.notes.versions.1.0.0.signed_by: must be a key id or null',
    'plugins.acme.notes.versions.1.0.0.published_at: must be an ISO date',
    'plugins.acme.notes.versions.v2: "v2" is not a semver version',
    'plugins.acme.notes.versions.v2.sha256: must be a hex SHA-256',
    'plugins.acme.notes.versions.v2.size: must be a whole number of bytes',
    'plugins.acme.notes.versions.v2.kernel: must be a semver range',
    'plugins.acme.notes.versions.v2.signed_by: must be a key id or null',
    'plugins.acme.notes.versions.v2.published_at: must be an ISO date',
    'revoked: must be a list of { id, version, reason }',
  ]);
  t.same(parseMarketplaceIndex([]), { ok: false, problems: ['the index is not a JSON object'] });
});

t.test('the index is written atomically, leaving no temporary file', async (t) => {
  const dir = await tempDir('index');
  await writeMarketplaceIndex(dir, emptyMarketplaceIndex('one'));
  await writeMarketplaceIndex(dir, sample());
  t.same(await readdir(dir), ['index.json']);
  t.same(JSON.parse(await readFile(`${dir}/index.json`, 'utf8')).name, 'test');
});
