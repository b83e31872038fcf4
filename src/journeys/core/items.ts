import { z } from 'zod';
import type { JourneyDefinition } from './definition.js';
import type { JourneyEvent } from './journey-event.js';
import { getPath, keyOf } from './paths.js';

/** One product of the run's cart/order: the event's own fields, with `product_id` set. */
export const Item = z.record(z.string(), z.unknown());
export type Item = z.infer<typeof Item>;

function itemId(value: Record<string, unknown>): string | null {
  return keyOf(value.product_id) ?? keyOf(value.sku) ?? keyOf(value.id);
}

/**
 * The items an event carries: each object of `properties.products` (Segment's Cart
 * Viewed, Checkout Started, Order Completed) or the event's properties for single-product
 * events (Product Added, Product Removed, Product Viewed).
 */
export function itemsOf(event: JourneyEvent): Item[] {
  const props = event.properties ?? {};
  const list = Array.isArray(props.products) ? (props.products as unknown[]) : [props];
  const out: Item[] = [];
  for (const p of list) {
    if (p === null || typeof p !== 'object' || Array.isArray(p)) continue;
    const rec = p as Record<string, unknown>;
    const id = itemId(rec);
    if (id !== null) out.push({ ...rec, product_id: id });
  }
  return out;
}

function tracking(def: JourneyDefinition): { add: string[]; remove: string[]; max: number } | null {
  const t = def.trigger;
  const triggerEvent = t.type === 'event' || t.type === 'catalog' ? t.event : null;
  if (def.items) {
    return {
      add: def.items.addOn ?? (triggerEvent ? [triggerEvent] : []),
      remove: def.items.removeOn,
      max: def.items.max,
    };
  }
  // By default a keyed event trigger keeps the products of its repeats (more Product
  // Added events for the same cart).
  return t.type === 'event' && t.key !== undefined ? { add: [t.event], remove: [], max: 50 } : null;
}

function merge(items: Item[], added: Item[], max: number): Item[] {
  const out = items.slice();
  for (const item of added) {
    const i = out.findIndex((x) => x.product_id === item.product_id);
    // The latest event wins: it carries the current quantity and price.
    if (i >= 0) out[i] = item;
    else out.push(item);
  }
  return out.length > max ? out.slice(out.length - max) : out;
}

/** The items a run starts with: those of its trigger event. */
export function initialItems(def: JourneyDefinition, trigger: JourneyEvent): Item[] {
  const t = tracking(def);
  return t ? merge([], itemsOf(trigger), t.max) : [];
}

/**
 * The run's items after an event, or null when the event does not touch them (not a
 * tracked event, or another key).
 */
export function updatedItems(
  def: JourneyDefinition,
  items: Item[],
  runKey: string | null,
  event: JourneyEvent,
): Item[] | null {
  const t = tracking(def);
  if (!t || runKey === null) return null;
  const adds = t.add.includes(event.event);
  const removes = t.remove.includes(event.event);
  if (!adds && !removes) return null;
  const keyPath = 'key' in def.trigger ? def.trigger.key : undefined;
  if (keyPath === undefined || keyOf(getPath(event, keyPath)) !== runKey) return null;
  if (adds) return merge(items, itemsOf(event), t.max);
  const gone = new Set(itemsOf(event).map((i) => i.product_id));
  return items.filter((i) => !gone.has(i.product_id));
}
