import t from 'tap';
import { checkPackagePath, isPackageError } from '../../src/package/index.js';

t.test('plain relative paths pass, folders lose their trailing slash', async (t) => {
  for (const path of ['README.md', 'dist/server.js', 'assets/icons/a b.svg', 'café.txt', '.well-known/x', 'a..b/c']) t.equal(checkPackagePath(path), path);
  t.equal(checkPackagePath('dist/', true), 'dist');
});

t.test('every unsafe form is refused with MOSAIC_ERR_PACKAGE_PATH_UNSAFE and the reason', async (t) => {
  const cases: [string, RegExp][] = [
    ['', /it is empty/],
    ['/etc/passwd', /it is absolute/],
    ['C:/Windows/evil.dll', /it is absolute/],
    ['c:evil', /it is absolute/],
    ['../evil', /climbs out/],
    ['dist/../../evil', /climbs out/],
    ['dist/..', /climbs out/],
    ['..\\evil', /backslash/],
    ['dist\\server.js', /backslash/],
    ['./README.md', /empty or "\." segment/],
    ['dist//server.js', /empty or "\." segment/],
    ['dist/', /empty or "\." segment/],
    ['evil\u0000.js', /control character/],
    ['line\nbreak', /control character/],
    ['x'.repeat(1025), /longer than 1024/],
    [Array.from({ length: 33 }, () => 'd').join('/'), /deeper than 32/],
  ];
  for (const [path, reason] of cases) {
    try {
      checkPackagePath(path);
      t.fail(`${JSON.stringify(path.slice(0, 40))} passed`);
    } catch (error) {
      t.ok(isPackageError(error) && error.code === 'MOSAIC_ERR_PACKAGE_PATH_UNSAFE', JSON.stringify(path.slice(0, 40)));
      t.match((error as Error).message, reason);
    }
  }
});
