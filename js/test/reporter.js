// A short reporter for `make test`: each failed test with its reasons, then `N passed, M failed`
// (tests only, not the suites that group them), as host-test's replay ends.
//
//   node --test --test-reporter=./test/reporter.js test/

export default async function* reporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    const suite = event.data?.details?.type === 'suite';
    if (event.type === 'test:pass' && !suite && !event.data.skip) passed++;
    if (event.type === 'test:fail' && !suite) {
      failed++;
      const error = event.data.details?.error;
      const reason = error?.cause?.message ?? error?.cause ?? error?.message ?? String(error);
      yield `FAIL ${event.data.name}\n${String(reason)
        .split('\n')
        .map((line) => `     ${line}`)
        .join('\n')}\n`;
    }
    if (event.type === 'test:stderr') yield event.data.message;
  }
  yield `${passed} passed, ${failed} failed\n`;
}
