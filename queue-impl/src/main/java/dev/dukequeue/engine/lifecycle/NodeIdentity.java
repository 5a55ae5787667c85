package dev.dukequeue.engine.lifecycle;

import dev.dukequeue.engine.config.EngineConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * Who this node is: a stable name ({@code dukequeue.node.name}, default the host name) and an incarnation that is
 * new at every start. Leases are owned by {@code name#incarnation}, so the owner of every lease (and of every attempt
 * in the history) names the exact process that held it.
 */
@ApplicationScoped
public class NodeIdentity {

    @Inject
    EngineConfig config;

    private String name;
    private String incarnation;

    @PostConstruct
    void init() {
        name = config.nodeName().orElseGet(NodeIdentity::hostName);
        incarnation = UUID.randomUUID().toString().substring(0, 8);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node";
        }
    }

    /** @return the node's stable name */
    public String name() {
        return name;
    }

    /** @return this start's incarnation id */
    public String incarnation() {
        return incarnation;
    }

    /** @return the lease owner string, {@code name#incarnation} */
    public String owner() {
        return name + "#" + incarnation;
    }
}
