/** Screenshots of test/screenshots.test.ts listed in plugin.json, under src/img/screenshots/ by these names. */
export const CATALOG_SHOTS: Record<string, string> = {
  'g13-dark-1600x900-6.png': 'overview-dark.png',
  'g13-light-800x450-100.png': 'top-features-light.png',
  'g12-dark-400x300-6.png': 'small-dark.png',
};
