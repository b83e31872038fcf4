/**
 * Finds the exact source text of each element of the top-level `batch` array in a JSON
 * object, so every event is stored byte for byte as sent (huge numbers and all) without
 * a second, lossy serialization. Returns null when the text is not the expected shape;
 * callers then fall back to JSON.stringify.
 *
 * One linear pass; strings are skipped with their escapes, nesting is counted.
 */
export function batchElementSources(text: string): string[] | null {
  let i = skipWs(text, 0);
  if (text.charCodeAt(i) !== 0x7b /* { */) return null;
  i++;
  let result: string[] | null = null;
  for (;;) {
    i = skipWs(text, i);
    const c = text.charCodeAt(i);
    if (c === 0x7d /* } */) return result;
    if (c === 0x2c /* , */) {
      i++;
      continue;
    }
    if (c !== 0x22 /* " */) return null;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return null;
    let key: unknown;
    try {
      key = JSON.parse(text.slice(i, keyEnd));
    } catch {
      return null;
    }
    i = skipWs(text, keyEnd);
    if (text.charCodeAt(i) !== 0x3a /* : */) return null;
    i = skipWs(text, i + 1);
    if (key === 'batch' && text.charCodeAt(i) === 0x5b /* [ */) {
      // A duplicated key keeps the last occurrence, as JSON.parse does.
      const elements: string[] = [];
      const end = readArrayElements(text, i, elements);
      if (end < 0) return null;
      result = elements;
      i = end;
    } else {
      i = skipValue(text, i);
      if (i < 0) return null;
    }
  }
}

function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else return i;
  }
}

/** Index just past the string starting at `i` (a quote), or -1. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c /* \ */) j++;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

/** Index just past the value starting at `i`, or -1. */
function skipValue(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) {
      j = skipString(text, j) - 1;
      if (j < 0) return -1;
      if (depth === 0) return j + 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return j;
      depth--;
      if (depth === 0) return j + 1;
    } else if (
      depth === 0 &&
      (c === 0x2c || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)
    ) {
      return j;
    }
  }
  return depth === 0 ? text.length : -1;
}

function readArrayElements(text: string, i: number, out: string[]): number {
  i = skipWs(text, i + 1);
  if (text.charCodeAt(i) === 0x5d /* ] */) return i + 1;
  for (;;) {
    i = skipWs(text, i);
    const end = skipValue(text, i);
    if (end < 0 || end === i) return -1;
    out.push(text.slice(i, end));
    i = skipWs(text, end);
    const c = text.charCodeAt(i);
    if (c === 0x2c) i++;
    else if (c === 0x5d) return i + 1;
    else return -1;
  }
}
