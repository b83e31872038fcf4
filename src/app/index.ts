export { openApp, openConfiguredApp, type OpenedApp } from './open-app.js';
export { startApp, type RunningApp } from './start-app.js';
export { emailStartupWarnings } from './email-warnings.js';
