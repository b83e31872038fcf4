const INDEX = /^(?:0|[1-9]\d{0,8})$/;
// Keys that a plain object inherits (constructor, toString, __proto__, ...): reading one
// of these needs an own-property check; any other key can be read directly, since data
// objects come from JSON and inherit from Object.prototype only.
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

type Step = (current: unknown) => unknown;

function step(key: string): Step {
  const index = INDEX.test(key) ? Number(key) : -1;
  const inherited = INHERITED.has(key);
  return (current) => {
    if (typeof current !== 'object' || current === null) return undefined;
    if (Array.isArray(current)) return index >= 0 ? (current as unknown[])[index] : undefined;
    if (inherited && !Object.hasOwn(current, key)) return undefined;
    return (current as Record<string, unknown>)[key];
  };
}

/**
 * Compiles a dotted path (`affinities.category.0.value`) into a reader over plain data:
 * object keys by name, array elements by decimal index. Only data the object holds is
 * read, so `__proto__`, `constructor` or an array's `length` never resolve to something
 * the data did not contain. Anything that cannot be followed reads as undefined; the
 * reader never throws.
 */
export function compilePath(path: string): (root: unknown) => unknown {
  const steps = path.split('.').map(step);
  if (steps.length === 1) return steps[0]!;
  if (steps.length === 2) {
    const [first, second] = steps as [Step, Step];
    return (root) => second(first(root));
  }
  return (root) => {
    let current = root;
    for (const s of steps) current = s(current);
    return current;
  };
}
