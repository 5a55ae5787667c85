/**
 * DukeQueue's engine: the implementation behind {@link dev.dukequeue.JobQueue}. Packages are named for their
 * responsibility: {@code job} (the state machine and entities), {@code store} (all SQL), {@code submit},
 * {@code dispatch}, {@code lease}, {@code retry}, {@code schedule} (recurring jobs), {@code lifecycle}, {@code config},
 * {@code read} (the read model: what the admin REST API and UI read). The demo handlers are a module of their own
 * ({@code queue-demo}, package {@code dev.dukequeue.demo}), packed into the runnable jar only.
 */
package dev.dukequeue.engine;
