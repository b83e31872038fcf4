export { readSnippet, isTimeout, describeFetchError } from './fetch-helpers.js';
