/**
 * Demo handlers for trying the queue and for failure tests: {@code demo.echo}, {@code demo.sleep},
 * {@code demo.work} (records every execution in a journal outside the queue's tables when
 * {@code dukequeue.demo.journal} is set), {@code demo.fail}, {@code demo.hang}, {@code demo.crash},
 * {@code demo.checkpoint}, {@code demo.batch}. Inactive unless {@code dukequeue.demo.enabled=true}
 * (the runnable jar turns it on; an EAR leaves it off).
 */
package dev.dukequeue.engine.demo;
