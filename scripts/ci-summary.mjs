// Prints the CI summary line, "N passed, N failed", from Vitest's JSON report plus the
// number of failed non-test checks (typecheck, lint, OpenAPI), and exits non-zero on any failure.
import { existsSync, readFileSync } from 'node:fs';

const [file, checksFailedArg = '0', testStatusArg = '0'] = process.argv.slice(2);
const checksFailed = Number(checksFailedArg);
let passed = 0;
let failed;
if (file && existsSync(file)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  // A suite that failed to load has no tests to count; count it as a failure.
  failed += (report.testResults ?? []).filter(
    (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
  ).length;
} else {
  failed = 1;
}
if (Number(testStatusArg) !== 0 && failed === 0) failed = 1;
failed += checksFailed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
