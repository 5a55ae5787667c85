package dev.dukequeue.engine.submit;

import dev.dukequeue.InvalidJobRequestException;
import dev.dukequeue.JobRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The dependency graph of one batch, checked before anything is written (playbook 6, prevention): client keys are
 * unique, every {@code dependsOnKeys} entry names a job of the batch, no job has more dependencies or in-batch
 * dependents than allowed, and there is no cycle. A cycle is reported with its path, {@code a -> b -> c -> a}.
 *
 * <p>Jobs that already exist cannot depend on jobs that do not exist yet, so a cycle can only form inside one batch:
 * checking the batch is checking the whole graph.
 */
public final class DependencyGraph {

    private final List<JobRequest> requests;
    private final Map<String, Integer> indexByKey = new HashMap<>();
    /** dependencies.get(i): indices of the batch jobs job i depends on. */
    private final List<List<Integer>> dependencies = new ArrayList<>();

    private DependencyGraph(List<JobRequest> requests) {
        this.requests = requests;
    }

    /**
     * Checks a batch.
     *
     * @param requests     the batch, in submission order
     * @param maxPerJob    most dependencies one job may have
     * @param maxDependents most jobs that may depend on one job
     * @return the order to insert the jobs in: every job after the batch jobs it depends on, otherwise submission
     *         order
     * @throws InvalidJobRequestException naming the field and the rule
     */
    public static List<Integer> check(List<JobRequest> requests, int maxPerJob, int maxDependents) {
        return new DependencyGraph(requests).validate(maxPerJob, maxDependents);
    }

    /** @return the field prefix for job {@code i}: empty for a single submission, {@code jobs[i].} in a batch */
    static String prefix(List<JobRequest> requests, int i) {
        return requests.size() == 1 ? "" : "jobs[" + i + "].";
    }

    private List<Integer> validate(int maxPerJob, int maxDependents) {
        for (int i = 0; i < requests.size(); i++) {
            String key = requests.get(i).key();
            if (key != null) {
                Integer earlier = indexByKey.putIfAbsent(key, i);
                if (earlier != null) {
                    throw new InvalidJobRequestException(prefix(requests, i) + "key",
                            "repeats the key '" + key + "' of jobs[" + earlier + "]: keys are unique within a batch");
                }
            }
        }
        int[] dependents = new int[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            JobRequest r = requests.get(i);
            int count = r.dependsOn().size() + r.dependsOnKeys().size();
            if (count > maxPerJob) {
                throw new InvalidJobRequestException(prefix(requests, i) + "dependsOn",
                        "allows at most " + maxPerJob + " dependencies per job, got " + count);
            }
            List<Integer> deps = new ArrayList<>();
            for (int k = 0; k < r.dependsOnKeys().size(); k++) {
                String key = r.dependsOnKeys().get(k);
                Integer target = indexByKey.get(key);
                if (target == null) {
                    throw new InvalidJobRequestException(prefix(requests, i) + "dependsOnKeys[" + k + "]",
                            "names no job of this batch: no job has the key '" + key + "'");
                }
                if (++dependents[target] > maxDependents) {
                    throw new InvalidJobRequestException(prefix(requests, target) + "key",
                            "allows at most " + maxDependents + " dependents per job; '" + key + "' has more");
                }
                deps.add(target);
            }
            dependencies.add(deps);
        }
        rejectCycles();
        return topologicalOrder();
    }

    /** Depth-first search with three colours; a grey node reached again closes a cycle. */
    private void rejectCycles() {
        int n = requests.size();
        byte[] colour = new byte[n]; // 0 white, 1 grey (on the current path), 2 black (done)
        int[] parent = new int[n];
        for (int start = 0; start < n; start++) {
            if (colour[start] != 0) {
                continue;
            }
            Deque<int[]> stack = new ArrayDeque<>(); // {node, next dependency index}
            stack.push(new int[] {start, 0});
            colour[start] = 1;
            parent[start] = -1;
            while (!stack.isEmpty()) {
                int[] top = stack.peek();
                int node = top[0];
                List<Integer> deps = dependencies.get(node);
                if (top[1] == deps.size()) {
                    colour[node] = 2;
                    stack.pop();
                    continue;
                }
                int next = deps.get(top[1]++);
                if (colour[next] == 1) {
                    throw cycle(node, next, parent);
                }
                if (colour[next] == 0) {
                    colour[next] = 1;
                    parent[next] = node;
                    stack.push(new int[] {next, 0});
                }
            }
        }
    }

    private InvalidJobRequestException cycle(int from, int to, int[] parent) {
        // The path runs to -> ... -> from along parent links (each waits for the next), and from waits for to.
        List<String> path = new ArrayList<>();
        for (int n = from; n != to; n = parent[n]) {
            path.add(0, name(n));
        }
        path.add(0, name(to));
        path.add(name(to));
        return new InvalidJobRequestException(prefix(requests, to) + "dependsOnKeys",
                "forms a dependency cycle, which could never run: " + String.join(" -> ", path));
    }

    private String name(int i) {
        return requests.get(i).key();
    }

    /** Kahn's algorithm, always taking the lowest ready index, so a batch without dependencies keeps its order. */
    private List<Integer> topologicalOrder() {
        int n = requests.size();
        int[] waiting = new int[n];
        List<List<Integer>> dependentsOf = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dependentsOf.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            waiting[i] = dependencies.get(i).size();
            for (int d : dependencies.get(i)) {
                dependentsOf.get(d).add(i);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> order = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(i);
            for (int dependent : dependentsOf.get(i)) {
                if (--waiting[dependent] == 0) {
                    ready.add(dependent);
                }
            }
        }
        return order;
    }
}
