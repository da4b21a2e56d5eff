/**
 * For dlq users' tests: {@link dev.dlq.test.DlqTest} drives a processor through its retries and dead
 * letter in memory on a {@link dev.dlq.test.TestClock}; {@link dev.dlq.test.TestPostgres} gives
 * integration tests a PostgreSQL (Testcontainers when a Docker engine answers, else embedded).
 */
package dev.dlq.test;
