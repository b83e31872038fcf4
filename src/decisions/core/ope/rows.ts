// One logged decision as off-policy evaluation reads it: the documented JSON-lines format
// `{"context": {...}, "action": "a3", "reward": 1, "propensity": 0.05, "target": {...}}`.
import { z } from 'zod';

const ActionName = z
  .string()
  .min(1)
  .max(200)
  .refine((a) => a !== '__proto__', 'cannot be `__proto__`');

const Probabilities = z
  .record(ActionName, z.number().min(0).max(1))
  .refine((p) => Math.abs(Object.values(p).reduce((s, x) => s + x, 0) - 1) < 1e-6, {
    message: 'probabilities must sum to 1',
  });

export const LoggedRow = z.object({
  /** The features the decision saw, by name. */
  context: z.record(z.string(), z.number()),
  /** The action the logging policy took. */
  action: ActionName,
  reward: z.number(),
  /** The logging policy's probability of `action`: above 0, or the row proves nothing. */
  propensity: z.number().gt(0).max(1),
  /** The candidate policy's probability of each action in this context. */
  target: Probabilities.optional(),
  /** The logging policy's whole distribution, when known: support is then checked per row. */
  logging: Probabilities.optional(),
});
export type LoggedRow = z.infer<typeof LoggedRow>;

/** A row ready for estimation: its target known. */
export type EvaluatedRow = LoggedRow & { target: Record<string, number> };
