/** Defines the settings pages' elements (the data model page is imported on its own by `main.ts`). */
import './members-page.js';
import './roles-page.js';
import './api-keys-page.js';
import './connected-apps-page.js';
import './webhooks-page.js';
import './plugins-page.js';
import './plugin-detail-page.js';
import './marketplace-page.js';
