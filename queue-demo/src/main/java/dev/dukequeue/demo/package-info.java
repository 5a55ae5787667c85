/**
 * Demo handlers for trying the queue and for failure tests: {@code demo.echo}, {@code demo.sleep},
 * {@code demo.work} (records every execution in a journal outside the queue's tables when
 * {@code dukequeue.demo.journal} is set), {@code demo.fail}, {@code demo.hang}, {@code demo.crash},
 * {@code demo.checkpoint}, {@code demo.batch}. A module of their own ({@code queue-demo}), packed into the
 * stand-alone {@code dukequeue.war} and so into the runnable jar, never into the EAR. Inactive unless
 * {@code dukequeue.demo.enabled=true} (the runnable jar turns it on): each carries
 * {@link dev.dukequeue.engine.config.DemoHandler}.
 */
package dev.dukequeue.demo;
