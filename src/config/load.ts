import { ConfigError } from '../shared/index.js';
import { Config, CONFIG_SOURCES } from './schema.js';

type Flags = Partial<Record<keyof Config, string | number | undefined>>;

/**
 * Parses the configuration once: flags win over environment variables, which win over
 * the defaults. A bad value throws a ConfigError naming the flag or variable it came from.
 */
export function loadConfig(flags: Flags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const [key, source] of Object.entries(CONFIG_SOURCES)) {
    const fromFlag = flags[key as keyof Config];
    const fromEnv = env[source.env];
    if (fromFlag !== undefined) {
      raw[key] = fromFlag;
      origin[key] = source.flag ?? source.env;
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw[key] = fromEnv;
      origin[key] = source.env;
    }
  }
  const parsed = Config.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const name = origin[key] ?? key;
      return { path: name, problem: issue.message };
    });
    const first = details[0];
    throw new ConfigError(
      `Invalid configuration: ${first ? `${first.path}: ${first.problem}` : 'unknown problem'}`,
      details,
    );
  }
  return parsed.data;
}
