/** Ends the run with the plain line CI reads: `Tests: N passed, N failed, N skipped`. */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      let here = { passed: 0, failed: 0, other: 0 };
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') here.passed++;
        else if (state === 'failed') here.failed++;
        else here.other++;
      }
      // A file that failed with no failed test (it did not load, or a beforeAll/afterAll hook threw, which leaves its
      // tests unrun) is a failure: its unrun tests count as failed, or the file as one when it has none.
      if (m.state() === 'failed' && here.failed === 0) here = { passed: here.passed, failed: Math.max(1, here.other), other: 0 };
      passed += here.passed;
      failed += here.failed;
      skipped += here.other;
    }
    failed += unhandledErrors.length;
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
