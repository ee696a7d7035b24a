import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { companyNameKey, domainKey, emailsOf, personNameKey, prefixPattern } from '../src/normalise.js';

// The matching rules on their own: what counts as "the same" company or person.

describe('duplicate keys', () => {
  test('company names: case, accents, punctuation and legal forms do not count', () => {
    assert.equal(companyNameKey('ACME GmbH'), 'acme');
    assert.equal(companyNameKey('Acme, Inc.'), 'acme');
    assert.equal(companyNameKey('Acme G.m.b.H.'), 'acme');
    assert.equal(companyNameKey('Société Générale S.A.'), 'societe generale');
    assert.equal(companyNameKey('Müller & Söhne KG'), 'muller and sohne');
    assert.equal(companyNameKey('Inc'), 'inc', 'a name that is only a legal form is kept');
    assert.notEqual(companyNameKey('Acme Labs Ltd'), companyNameKey('Acme Ltd'));
  });

  test('domains: scheme, www., path, port and case do not count', () => {
    assert.equal(domainKey('https://WWW.Acme.com/about'), 'acme.com');
    assert.equal(domainKey('www.acme.com'), 'acme.com');
    assert.equal(domainKey('acme.com:443'), 'acme.com');
    assert.equal(domainKey(' Acme.COM. '), 'acme.com');
    assert.equal(domainKey(null), '');
    assert.notEqual(domainKey('acme.co.uk'), domainKey('acme.com'));
  });

  test('people: any email in common, or the same first and last name', () => {
    assert.deepEqual(emailsOf({ primary: 'Ada@Acme.com', additional: ['ada@example.org', 'ADA@acme.com'] }), ['ada@acme.com', 'ada@example.org']);
    assert.deepEqual(emailsOf(null), []);
    assert.equal(personNameKey({ first_name: 'Zoë', last_name: "O'Brien" }), 'zoe o brien');
    assert.equal(personNameKey({ first_name: 'ZOE', last_name: 'o brien' }), 'zoe o brien');
    assert.equal(personNameKey({ first_name: 'Zoe', last_name: null }), '', 'a first name alone is not enough');
  });

  test('prefix patterns leave accented letters to a one-character wildcard', () => {
    assert.equal(prefixPattern('Société'), 'Soc');
    assert.equal(prefixPattern('Écorce'), '_co');
    assert.equal(prefixPattern('50%_off'), '50_');
  });
});
