import { getJourney, journeyStats, listJourneys } from '../journeys/index.js';
import { DEFAULT_WORKSPACE_ID } from '../workspaces/index.js';
import { openApp } from '../app/index.js';

type Flags = { data?: string; json?: boolean };

export async function runJourneysList(flags: Flags): Promise<void> {
  const app = await openApp({ data: flags.data });
  try {
    const journeys = await listJourneys(app.ctx.store.db, DEFAULT_WORKSPACE_ID);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(journeys)}\n`);
      return;
    }
    const width = Math.max(2, ...journeys.map((j) => j.id.length));
    process.stdout.write(`${'ID'.padEnd(width)}  ${'STATUS'.padEnd(8)}  VERSION  NAME\n`);
    for (const j of journeys) {
      process.stdout.write(
        `${j.id.padEnd(width)}  ${j.status.padEnd(8)}  ${String(j.version).padStart(7)}  ${j.name}\n`,
      );
    }
  } finally {
    await app.close();
  }
}

export async function runJourneysShow(id: string, flags: Flags): Promise<void> {
  const app = await openApp({ data: flags.data });
  try {
    process.stdout.write(
      `${JSON.stringify(await getJourney(app.ctx.store.db, DEFAULT_WORKSPACE_ID, id), null, 2)}\n`,
    );
  } finally {
    await app.close();
  }
}

export async function runJourneysStats(id: string, flags: Flags): Promise<void> {
  const app = await openApp({ data: flags.data });
  try {
    const stats = await journeyStats(app.ctx.store.db, DEFAULT_WORKSPACE_ID, id);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(stats)}\n`);
      return;
    }
    const rate = (r: number | null) => (r === null ? '-' : `${(100 * r).toFixed(1)}%`);
    process.stdout.write(
      `Runs: ${stats.runs.treated} treated, ${stats.runs.holdout} holdout. Conversion: ${rate(stats.conversionRate.treated)} treated, ${rate(stats.conversionRate.holdout)} holdout.\n` +
        `Messages: ${
          Object.entries(stats.messages)
            .map(([k, v]) => `${v} ${k}`)
            .join(', ') || 'none'
        }\n\n` +
        `${'STEP'.padEnd(20)} ${'TYPE'.padEnd(14)} ENTERED WAITING COMPLETED EXITED CONVERTED  (treated / holdout)\n`,
    );
    for (const s of stats.steps) {
      const c = (k: keyof typeof s.treated) => `${s.treated[k]}/${s.holdout[k]}`;
      process.stdout.write(
        `${s.stepId.padEnd(20)} ${s.type.padEnd(14)} ${c('entered').padStart(7)} ${c('waiting').padStart(7)} ${c('completed').padStart(9)} ${c('exited').padStart(6)} ${c('converted').padStart(9)}\n`,
      );
    }
  } finally {
    await app.close();
  }
}
