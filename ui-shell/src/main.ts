/**
 * The browser entry the bundler starts from: defines every shell element. `<mosaic-app>` in index.html
 * then takes over.
 */
import './app/mosaic-app.js';
import './app/toast-stack.js';
import './app/not-found.js';
import './auth/sign-in-page.js';
import './auth/sign-up-page.js';
import './auth/workspace-switcher.js';
import './nav/sidebar.js';
import './nav/empty-workspace.js';
import './objects/record-table.js';
import './objects/record-board.js';
import './objects/record-page.js';
import './objects/filter-builder.js';
import './objects/create-record-dialog.js';
import './objects/object-page.js';
import './settings/data-model-page.js';
import './plugins/plugin-page.js';
