package dev.dukequeue.engine.node;

import java.util.Optional;

/**
 * One worker engine per node name in a JVM. Two engines that run jobs under the same name in one server (the resource
 * adapter's and an application's, or two applications', each reading the same {@code dukequeue.node.name} system
 * property or the same host name) would each take the other for an earlier incarnation of itself: every start-up
 * would reclaim the jobs the other is running, and they would run twice. The second engine is refused instead, with a
 * message saying what to do.
 *
 * <p>The names are held in the system properties: the one map every class loader of the server shares (each
 * application and the adapter load their own copy of this class). Under a key outside {@code dukequeue.}, so that it
 * never reads as a setting. Admin nodes ({@code dukequeue.node.role=admin}) run no jobs and take no name.
 */
public final class JvmNodeNames {

    private static final String PREFIX = "dev.dukequeue.running-node.";

    private JvmNodeNames() {
    }

    /**
     * Takes the node's name for this engine.
     *
     * @return empty if taken; else the owner ({@code name#incarnation}) of the engine that holds it
     */
    public static Optional<String> take(NodeIdentity node) {
        Object holder = System.getProperties().putIfAbsent(PREFIX + node.name(), node.owner());
        return holder == null || holder.equals(node.owner()) ? Optional.empty() : Optional.of(holder.toString());
    }

    /** Gives the name back, if this engine holds it. */
    public static void release(NodeIdentity node) {
        System.getProperties().remove(PREFIX + node.name(), node.owner());
    }
}
