#!/usr/bin/env node
import { Command, Option } from 'commander';
import { VERSION } from '../shared/index.js';
import { runAuditList } from './audit.js';
import { runReportExperiment, runReportProgram } from './report.js';
import {
  runEncryptionGenerateKey,
  runEncryptionReencrypt,
  runEncryptionRotate,
} from './encryption.js';
import { runImportCommand } from './import.js';
import { runJourneysList, runJourneysShow, runJourneysStats } from './journeys.js';
import { runOffersImportCodes } from './offers.js';
import { runMigrate } from './migrate.js';
import { runMessagesRetry } from './messages.js';
import { runDemo } from './demo.js';
import { runDoctor } from './doctor.js';
import { runKeysCreate, runKeysList, runKeysRevoke, runKeysRotate } from './keys.js';
import { runProfilesRebuild } from './profiles.js';
import { runProfilesErase, runProfilesExport } from './privacy.js';
import { runSegmentsList, runSegmentsRecompute, runSegmentsShow } from './segments.js';
import { registerEvalPolicyCommand } from './eval-policy.js';
import { registerEvalCommand } from './eval-recs.js';
import { registerEvalUpliftCommand } from './eval-uplift.js';
import { runStart } from './start.js';
import { runTrain } from './train.js';
import { runWebhookSecretRotate, runWebhookSecretShow } from './webhooks.js';
import { runWorkspacesCreate, runWorkspacesList } from './workspaces.js';
import { fail } from './output.js';

