/**
 * The engine's settings, read once through MicroProfile Config (environment variables and system properties work),
 * and the {@link dev.dukequeue.engine.config.DemoHandler} marker of the handlers {@code dukequeue.demo.enabled} turns on.
 */
package dev.dukequeue.engine.config;
