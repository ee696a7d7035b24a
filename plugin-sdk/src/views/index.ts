/**
 * `@mosaic/plugin-sdk/views`: what a plugin's view bundle imports — the context the UI shell hands a
 * view, a Lit base element, and `defineView`. Kept apart from the package's main entry so view bundles
 * pull in Lit only, not the manifest validator.
 */
export type {
  DashboardWidgetContext,
  FieldRendererContext,
  NavPageContext,
  RecordActionContext,
  RecordTabContext,
  SettingsPageContext,
  ViewApi,
  ViewChange,
  ViewContext,
  ViewContextOf,
  ViewField,
  ViewFindQuery,
  ViewObject,
  ViewMember,
  ViewRecord,
  ViewResponse,
} from './context.js';
export { MosaicViewElement, defineView } from './element.js';
export { html, css, nothing } from 'lit';
