/**
 * The browser entry the bundler starts from: defines every shell element. `<mosaic-app>` in index.html
 * then takes over.
 */
import './app/mosaic-app.js';
import './app/toast-stack.js';
import './app/not-found.js';
import './auth/sign-in-page.js';
import './auth/sign-up-page.js';
import './auth/accept-invite-page.js';
import './auth/workspace-switcher.js';
import './nav/sidebar.js';
import './nav/empty-workspace.js';
import './objects/record-table.js';
import './objects/record-board.js';
import './objects/record-page.js';
import './objects/filter-builder.js';
import './objects/column-menu.js';
import './objects/view-picker.js';
import './objects/create-record-dialog.js';
import './objects/object-page.js';
import './settings/data-model-page.js';
import './settings/settings-elements.js';
import './plugins/plugin-page.js';
import './palette/command-palette.js';

// The page itself has no stylesheet (the CSP allows no inline style): the app fills the window edge to
// edge, so the browser's default body margin goes through a constructed stylesheet, which the CSP permits.
const page = new CSSStyleSheet();
page.replaceSync('html, body { margin: 0; height: 100%; }');
document.adoptedStyleSheets = [...document.adoptedStyleSheets, page];
