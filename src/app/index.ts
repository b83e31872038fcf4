export { buildApp, closeApp, startBackground, type App, type AppOptions } from './build-app.js';
export { openApp } from './open-app.js';
export { startApp, type RunningApp } from './start-app.js';
