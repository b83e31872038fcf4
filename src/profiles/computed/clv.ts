import { bgnbdExpectedPurchases, type BgNbdParams, type PurchaseSummary } from './bgnbd.js';

/** Average month length in days (365.25 / 12). */
export const DAYS_PER_MONTH = 30.4375;

/**
 * Customer lifetime value over the next `months` months: the BG/NBD expected purchases in
 * each month times the expected spend per purchase, each month discounted at
 * `monthlyDiscountRate` (as lifetimes' `customer_lifetime_value` does; Fader, Hardie & Lee
 * 2005 "RFM and CLV", §4). With a zero rate it is E[purchases in `months`] × spend.
 */
export function customerLifetimeValue(
  params: BgNbdParams,
  summary: PurchaseSummary,
  spend: number,
  months: number,
  monthlyDiscountRate: number,
): number {
  let value = 0;
  let before = 0;
  for (let month = 1; month <= months; month++) {
    const upTo = bgnbdExpectedPurchases(params, month * DAYS_PER_MONTH, summary);
    value += ((upTo - before) * spend) / Math.pow(1 + monthlyDiscountRate, month);
    before = upTo;
  }
  return value;
}
