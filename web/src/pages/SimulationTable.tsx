import { formatNumber, when } from '../ui';

export interface Simulation {
  from: number;
  to: number;
  people: number;
  runs: number;
  steps: Record<
    string,
    {
      entered: number;
      people: number;
      waiting: number;
      completed: number;
      exited: number;
      converted: number;
    }
  >;
  treated: { runs: number; messages: number; converted: number; conversionRate: number };
  holdout: { runs: number };
}

/** What a simulation found, per step: nothing was sent or written. */
export function SimulationTable({ sim, order }: { sim: Simulation; order: readonly string[] }) {
  const ids = [...order, ...Object.keys(sim.steps).filter((id) => !order.includes(id))];
  return (
    <>
      <p data-testid="simulation-summary">
        Replayed {formatNumber(sim.people)} people&apos;s events from{' '}
        {when(new Date(sim.from).toISOString())} to {when(new Date(sim.to).toISOString())}:{' '}
        {formatNumber(sim.runs)} would enter ({formatNumber(sim.holdout.runs)} held out),{' '}
        {formatNumber(sim.treated.messages)} messages would go out,{' '}
        {formatNumber(sim.treated.converted)} would convert. Nothing was sent.
      </p>
      <table>
        <caption>Simulated people per step</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col" className="num">
              Entered
            </th>
            <th scope="col" className="num">
              People
            </th>
            <th scope="col" className="num">
              Waiting at the end
            </th>
            <th scope="col" className="num">
              Exited
            </th>
            <th scope="col" className="num">
              Converted
            </th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => {
            const s = sim.steps[id];
            return (
              <tr key={id}>
                <td>{id}</td>
                <td className="num">{formatNumber(s?.entered ?? 0)}</td>
                <td className="num">{formatNumber(s?.people ?? 0)}</td>
                <td className="num">{formatNumber(s?.waiting ?? 0)}</td>
                <td className="num">{formatNumber(s?.exited ?? 0)}</td>
                <td className="num">{formatNumber(s?.converted ?? 0)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
