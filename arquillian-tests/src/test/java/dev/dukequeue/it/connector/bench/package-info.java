/**
 * bench.war of the benchmark's resource-adapter case ({@code DukeQueueBenchmark}, docs/benchmarks.md): a no-op
 * message-driven bean ({@link dev.dukequeue.it.connector.bench.NoOpBean}) and a servlet that submits, pauses and
 * resumes through the adapter's connection factory ({@link dev.dukequeue.it.connector.bench.BenchQueue}). Deployed
 * next to {@code dukequeue.rar} without queue-api; the bean's {@code maxConcurrency} is set by the WAR's
 * {@code ejb-jar.xml} ({@code ConnectorApps.exportBenchmark}).
 */
package dev.dukequeue.it.connector.bench;
