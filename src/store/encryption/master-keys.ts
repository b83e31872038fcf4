import { ConfigError } from '../../shared/index.js';
import { masterKeyId, parseMasterKey } from '../core/envelope.js';
import type { MasterKeys } from './keyring.js';

/**
 * Reads RAPPORT_ENCRYPTION_KEY and RAPPORT_ENCRYPTION_KEY_PREVIOUS (comma-separated,
 * for a rotation in progress). Throws a ConfigError naming the variable and the form
 * expected; never echoes a key.
 */
export function masterKeysFrom(options: {
  encryptionKey?: string | undefined;
  encryptionKeyPrevious?: string | undefined;
}): MasterKeys | undefined {
  const read = (text: string, variable: string) => {
    const parsed = parseMasterKey(text);
    if ('problem' in parsed)
      throw new ConfigError(`${variable} ${parsed.problem}`, [
        { path: variable, problem: parsed.problem },
      ]);
    return parsed.key;
  };
  const previousText = options.encryptionKeyPrevious?.trim() ?? '';
  if (options.encryptionKey === undefined || options.encryptionKey.trim() === '') {
    if (previousText === '') return undefined;
    throw new ConfigError(
      'RAPPORT_ENCRYPTION_KEY_PREVIOUS is set without RAPPORT_ENCRYPTION_KEY: set the new master key too',
      [
        {
          path: 'RAPPORT_ENCRYPTION_KEY',
          problem: 'required with RAPPORT_ENCRYPTION_KEY_PREVIOUS',
        },
      ],
    );
  }
  const current = read(options.encryptionKey, 'RAPPORT_ENCRYPTION_KEY');
  const previous = previousText
    .split(',')
    .filter((t) => t.trim() !== '')
    .map((t) => read(t, 'RAPPORT_ENCRYPTION_KEY_PREVIOUS'))
    .filter((k) => masterKeyId(k) !== masterKeyId(current));
  return { current, previous };
}
