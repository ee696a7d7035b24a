import t from 'tap';
import { loadConfig } from '../../src/index.js';

t.test('marketplace settings from the environment', async (t) => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const config = loadConfig({ MARKETPLACES: ' /srv/market , https://plugins.example/market/', TRUSTED_PUBLISHER_KEYS: `0123456789abcdef:${key}`, ALLOW_UNSIGNED_PLUGINS: 'true' });
  t.same(config.marketplaces, ['/srv/market', 'https://plugins.example/market/']);
  t.same(config.trustedPublisherKeys, [{ keyId: '0123456789abcdef', publicKey: key }]);
  t.equal(config.allowUnsignedPlugins, true);

  const defaults = loadConfig({});
  t.same(defaults.marketplaces, []);
  t.same(defaults.trustedPublisherKeys, []);
  t.equal(defaults.allowUnsignedPlugins, false, 'unsigned packages are refused unless turned on');

  t.throws(() => loadConfig({ TRUSTED_PUBLISHER_KEYS: `not-hex:${key}` }), { code: 'MOSAIC_ERR_CONFIG_INVALID', message: /TRUSTED_PUBLISHER_KEYS/ });
  t.throws(() => loadConfig({ TRUSTED_PUBLISHER_KEYS: '0123456789abcdef:c2hvcnQ=' }), { code: 'MOSAIC_ERR_CONFIG_INVALID' }, 'a key that is not 32 bytes');
});
