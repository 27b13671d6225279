export * from './lib/test-env';
export * from './lib/ts-process';
export { chooseInfrastructure, localEndpoints, TEST_TOPIC_NAMESPACES, type InfrastructureChoice, type MachineFacts } from './lib/infrastructure';
export * from './lib/kafka-broker';
