/**
 * Demo handlers for trying the queue and for failure tests: {@code demo.echo}, {@code demo.sleep},
 * {@code demo.fail}, {@code demo.hang}, {@code demo.crash}. Inactive unless {@code dukequeue.demo.enabled=true}
 * (the runnable jar turns it on; an EAR leaves it off).
 */
package dev.dukequeue.engine.demo;
