/** Bundles the page of `revo ui` into dist/ui (app.js, app.css). */
export function bundleUi(): Promise<void>;
