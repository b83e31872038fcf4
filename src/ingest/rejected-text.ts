/**
 * Cuts a refused element's text to at most `maxBytes` of UTF-8 (never inside a
 * character) and says so at the end, so a reader of `GET /v1/admin/rejected` sees it
 * was cut and how much was dropped. The marker is outside the byte budget.
 *
 * @example truncateRaw('{"event":"ééé"}', 12) // '{"event":"é…[truncated: 12 of 18 bytes kept]'
 */
export function truncateRaw(raw: string, maxBytes: number): { raw: string; truncated: boolean } {
  // Most refused elements are small: skip the encoding unless it could be over.
  if (raw.length * 3 <= maxBytes) return { raw, truncated: false };
  const bytes = Buffer.from(raw, 'utf8');
  if (bytes.length <= maxBytes) return { raw, truncated: false };
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  const kept = bytes.subarray(0, end).toString('utf8');
  return {
    raw: `${kept}…[truncated: ${end} of ${bytes.length} bytes kept]`,
    truncated: true,
  };
}
