/** The global the docs site reads its data from (`target/docs/docs-data.js`). */
export const DOCS_DATA_GLOBAL = '__SHOPSMART_DOCS__';

/** What `docs generate` hands the site: the four artifacts as written, once. */
export interface DocsData {
  manifest: unknown;
  catalog: unknown;
  runResults: unknown | null;
  sources: unknown | null;
}

/**
 * The artifacts as one script, so the site opens from file:// (where fetch of local files is
 * blocked) and parses its data once. JSON is valid JavaScript (ES2019), so no escaping is needed
 * beyond JSON's own; the file is loaded by `<script src>`, never inlined into HTML.
 *
 * @example
 * docsDataScript({ manifest, catalog, runResults: null, sources: null });
 * // → 'globalThis.__SHOPSMART_DOCS__ = {"manifest":{…},"catalog":{…},"runResults":null,"sources":null};\n'
 */
export function docsDataScript(data: DocsData): string {
  return `globalThis.${DOCS_DATA_GLOBAL} = ${JSON.stringify(data)};\n`;
}
