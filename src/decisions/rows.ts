import { z } from 'zod';

/** A decision's features as logged: named numbers. */
export const Features = z.record(z.string(), z.number());
