/**
 * The read model: what operators and {@code JobQueue.find} read. Job search with keyset pagination, counts per queue
 * and state, and attempt history (JPA); the cluster's nodes and activity; the recurring jobs with their runs. Reads
 * only, and never through the submission path or the dispatcher: {@code submit} uses this package, and the admin
 * REST API and UI depend on it (and on the API) only.
 */
package dev.dukequeue.engine.read;
