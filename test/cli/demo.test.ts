import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { AppError } from '../../src/shared/index.js';
import { ROOT, runCli } from '../helpers/cli.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const SOURCE = fileURLToPath(new URL('../fixtures/online-retail/demo/', import.meta.url));
const CUSTOMERS = [
  ...new Set(
    gunzipSync(readFileSync(join(SOURCE, 'online-retail-demo-slice.csv.gz')))
      .toString()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',').at(-2) ?? '')
      .filter((id) => /^\d+$/.test(id)),
  ),
];

interface Demo {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves with the output once it matches, or rejects when the demo exits first. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
}

/** `rapport demo` from source, on the test slice, with the replay squeezed into seconds. */
function startDemo(dir: string, env: NodeJS.ProcessEnv = {}): Demo {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      MAIN,
      'demo',
      '--port',
      '0',
      '--data',
      dir,
      '--source',
      SOURCE,
      '--replay-over',
      'PT2S',
    ],
    { cwd: ROOT, env: { ...process.env, RAPPORT_ADMIN_KEY: '', CI: '1', ...env } },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  const waitFor = (pattern: RegExp, ms = 45_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} in:\n${out}`)), ms);
      const check = () => {
        const m = pattern.exec(out);
        if (!m) return;
        clearTimeout(timer);
        resolve(m);
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      check();
      void exited.then((code) => reject(new Error(`demo exited with ${code}:\n${out}`)));
    });
  return { child, output: () => out, exited, waitFor };
}

/**
 * Polls `read` until `done` holds of its value (the pipeline and the sender are
 * asynchronous; the first send starts the render threads, slow on a busy machine).
 */
async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 50_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('rapport demo', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'rapport-demo-')), 'shop');
  let demo: Demo;
  let url: string;
  let key: string;
  const get = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    expect(r.status, path).toBe(200);
    return (await r.json()) as T;
  };

  beforeAll(async () => {
    demo = startDemo(dir);
    url = (await demo.waitFor(/Dashboard: +(http:\/\/\S+)\//))[1]!;
    key = (await demo.waitFor(/admin key: (rk_admin_\S+)/))[1]!;
    await demo.waitFor(/Replay finished/);
  }, 60_000);
  afterAll(async () => {
    if (demo.child.exitCode === null) demo.child.kill('SIGKILL');
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('builds profiles whose lifecycle and CLV read as today', async () => {
    const profiles = await Promise.all(
      CUSTOMERS.map((id) =>
        get<{ computed: { lifecycle?: string; clv_12m?: number; order_count?: number } }>(
          `/v1/profiles/user_id/${id}`,
        ),
      ),
    );
    expect(profiles).toHaveLength(88);
    const stages = profiles.map((p) => p.computed.lifecycle);
    // Bought in the replayed weeks (40 + 8 customers): today's customers, not lapsed.
    const recent = stages.filter((s) => s === 'active' || s === 'new' || s === 'won_back');
    expect(recent.length).toBeGreaterThanOrEqual(40);
    expect(stages.filter((s) => s === 'lapsed').length).toBeLessThan(40);
    const clv = profiles.map((p) => p.computed.clv_12m ?? 0);
    expect(clv.filter((v) => v > 0).length).toBeGreaterThan(40);
    expect(Math.max(...clv)).toBeLessThan(1_000_000);
  });

  it('fills segments, runs the journeys and captures their e-mail as real MIME', async () => {
    const { segments } = await get<{ segments: { id: string; members?: number }[] }>(
      '/v1/segments',
    );
    expect(segments.find((s) => s.id === 'lifecycle_active')?.members).toBeGreaterThan(0);

    // Three ready-made journeys, active; every replayed order entered the post-purchase
    // one, so its first step has counts.
    const { journeys } = await get<{ journeys: { id: string; recipe: string; status: string }[] }>(
      '/v1/journeys',
    );
    expect(journeys.map((j) => [j.recipe, j.status]).sort()).toEqual([
      ['post_purchase', 'active'],
      ['replenishment', 'active'],
      ['win_back', 'active'],
    ]);
    const postPurchase = journeys.find((j) => j.recipe === 'post_purchase')!.id;
    const stats = await get<{ steps: { stepId: string; treated: { entered: number } }[] }>(
      `/v1/journeys/${postPurchase}/stats`,
    );
    expect(stats.steps.find((s) => s.stepId === 'thanks')?.treated.entered).toBeGreaterThan(0);

    type Sent = {
      id: string;
      payload: { to?: string; rendered?: { subject?: string; html?: string } };
    };
    const { messages } = await eventually(
      () => get<{ messages: Sent[] }>(`/v1/messages?status=sent&journeyId=${postPurchase}`),
      (page) => page.messages.length > 0,
    );
    expect(messages.length).toBeGreaterThan(0);
    const sent = messages[0]!;
    expect(sent.payload.to).toMatch(/^customer-\d+@example\.com$/);
    expect(sent.payload.rendered?.subject).toBe('Thank you for your order');

    // The catcher kept the very message: parse its MIME back.
    const files = readdirSync(join(dir, 'mail')).filter((f) => f.endsWith('.eml'));
    const mails = await Promise.all(
      files.map((f) => simpleParser(readFileSync(join(dir, 'mail', f)))),
    );
    const mail = mails.find((m) => m.messageId?.startsWith(`<${sent.id}@`));
    expect(mail?.subject).toBe(sent.payload.rendered?.subject);
    expect(mail?.from?.text).toBe('"Online Retail (demo)" <shop@example.com>');
    expect(mail?.text).toContain('We got your order');
    // The unsubscribe link points back at the demo, which is not https: no one-click header.
    const header = (name: string) => mail?.headerLines.find((h) => h.key === name)?.line;
    expect(header('list-unsubscribe')?.replace(/\s+/g, '')).toContain(`<${url}/unsubscribe/`);
    expect(header('list-unsubscribe-post')).toBeUndefined();
  }, 60_000);

  it('stops on SIGINT and resumes the folder without importing again', async () => {
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    const state = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')) as {
      stage: string;
      replay: { total: number; sent: number };
    };
    expect(state.stage).toBe('ready');
    expect(state.replay.sent).toBe(state.replay.total);

    demo = startDemo(dir);
    await demo.waitFor(/Replay finished/);
    expect(demo.output()).toContain('Resuming the demo made');
    expect(demo.output()).not.toContain('Imported');
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
  }, 60_000);
});

describe('rapport demo refuses bad input before touching anything', () => {
  const base = mkdtempSync(join(tmpdir(), 'rapport-demo-bad-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const someonesData = join(base, 'someones-data');
  mkdirSync(someonesData);
  writeFileSync(join(someonesData, 'notes.txt'), 'mine');
  const aFile = join(base, 'a-file');
  writeFileSync(aFile, 'x');
  const fresh = join(base, 'new');
  const untouched = () => {
    expect(readdirSync(someonesData)).toEqual(['notes.txt']);
    expect(readdirSync(base)).not.toContain('new');
  };

  it.each([
    [{ port: 'abc' }, '--port'],
    [{ port: '70000' }, '--port'],
    [{ data: someonesData }, '--data'],
    [{ data: aFile }, '--data'],
    [{ replayOver: 'P1M' }, '--replay-over'],
    [{ replayOver: 'soon' }, '--replay-over'],
    [{ source: join(base, 'missing') }, '--source'],
    [{ source: base }, '--source'],
  ])('%j names %s', async (flags, flag) => {
    const error: unknown = await runDemo({ data: fresh, source: SOURCE, ...flags }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details.map((d) => d.path)).toEqual([flag]);
    untouched();
  });

  it('answers on the command line with the flag and exit code 2', async () => {
    const [port, data] = await Promise.all([
      runCli(['demo', '--data', fresh, '--port', 'abc']),
      runCli(['demo', '--data', someonesData]),
    ]);
    expect(port).toMatchObject({ code: 2, stdout: '' });
    expect(port.stderr).toContain('--port');
    expect(data.code).toBe(2);
    expect(data.stderr).toContain('is not empty and is not a demo folder');
    untouched();
  }, 60_000);
});
