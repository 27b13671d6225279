// Each analytics suite replays topics from their beginning, so it gets topics of its own: a namespace unique to
// the test file (created by the suite, deleted after it), never shared with other suites or earlier runs.
process.env['KAFKA_TOPIC_PREFIX'] = `test.analytics.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}.`;
