import { defineView } from '@mosaic/plugin-sdk/views';
import { ActivitiesDueTodayWidget } from './due-today-widget.js';
import { ActivitiesRecordTab } from './record-tab.js';

// The view bundle: one element per file, defined here under the names mosaic-plugin.json gives them.
defineView('activities-record-tab', ActivitiesRecordTab);
defineView('activities-due-today-widget', ActivitiesDueTodayWidget);

export { ActivitiesDueTodayWidget, ActivitiesRecordTab };
