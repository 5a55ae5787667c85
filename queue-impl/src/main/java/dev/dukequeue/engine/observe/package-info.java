/**
 * What operators measure: the engine's metrics (MicroProfile Metrics, Prometheus text at {@code /metrics}), named after
 * the failure playbook's {@code gq_*} set with the prefix {@code dukequeue_}.
 */
package dev.dukequeue.engine.observe;
