package dev.dukequeue.engine.observe;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened on this node per queue since the last {@link #drain()}: submissions, completions, failed attempts and
 * dead letters. The node registry writes it to {@code dq_stat} once per stats interval, for the admin UI's charts.
 * Counting is one {@link LongAdder} increment, so the hot path does not contend on it.
 *
 * <p>Thread-safe. A count that lands while a drain runs goes to this drain or the next, never to neither.
 */
public final class ActivityTally {

    /** The kinds of event counted, in the order of {@link #drain()}'s arrays. */
    public static final int SUBMITTED = 0;
    public static final int COMPLETED = 1;
    public static final int FAILED = 2;
    public static final int DEAD_LETTERED = 3;

    private final Map<String, LongAdder[]> byQueue = new ConcurrentHashMap<>();

    void add(String queue, int kind, long n) {
        if (n == 0) {
            return;
        }
        byQueue.computeIfAbsent(queue, q -> {
            LongAdder[] a = new LongAdder[4];
            for (int i = 0; i < a.length; i++) {
                a[i] = new LongAdder();
            }
            return a;
        })[kind].add(n);
    }

    /** @return per queue, the counts since the previous drain (index by the kind constants), and resets them */
    public Map<String, long[]> drain() {
        Map<String, long[]> out = new TreeMap<>();
        byQueue.forEach((queue, adders) -> {
            long[] n = new long[adders.length];
            boolean any = false;
            for (int i = 0; i < adders.length; i++) {
                n[i] = adders[i].sumThenReset();
                any |= n[i] != 0;
            }
            if (any) {
                out.put(queue, n);
            }
        });
        return out;
    }
}
