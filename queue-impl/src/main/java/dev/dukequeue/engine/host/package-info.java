/**
 * The engine built by hand, for a host without CDI, EJB or interceptors (the DukeQueue resource adapter): the host's
 * services ({@link dev.dukequeue.engine.host.EngineHost}: threads, a timer, its view of JTA) and the composition root
 * ({@link dev.dukequeue.engine.host.StandaloneEngine}) that wires the same engine classes the CDI host injects. This
 * package depends on the engine; nothing in the engine depends on it.
 */
package dev.dukequeue.engine.host;