/** The `rapport` command line. Each command lives in its own file. */
export function buildCli(): Command {
  const program = new Command('rapport')
    .description('Rapport: a self-hostable nurturing personalization engine.')
    .version(VERSION)
    .showHelpAfterError();

  program
    .command('start')
    .description('Run Rapport: API, workers and scheduler (or one role).')
    .option('--port <port>', 'HTTP port (env RAPPORT_PORT, default 4700)')
    .option('--host <host>', 'interface to bind (env RAPPORT_HOST, default 127.0.0.1)')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .addOption(
      new Option('--role <role>', 'which part to run (env RAPPORT_ROLE)').choices([
        'all',
        'api',
        'worker',
      ]),
    )
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent')
    .action(runStart);

  program
    .command('demo')
    .description(
      'A demo shop in a folder of its own: the Online Retail year imported, journeys on, its last weeks replayed live; e-mail captured locally (docs/demo.md).',
    )
    .option('--port <port>', 'HTTP port (env RAPPORT_PORT, default 4700)')
    .option('--host <host>', 'interface to bind (env RAPPORT_HOST, default 127.0.0.1)')
    .option(
      '--data <dir>',
      'the demo folder: new, empty, or a demo to resume (default ./rapport-demo)',
    )
    .option('--replay-over <duration>', 'replay the held-back weeks over this long (default PT10M)')
    .option('--source <dir>', 'Online Retail CSV files to use instead of the bundled year')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (default warn)')
    .action(runDemo);

  const keys = program.command('keys').description('Manage API keys.');
  keys
    .command('create')
    .description('Create an API key and print it once (public: browser-safe, see docs/keys.md).')
    .addOption(
      new Option('--scope <scope>', 'what the key may do')
        .choices(['write', 'read', 'admin', 'public'])
        .makeOptionMandatory(),
    )
    .option('--name <name>', 'a label to tell the key apart in listings')
    .option('--expires-in <duration>', 'ISO 8601 duration after which the key stops, e.g. P90D')
    .option('--workspace <id>', 'the workspace to act on (default: the default workspace)')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print the key as JSON')
    .action(runKeysCreate);
  keys
    .command('list')
    .description("List a workspace's keys with their status (never the keys).")
    .option('--workspace <id>', 'the workspace to act on (default: the default workspace)')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(runKeysList);
  keys
    .command('revoke')
    .argument('<id>', 'key id, as `rapport keys list` shows it')
    .description('Revoke a key: it answers 401 from the next request on, in every process.')
    .option('--workspace <id>', 'the workspace to act on (default: the default workspace)')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print the revoked key as JSON')
    .action(runKeysRevoke);
  keys
    .command('rotate')
    .argument('<id>', 'key id, as `rapport keys list` shows it')
    .description('Replace a key with a new one of the same scope and name, printed once.')
    .option('--grace-hours <hours>', 'how long the old key keeps working (0-720, default 24)')
    .option('--workspace <id>', 'the workspace to act on (default: the default workspace)')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print the new key and the old one as JSON')
    .action(runKeysRotate);

  const workspaces = program
    .command('workspaces')
    .description('Manage workspaces: each has its own data, settings, keys and secrets.');
  workspaces
    .command('create')
    .description('Create a workspace and print its first admin key once.')
    .requiredOption('--name <name>', 'a name for people')
    .option('--id <id>', 'lowercase letters, digits and hyphens, 2-40 (default: generated)')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print the workspace and its key as JSON')
    .action(runWorkspacesCreate);
  workspaces
    .command('list')
    .description('List every workspace.')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(runWorkspacesList);

  const encryption = program
    .command('encryption')
    .description('Personal data at rest: master keys, rotation, re-encryption (docs/privacy.md).');
  encryption
    .command('generate-key')
    .description('Print a new random master key for RAPPORT_ENCRYPTION_KEY.')
    .action(runEncryptionGenerateKey);
  encryption
    .command('rotate')
    .description(
      'Re-wrap the data keys under RAPPORT_ENCRYPTION_KEY (the old one in RAPPORT_ENCRYPTION_KEY_PREVIOUS), make a new data key current and re-encrypt every row in batches while Rapport keeps serving.',
    )
    .option('--batch <n>', 'rows per transaction (1-10000, default 500)')
    .option('--keep-data-key', 'only re-wrap under the new master key; keep the data key')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .action(runEncryptionRotate);
  encryption
    .command('reencrypt')
    .description(
      'Seal rows still in clear (a key set on an existing database) or under an old data key; resumable.',
    )
    .option('--batch <n>', 'rows per transaction (1-10000, default 500)')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .action(runEncryptionReencrypt);

  program
    .command('audit')
    .description('Read the audit log of admin actions (read-only).')
    .command('list')
    .description("The default workspace's audit entries, newest first.")
    .option('--limit <n>', 'entries to show (1-500, default 100)')
    .option('--action <action>', 'only this action, e.g. segment.update')
    .option('--target <target>', 'only this kind, or kind:id, e.g. journey:welcome')
    .option('--key-id <id>', 'only entries made with this key id')
    .option('--since <time>', 'entries at or after this ISO 8601 date-time')
    .option('--until <time>', 'entries before this ISO 8601 date-time')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print the entries as JSON, before and after included')
    .action(runAuditList);

  program
    .command('import')
    .description('Import events, profiles or catalog items from CSV or JSON Lines files (.gz too).')
    .argument('<kind>', 'events | profiles | catalog')
    .argument('<files...>', 'one or more files')
    .option('--format <format>', 'csv | jsonl (default: from the file name)')
    .option('--preset <preset>', 'a known file layout: online-retail')
    .option(
      '--map <target=column>',
      'where a CSV column goes, e.g. userId=customer or properties.price=unit_price (repeatable)',
      (value: string, previous?: string[]) => [...(previous ?? []), value],
    )
    .option('--type <type>', 'event type of CSV rows without a type column (default track)')
    .option(
      '--rejects <file>',
      'where rejected rows go (default: next to the first file, <name>.<run time>.rejects.jsonl)',
    )
    .option('--no-process', 'only append to the log; workers build the profiles later')
    .option('--shift-to-now', "move every event by whole days so the data's last day is today")
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print the summary as JSON')
    .action(runImportCommand);

  const profiles = program.command('profiles').description('Maintain profiles.');
  profiles
    .command('rebuild')
    .description('Re-derive every profile from the event log (--dry-run only compares).')
    .option('--dry-run', 'report profiles whose facts differ from the log, change nothing')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .action(runProfilesRebuild);
  profiles
    .command('export')
    .description('Write everything held about one person as JSON (GDPR art. 15/20); audited.')
    .argument('<kind>', 'user_id | anonymous_id | email | phone | profile_id')
    .argument('<value>', 'the identifier')
    .option('--out <file>', 'write to this file (mode 600) instead of standard output')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .action(runProfilesExport);
  profiles
    .command('erase')
    .description('Erase one person from every table (GDPR art. 17) and wait until done.')
    .argument('<kind>', 'user_id | anonymous_id | email | phone | profile_id')
    .argument('<value>', 'the identifier')
    .option('--no-wait', 'only start the job; a worker finishes it (rapport start)')
    .option('--batch <rows>', 'rows removed per transaction (default 500)')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .action(runProfilesErase);

  const segments = program.command('segments').description('Inspect and recompute segments.');
  segments
    .command('list')
    .description('List segments with their member counts.')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(runSegmentsList);
  segments
    .command('show')
    .argument('<id>', 'segment id')
    .description('Show one segment and its definition.')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .action(runSegmentsShow);
  segments
    .command('recompute')
    .description('Evaluate every segment from the log and repair memberships that differ.')
    .option('--check', 'only report differences (exit 1 if any)')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(runSegmentsRecompute);

  const journeys = program.command('journeys').description('Inspect journeys.');
  journeys
    .command('list')
    .description('List journeys with their status and version.')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(runJourneysList);
  journeys
    .command('show')
    .argument('<id>', 'journey id')
    .description('Show a journey and its current definition.')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .action(runJourneysShow);
  journeys
    .command('stats')
    .argument('<id>', 'journey id')
    .description('Per step: entered, waiting, completed, exited, converted; treated and holdout.')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(runJourneysStats);

  const report = program
    .command('report')
    .description(
      'Measurement reports: an experiment, or the whole program against the global control group.',
    );
  report
    .command('experiment')
    .argument('<id>', 'experiment id (rapport report experiment journey:<journey id>)')
    .description(
      'People, conversions, lift with its interval, p-values, CUPED, sample-ratio check.',
    )
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(runReportExperiment);
  report
    .command('program')
    .description('Everyone outside the global control group against it.')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(runReportProgram);

  const secret = program
    .command('webhooks')
    .description('Manage webhook signing.')
    .command('secret')
    .description("A workspace's webhook signing secret.");
  secret
    .command('rotate')
    .description('Create a new signing secret and print it once; the old one signs beside it.')
    .option('--overlap-hours <hours>', 'how long the old secret keeps signing (0-168, default 24)')
    .option('--workspace <id>', 'the workspace to act on (default: the default workspace)')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print the secret, fingerprints and dates as JSON')
    .action(runWebhookSecretRotate);
  secret
    .command('show')
    .description('Print the fingerprints and dates of the signing secrets (never the secrets).')
    .option('--workspace <id>', 'the workspace to act on (default: the default workspace)')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print JSON')
    .action(runWebhookSecretShow);

  program
    .command('offers')
    .description("Manage the default workspace's offers.")
    .command('import-codes')
    .argument('<offer>', 'offer id')
    .argument('<file>', 'a text file, one coupon code a line')
    .description("Add unique coupon codes to an offer's pool; codes already there are skipped.")
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print the counts as JSON')
    .action(runOffersImportCodes);

  program
    .command('messages')
    .description('Messages in the outbox.')
    .command('retry')
    .description(
      'Resend messages that failed for a reason since fixed (SMTP, public URL, sender, template); audited.',
    )
    .requiredOption('--status <status>', 'failed, dead, or both comma-separated')
    .option('--since <time>', 'only messages created since: ISO 8601 date-time or duration (P7D)')
    .option('--journey <id>', "only this journey's messages")
    .option('--limit <n>', 'at most this many (1-100000, default 10000)')
    .option('--workspace <id>', 'the workspace to act on (default: the default workspace)')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print the requeued messages as JSON')
    .action(runMessagesRetry);

  program
    .command('doctor')
    .description(
      'Check configuration and connectivity (store, SMTP, public URL, keys, encryption, sender) and say what to fix.',
    )
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--json', 'print the checks as JSON')
    .action(runDoctor);

  program
    .command('train')
    .description(
      "Retrain the recommendation models of a running Rapport now (or, with --uplift, a journey's uplift model).",
    )
    .option('--url <url>', 'where Rapport runs (env RAPPORT_URL, default http://127.0.0.1:4700)')
    .option('--key <key>', 'an admin key (env RAPPORT_ADMIN_KEY)')
    .option('--uplift <journey>', "train this journey's uplift model (its uplift.<id> trait)")
    .action(runTrain);

  program
    .command('migrate')
    .description(
      'Copy this SQLite deployment into an empty PostgreSQL database (stop Rapport first).',
    )
    .option('--to <url>', 'the PostgreSQL database, postgres://user@host:port/database')
    .option('--data <dir>', 'data folder of the embedded store (env RAPPORT_DATA_DIR)')
    .option('--batch <rows>', 'rows per insert (1-10000, default 1000)')
    .option('--json', 'print the per-table counts as JSON')
    .action(runMigrate);

  registerEvalCommand(program);
  registerEvalPolicyCommand(program);
  registerEvalUpliftCommand(program);

  return program;
}

buildCli()
  .parseAsync(process.argv)
  .catch((error: unknown) => fail(error));
