// Matching's suites consume profile and manager topics: give them their own namespace so events other suites
// publish on the shared local broker (e.g. profiles' tests, run at the same time on a developer machine) never
// reach them.
process.env['KAFKA_TOPIC_PREFIX'] = 'test.matching.';
