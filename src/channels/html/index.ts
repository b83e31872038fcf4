// HTML handling for mail: a tokenizer with offsets (so one attribute can be rewritten and
// every other byte kept), entity decoding and a plain-text rendering.
export { tokenizeHtml, getAttribute, type HtmlToken, type HtmlAttribute } from './tokenize.js';
export { decodeEntities, escapeAttribute, escapeHtml } from './entities.js';
export { htmlToText } from './html-to-text.js';
