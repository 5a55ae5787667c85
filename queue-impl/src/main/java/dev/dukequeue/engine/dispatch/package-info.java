/**
 * Running jobs: the {@link dev.dukequeue.engine.dispatch.HandlerRegistry} binds job types to CDI handler beans, the
 * {@link dev.dukequeue.engine.dispatch.Dispatcher} claims as many due jobs as it has free worker slots, runs them on
 * container-managed threads, enforces execution timeouts, renews leases and records each outcome through the
 * store's lease fence.
 */
package dev.dukequeue.engine.dispatch;
