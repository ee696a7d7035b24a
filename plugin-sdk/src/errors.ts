/**
 * The SDK's error registry. Every problem the SDK reports carries a code from this table; codes are
 * stable API (the kernel, the CLI and the admin UI match on them), so never rename one — add a new code
 * instead. `docs/plugins.md` lists every code, and a test checks that the two agree.
 *
 * The SDK runs in the CLI as well as in the kernel, so codes carry no HTTP status: the kernel wraps a
 * refused manifest into its own coded HTTP error and passes the problems on as details.
 */
export const SDK_ERROR_CODES = {
  // one manifest
  MOSAIC_ERR_MANIFEST_INVALID: 'The plugin manifest is invalid; its problems are listed.',
  MOSAIC_ERR_MANIFEST_SCHEMA: 'The manifest does not match the manifest JSON Schema (a missing or unknown key, or a value of the wrong type or form).',
  MOSAIC_ERR_MANIFEST_ID_RESERVED: 'The plugin id is reserved for kernel events (record, object, field, …); choose another.',
  MOSAIC_ERR_MANIFEST_VERSION: 'The version is not a semver version such as 1.2.0.',
  MOSAIC_ERR_MANIFEST_KERNEL_RANGE: 'The kernel range is not a valid semver range such as ^1.0.0.',
  MOSAIC_ERR_MANIFEST_DEPENDENCY_INVALID: 'A dependency has an invalid semver range, or the plugin depends on itself.',
  MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN: 'The permissions name a permission or record operation that does not exist.',
  MOSAIC_ERR_MANIFEST_PERMISSION_MISSING: 'A contribution needs a permission the manifest does not ask for.',
  MOSAIC_ERR_MANIFEST_PERMISSION_NAMESPACE: "A plugin may only emit events in its own namespace, '<id>.*'.",
  MOSAIC_ERR_MANIFEST_HTTP_PATTERN: 'An HTTP allow-list pattern is invalid: use http(s)://exact-host/path, with * only in the path and no user name or password.',
  MOSAIC_ERR_MANIFEST_HANDLER: 'A handler name is not a plain JavaScript identifier.',
  MOSAIC_ERR_MANIFEST_CRON: 'A job schedule is not a valid 5-field cron expression.',
  MOSAIC_ERR_MANIFEST_SLOT: 'A view names a UI slot that does not exist.',
  MOSAIC_ERR_MANIFEST_ELEMENT: 'A view element is not a valid custom element name (lower case, with a hyphen).',
  MOSAIC_ERR_MANIFEST_DUPLICATE: 'Two entries of the manifest have the same key.',
  MOSAIC_ERR_MANIFEST_SETTINGS: 'The settings schema is not a supported JSON Schema for an object.',
  MOSAIC_ERR_MANIFEST_PATH: 'A file path is not a relative path inside the plugin package, or a bundle is not a .js file.',
  MOSAIC_ERR_MANIFEST_BUNDLE_MISSING: 'Routes, events and jobs need a server bundle; views need a view bundle.',
  // a set of manifests installed together
  MOSAIC_ERR_MANIFEST_ID_CLASH: 'Two plugins have the same id, or one id extends another and would share its event namespace.',
  MOSAIC_ERR_MANIFEST_OBJECT_CLASH: 'Two plugins contribute an object with the same name, or the object already exists.',
  MOSAIC_ERR_MANIFEST_FIELD_CLASH: 'Two plugins contribute a field with the same name to the same object.',
  MOSAIC_ERR_MANIFEST_ELEMENT_CLASH: 'Two plugins define views with the same custom element name.',
  MOSAIC_ERR_MANIFEST_DEPENDENCY_MISSING: 'A plugin depends on a plugin that is not installed.',
  MOSAIC_ERR_MANIFEST_DEPENDENCY_RANGE: "An installed dependency's version does not satisfy the range asked for.",
  MOSAIC_ERR_MANIFEST_DEPENDENCY_CYCLE: 'Plugins depend on each other in a cycle.',
  MOSAIC_ERR_MANIFEST_KERNEL_INCOMPATIBLE: "The kernel's plugin API version does not satisfy the plugin's kernel range.",
  MOSAIC_ERR_MANIFEST_FIELD_TARGET_MISSING: 'A field or relation targets an object that no dependency provides and no admin created.',
  // server code: definePlugin, respond, PluginError
  MOSAIC_ERR_DEFINE_INVALID: 'definePlugin() takes { routes, events, jobs, hooks }: tables of functions, and only the hooks onInstall, onUpgrade and onUninstall.',
  MOSAIC_ERR_DEFINE_RESPONSE_INVALID: 'respond() takes a status from 200 to 599, string headers on one line, and either a JSON body or a text, not both.',
  MOSAIC_ERR_DEFINE_ERROR_INVALID: 'A PluginError code must be UPPER_SNAKE_CASE and not start with MOSAIC_, and its status must be from 400 to 599.',
  // the mosaic-plugin CLI
  MOSAIC_ERR_CLI_USAGE: 'The command line is wrong: an unknown command or option, or a missing argument; see --help.',
  MOSAIC_ERR_CLI_FOLDER: 'The plugin folder or its mosaic-plugin.json is missing or unreadable, or the manifest is not JSON.',
  MOSAIC_ERR_CLI_TARGET_EXISTS: 'The folder to create the plugin in already exists and is not empty.',
  MOSAIC_ERR_CLI_ID_INVALID: 'The plugin id is not valid: 1 to 3 dot-separated lower-case words, such as acme.enrichment.',
  MOSAIC_ERR_CLI_ENTRY_MISSING: 'The manifest names a server or ui bundle, but its source (src/server.ts or src/views.ts) does not exist.',
  MOSAIC_ERR_CLI_BUNDLE_FAILED: 'esbuild could not bundle the plugin code; its errors are listed with file and line.',
  MOSAIC_ERR_CLI_NODE_BUILTIN: 'Server code imports a Node built-in module; the sandbox has no Node APIs, so use ctx.host instead.',
  MOSAIC_ERR_CLI_BUNDLE_EVAL: 'The server bundle threw when evaluated, or did not assign globalThis.__mosaicPlugin (call definePlugin).',
  MOSAIC_ERR_CLI_HANDLER_MISSING: 'The manifest names a route, event or job handler that the server bundle does not define.',
  MOSAIC_ERR_CLI_PACK_FILE: 'A file to pack is missing, is a symbolic link, or lies outside the plugin folder.',
  MOSAIC_ERR_CLI_KERNEL_CONFIG: 'dev needs the kernel URL and an API key: --kernel and --api-key, or MOSAIC_URL and MOSAIC_API_KEY.',
  MOSAIC_ERR_CLI_KERNEL_UNREACHABLE: 'The kernel did not answer at the URL given; check that it runs and the URL is right.',
  MOSAIC_ERR_CLI_KERNEL_REFUSED: "The kernel refused to install or reload the plugin; the kernel's code and message say why.",
  MOSAIC_ERR_CLI_NO_TESTS: 'The plugin has no test files (test/**/*.test.ts).',
  MOSAIC_ERR_CLI_TESTS_FAILED: "The plugin's tests failed.",
  MOSAIC_ERR_CLI_KEY_EXISTS: 'The key file or its .pub.json already exists; keygen never overwrites a key.',
  MOSAIC_ERR_CLI_KEY_INVALID: 'The signing key or public key file cannot be read, or is not an ed25519 key made by keygen.',
  MOSAIC_ERR_CLI_KEY_IN_PACKAGE: 'A private key would be packed: a packaged file is a .key or .pem file, is the signing key, or contains its text.',
  MOSAIC_ERR_CLI_PACKAGE_REFUSED: 'The archive breaks a package rule the kernel enforces; the MOSAIC_ERR_PACKAGE_ code in the message says which.',
  MOSAIC_ERR_CLI_MARKETPLACE_INVALID: "The marketplace folder's index.json is missing, not JSON, or not a valid marketplace index.",
  MOSAIC_ERR_CLI_MARKETPLACE_BUSY: 'Another publish or revoke holds the marketplace lock (index.json.lock); wait, or delete the lock if none is running.',
  MOSAIC_ERR_CLI_PUBLISH_EXISTS: 'This version is already published in the marketplace; published versions are never replaced.',
  MOSAIC_ERR_CLI_PUBLISH_PUBLISHER: 'The publisher is not named, or the plugin or key belongs to another publisher of the marketplace.',
  MOSAIC_ERR_CLI_REVOKE_UNKNOWN: 'The marketplace has no such plugin version to revoke.',
  // @mosaic/plugin-sdk/testing
  MOSAIC_ERR_TESTING_KERNEL_UNAVAILABLE: 'The test kernel needs @mosaic/kernel, which could not be loaded.',
  MOSAIC_ERR_TESTING_NODE_FLAGS: 'The test kernel runs plugin code in isolated-vm, which needs Node started with --no-node-snapshot.',
  MOSAIC_ERR_TESTING_DATABASE: 'The throwaway test database could not be created; check DATABASE_URL and that PostgreSQL runs.',
  MOSAIC_ERR_TESTING_SETUP: 'The test kernel could not sign up its owner or create its API key.',
  MOSAIC_ERR_TESTING_INSTALL: 'The test kernel could not install a plugin folder; the kernel error says why.',
} as const satisfies Record<string, string>;

/** A stable SDK error code. */
export type SdkErrorCode = keyof typeof SDK_ERROR_CODES;
