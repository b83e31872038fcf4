// The Open Bandit Dataset (Saito et al. 2021) as evaluation rows: the uniform-random
// campaign's log is the logged data, and the Bernoulli-TS campaign's choices are the
// target. BTS's probabilities changed as it learned during the week, so the target is its
// time-averaged distribution over items at each position, estimated by how often the BTS
// log shows each item there (an unbiased estimate of that average; the propensity column
// is only known for the chosen item, at the moment it was chosen).
import { ValidationError } from '../../../shared/index.js';
import type { EvaluatedRow } from './rows.js';

interface ObdRecord {
  line: number;
  item: string;
  position: string;
  click: number;
  propensity: number;
  user: string[];
}

const USER_FEATURES = ['user_feature_0', 'user_feature_1', 'user_feature_2', 'user_feature_3'];

/** The rows of one OBD CSV (`,timestamp,item_id,position,click,propensity_score,...`). */
export function parseObdCsv(text: string, name: string): ObdRecord[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',');
  const column = (field: string) => {
    const i = header.indexOf(field);
    if (i < 0) {
      throw new ValidationError(`${name} is not an Open Bandit Dataset log: no ${field} column.`, [
        { path: `${name}.header`, problem: `has no ${field} column` },
      ]);
    }
    return i;
  };
  const item = column('item_id');
  const position = column('position');
  const click = column('click');
  const propensity = column('propensity_score');
  const users = USER_FEATURES.map(column);
  const out: ObdRecord[] = [];
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l]!;
    if (line.trim() === '') continue;
    const cells = line.split(',');
    const c = Number(cells[click]);
    const p = Number(cells[propensity]);
    const bad = (field: string, problem: string) =>
      new ValidationError(`${name} line ${l + 1}: ${field} ${problem}.`, [
        { path: `${name}.${l + 1}.${field}`, problem },
      ]);
    if (c !== 0 && c !== 1) throw bad('click', `must be 0 or 1, got "${cells[click]}"`);
    if (!(p > 0 && p <= 1))
      throw bad('propensity_score', `must be in (0, 1], got "${cells[propensity]}"`);
    if (!cells[item] || !cells[position]) throw bad('item_id', 'and position must be present');
    out.push({
      line: l + 1,
      item: cells[item],
      position: cells[position],
      click: c,
      propensity: p,
      user: users.map((u) => cells[u] ?? ''),
    });
  }
  return out;
}

export interface ObdEvaluation {
  rows: EvaluatedRow[];
  /** The BTS campaign's own click rate: what it actually earned on its own traffic. */
  onPolicyCtr: number;
  btsRows: number;
}

/** Random-campaign rows with the BTS campaign's per-position item distribution as target. */
export function obdEvaluationRows(randomCsv: string, btsCsv: string): ObdEvaluation {
  const random = parseObdCsv(randomCsv, 'random log');
  const bts = parseObdCsv(btsCsv, 'bts log');
  if (random.length === 0 || bts.length === 0) {
    throw new ValidationError('An OBD log is empty.', [
      { path: random.length === 0 ? 'random log' : 'bts log', problem: 'has no rows' },
    ]);
  }
  const counts = new Map<string, Map<string, number>>();
  for (const r of bts) {
    let at = counts.get(r.position);
    if (!at) counts.set(r.position, (at = new Map<string, number>()));
    at.set(r.item, (at.get(r.item) ?? 0) + 1);
  }
  const targets = new Map<string, Record<string, number>>();
  for (const [position, at] of counts) {
    const total = [...at.values()].reduce((s, n) => s + n, 0);
    targets.set(position, Object.fromEntries([...at].map(([item, n]) => [item, n / total])));
  }
  const rows: EvaluatedRow[] = random.map((r) => {
    const target = targets.get(r.position);
    if (!target) {
      throw new ValidationError(
        `random log line ${r.line}: position ${r.position} never appears in the bts log.`,
        [{ path: `random log.${r.line}.position`, problem: 'has no target distribution' }],
      );
    }
    const context: Record<string, number> = { [`position_${r.position}`]: 1 };
    r.user.forEach((value, k) => (context[`user_${k}_${value.slice(0, 8)}`] = 1));
    return { context, action: r.item, reward: r.click, propensity: r.propensity, target };
  });
  return {
    rows,
    onPolicyCtr: bts.reduce((s, r) => s + r.click, 0) / bts.length,
    btsRows: bts.length,
  };
}
