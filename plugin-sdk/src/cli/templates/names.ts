/** The names a scaffold derives from a plugin id, so every file agrees with the manifest. */
export interface ScaffoldNames {
  /** `acme.notes` */
  readonly id: string;
  /** `Acme notes`, the display name. */
  readonly title: string;
  /** `acme_notes_note`: the object the plugin contributes (lower snake_case, unique per plugin id). */
  readonly object: string;
  /** `acme-notes-page`: the custom element of its page. */
  readonly element: string;
  /** `ACME_NOTES`: the prefix of its error codes. */
  readonly codePrefix: string;
  /** `mosaic-plugin-acme-notes`: the npm package name. */
  readonly packageName: string;
  /** The `$schema` hint of the manifest, relative to the plugin folder. */
  readonly schemaPath: string;
}

/** Derives {@link ScaffoldNames} from a valid plugin id. */
export function scaffoldNames(id: string, schemaPath: string): ScaffoldNames {
  const words = id.split(/[.-]/);
  const title = words.join(' ');
  return {
    id,
    title: title.charAt(0).toUpperCase() + title.slice(1),
    // Object names allow 48 characters; an id of three 31-character words would not fit, so clip it.
    object: `${words.join('_').slice(0, 43).replace(/_+$/, '')}_note`,
    element: `${words.join('-')}-page`,
    codePrefix: words.join('_').toUpperCase(),
    packageName: `mosaic-plugin-${words.join('-')}`,
    schemaPath,
  };
}
