package dev.dukequeue.engine.node;

import dev.dukequeue.engine.config.EngineConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * Who this node is: a stable name ({@code dukequeue.node.name}, default the host name; unique among live nodes) and
 * an incarnation that is new at every start. Leases are owned by {@code name#incarnation}, so the owner of every lease (and of every attempt
 * in the history) names the exact process that held it.
 */
@ApplicationScoped
public class NodeIdentity {

    @Inject
    EngineConfig config;

    private String name;
    private String incarnation;

    /** For CDI. */
    public NodeIdentity() {
    }

    /** Outside CDI (the hand-built engine): a new incarnation of the configured node. */
    public NodeIdentity(EngineConfig config) {
        this.config = config;
        init();
    }

    @PostConstruct
    void init() {
        name = config.nodeName().orElseGet(() -> hostName().replaceAll("[^A-Za-z0-9._-]", "-"));
        if (!name.matches("[A-Za-z0-9._-]{1,100}")) {
            // '#' separates name and incarnation in lease owners: start-up recovery matches on "name#".
            throw new IllegalArgumentException("dukequeue.node.name must be 1..100 characters of letters, digits and"
                    + " . _ - (got '" + name + "')");
        }
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
