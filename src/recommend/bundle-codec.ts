import { ValidationError } from '../shared/index.js';
import { validateBundle, type ModelBundle } from './model.js';

/**
 * The binary encoding of a trained bundle, as stored (`recommendation_models`):
 *
 *   8 bytes  "RPRECMOD"
 *   u32 LE   format version (BUNDLE_FORMAT_VERSION)
 *   u32 LE   header length H
 *   H bytes  header: the bundle as JSON, each typed array replaced by {"$a": i}, and
 *            `arrays`: [type, byte offset, byte length] of each, offsets from the data
 *   …        the data, 8-aligned: the arrays' bytes (little-endian, as machines hold them)
 *
 * Raw bytes keep a 3,000-item EASE model at its in-memory size (base64 JSON is a third
 * larger and slower to parse). A change to the models' shapes bumps the version: a
 * process reading a bundle of another version retrains instead of guessing.
 */
export const BUNDLE_FORMAT_VERSION = 1;

const MAGIC = Buffer.from('RPRECMOD', 'ascii');
const PREFIX = MAGIC.length + 8;
const TYPED = { Float64Array, Float32Array, Int32Array } as const;
type TypedName = keyof typeof TYPED;
type Typed = Float64Array | Float32Array | Int32Array;

const align8 = (n: number) => (n + 7) & ~7;

/** Encodes a bundle; `decodeBundle` reads it back. */
export function encodeBundle(bundle: ModelBundle): Uint8Array {
  const arrays: Typed[] = [];
  const table: [TypedName, number, number][] = [];
  let at = 0;
  const json = JSON.stringify(bundle, (_key, value: unknown) => {
    for (const name of Object.keys(TYPED) as TypedName[]) {
      if (value instanceof TYPED[name]) {
        arrays.push(value);
        table.push([name, at, value.byteLength]);
        at = align8(at + value.byteLength);
        return { $a: arrays.length - 1 };
      }
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
    return value;
  });
  // Offsets count from the start of the data, so the header does not depend on its own length.
  const header = Buffer.from(`{"bundle":${json},"arrays":${JSON.stringify(table)}}`, 'utf8');
  const data = align8(PREFIX + header.length);
  const out = Buffer.alloc(data + at);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(BUNDLE_FORMAT_VERSION, MAGIC.length);
  out.writeUInt32LE(header.length, MAGIC.length + 4);
  header.copy(out, PREFIX);
  arrays.forEach((a, i) => {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, data + table[i]![1]);
  });
  return out;
}

/** The format version a stored encoding says it has, or null when it is not one. */
export function bundleFormatOf(bytes: Uint8Array): number | null {
  if (bytes.length < PREFIX) return null;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!b.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  return b.readUInt32LE(MAGIC.length);
}

/**
 * Decodes and validates what `encodeBundle` wrote.
 * @throws ValidationError for another format version, damaged bytes or a bundle that
 *   does not hold together; never returns a half-read bundle.
 */
export function decodeBundle(bytes: Uint8Array): ModelBundle {
  const format = bundleFormatOf(bytes);
  if (format === null) throw problem('not an encoded model bundle');
  if (format !== BUNDLE_FORMAT_VERSION)
    throw problem(`format version ${format}; this build reads ${BUNDLE_FORMAT_VERSION}`);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = b.readUInt32LE(MAGIC.length + 4);
  if (PREFIX + length > b.length) throw problem('the header runs past the end');
  let parsed: unknown;
  try {
    parsed = JSON.parse(b.toString('utf8', PREFIX, PREFIX + length));
  } catch (error) {
    throw problem(`the header is not JSON: ${error instanceof Error ? error.message : ''}`);
  }
  const { bundle, arrays } = (parsed ?? {}) as { bundle?: unknown; arrays?: unknown };
  if (!Array.isArray(arrays)) throw problem('the header lists no arrays');
  const data = align8(PREFIX + length);
  const revived = arrays.map((entry: unknown, i) => {
    const [name, offset, byteLength] = Array.isArray(entry) ? (entry as unknown[]) : [];
    if (typeof name !== 'string' || !(name in TYPED)) throw problem(`array ${i}: unknown type`);
    const Ctor = TYPED[name as TypedName];
    if (
      typeof offset !== 'number' ||
      typeof byteLength !== 'number' ||
      offset < 0 ||
      data + offset + byteLength > b.length ||
      byteLength % Ctor.BYTES_PER_ELEMENT !== 0
    )
      throw problem(`array ${i}: its bytes are out of range`);
    // A copy: aligned for the typed array, and independent of the row's buffer.
    const copy = new Uint8Array(byteLength);
    copy.set(b.subarray(data + offset, data + offset + byteLength));
    return new Ctor(copy.buffer);
  });
  const restore = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(restore);
    if (typeof value !== 'object' || value === null) return value;
    const v = value as Record<string, unknown>;
    if (typeof v.$a === 'number' && Object.keys(v).length === 1) {
      const a = revived[v.$a];
      if (!a) throw problem(`array ${v.$a} is not listed`);
      return a;
    }
    if (typeof v.$number === 'string' && Object.keys(v).length === 1) return Number(v.$number);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]));
  };
  return validateBundle(restore(bundle));
}

function problem(text: string): ValidationError {
  return new ValidationError(`stored model bundle: ${text}`, [{ path: 'bundle', problem: text }]);
}
