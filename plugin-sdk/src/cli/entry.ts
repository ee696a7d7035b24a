/** The `mosaic-plugin` process (started by `bin/mosaic-plugin.js`). */
import { runCli } from './index.js';

process.exitCode = await runCli(process.argv.slice(2));
