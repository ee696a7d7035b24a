import t from 'tap';
import { eventPatternCovers, httpPatternCovers, matchesHttpPattern, parseHttpPattern } from '../../src/index.js';

t.test('matchesHttpPattern: exact origin, path glob, normalised paths', async (t) => {
  const pattern = 'https://api.example.com/v1/*';
  t.ok(matchesHttpPattern(pattern, 'https://api.example.com/v1/companies?domain=acme.com'));
  t.ok(matchesHttpPattern(pattern, 'https://api.example.com:443/v1/a/b'), 'the default port is the same origin');
  t.notOk(matchesHttpPattern(pattern, 'http://api.example.com/v1/a'), 'another scheme');
  t.notOk(matchesHttpPattern(pattern, 'https://api.example.com.evil.test/v1/a'), 'a host that only starts the same');
  t.notOk(matchesHttpPattern(pattern, 'https://evil.test/v1/?https://api.example.com/v1/'));
  t.notOk(matchesHttpPattern(pattern, 'https://api.example.com:8443/v1/a'), 'another port');
  t.notOk(matchesHttpPattern(pattern, 'https://api.example.com/v1/../admin'), 'dot segments are resolved first');
  t.notOk(matchesHttpPattern(pattern, 'https://api.example.com/v1/%2e%2e/admin'), 'encoded dot segments too');
  t.notOk(matchesHttpPattern(pattern, 'https://user:pw@api.example.com/v1/a'), 'credentials in the URL');
  t.notOk(matchesHttpPattern(pattern, 'not a url'));
  t.ok(matchesHttpPattern('https://api.example.com/logo.png', 'https://api.example.com/logo.png'));
  t.notOk(matchesHttpPattern('https://api.example.com/logo.png', 'https://api.example.com/logoXpng'), 'a dot is literal');
  t.notOk(matchesHttpPattern('ftp://x/*', 'ftp://x/a'), 'an invalid pattern allows nothing');
});

t.test('glob matching stays fast with many wildcards', async (t) => {
  const pattern = `https://api.example.com/${'*a'.repeat(30)}b`;
  t.ok(parseHttpPattern(pattern).ok);
  const started = performance.now();
  t.notOk(matchesHttpPattern(pattern, `https://api.example.com/${'a'.repeat(2000)}`));
  t.ok(performance.now() - started < 200, 'no exponential backtracking');
});

t.test('httpPatternCovers and eventPatternCovers', async (t) => {
  t.ok(httpPatternCovers('https://a.example.com/*', 'https://a.example.com/v1/*'));
  t.ok(httpPatternCovers('https://a.example.com/*/x', 'https://a.example.com/*/x'));
  t.notOk(httpPatternCovers('https://a.example.com/v1/*', 'https://a.example.com/*'));
  t.notOk(httpPatternCovers('https://a.example.com/*', 'http://a.example.com/*'));
  t.notOk(httpPatternCovers('https://a.example.com/a*', 'https://a.example.com/*a'));
  t.ok(eventPatternCovers('*', 'record.*'));
  t.ok(eventPatternCovers('record.*', 'record.created'));
  t.ok(eventPatternCovers('record.*', 'record.*'));
  t.notOk(eventPatternCovers('record.*', '*'));
  t.notOk(eventPatternCovers('record.created', 'record.*'));
  t.notOk(eventPatternCovers('acme.*', 'acmex.done'));
});
