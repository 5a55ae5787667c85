/**
 * DukeQueue's engine: the implementation behind {@link dev.dukequeue.JobQueue}. Packages are named for their
 * responsibility: {@code job} (the state machine and entities), {@code store} (all SQL), {@code submit},
 * {@code dispatch}, {@code lease}, {@code retry}, {@code schedule} (recurring jobs), {@code lifecycle}, {@code config}, {@code admin} (what the admin
 * REST API and UI read), {@code demo} (the demo handlers, off unless configured).
 */
package dev.dukequeue.engine;
