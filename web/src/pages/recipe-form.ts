/**
 * A recipe's parameters (the JSON Schema `GET /v1/journey-recipes` derives from each
 * recipe's zod schema) as form fields, and the filled form back as `params`: only what
 * the person set is sent, so the recipe's own defaults apply to the rest.
 */
export interface ParamSchema {
  type?: string;
  description?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  properties?: Record<string, ParamSchema>;
  required?: string[];
}

export interface ParamField {
  name: string;
  label: string;
  input: 'select' | 'text' | 'number' | 'checkbox' | 'json';
  options: string[];
  /** What the form starts with: the default as text (JSON for lists and objects). */
  initial: string;
  required: boolean;
  min?: number;
  max?: number;
}

export function fieldsOf(schema: ParamSchema): ParamField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, p]) => {
    const input: ParamField['input'] = Array.isArray(p.enum)
      ? 'select'
      : p.type === 'number' || p.type === 'integer'
        ? 'number'
        : p.type === 'boolean'
          ? 'checkbox'
          : p.type === 'string'
            ? 'text'
            : 'json';
    const initial =
      p.default === undefined
        ? ''
        : input === 'json'
          ? JSON.stringify(p.default, null, 2)
          : typeof p.default === 'string' ||
              typeof p.default === 'number' ||
              typeof p.default === 'boolean'
            ? String(p.default)
            : JSON.stringify(p.default);
    return {
      name,
      label: p.description ?? name,
      input,
      options: (p.enum ?? []).map(String),
      initial,
      required: required.has(name) && p.default === undefined,
      ...(p.minimum === undefined ? {} : { min: p.minimum }),
      ...(p.maximum === undefined ? {} : { max: p.maximum }),
    };
  });
}

/**
 * The params to send: fields left at their default or blank are left out. A JSON field
 * that does not parse is a problem named by its field, found before any request.
 */
export function paramsOf(
  fields: readonly ParamField[],
  values: Readonly<Record<string, string>>,
): { params: Record<string, unknown>; problems: { field: string; problem: string }[] } {
  const params: Record<string, unknown> = {};
  const problems: { field: string; problem: string }[] = [];
  for (const f of fields) {
    const text = values[f.name] ?? f.initial;
    if (text.trim() === '' || text === f.initial) continue;
    if (f.input === 'number') {
      const n = Number(text);
      if (Number.isFinite(n)) params[f.name] = n;
      else problems.push({ field: f.name, problem: 'must be a number' });
    } else if (f.input === 'checkbox') {
      params[f.name] = text === 'true';
    } else if (f.input === 'json') {
      try {
        params[f.name] = JSON.parse(text) as unknown;
      } catch {
        problems.push({ field: f.name, problem: 'is not valid JSON' });
      }
    } else {
      params[f.name] = text;
    }
  }
  return { params, problems };
}
