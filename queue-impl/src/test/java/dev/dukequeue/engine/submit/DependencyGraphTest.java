package dev.dukequeue.engine.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dukequeue.InvalidJobRequestException;
import dev.dukequeue.JobRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

    private static JobRequest job(String key, String... dependsOn) {
        return JobRequest.builder("t").key(key).dependsOnKeys(dependsOn).build();
    }

    private static List<Integer> check(JobRequest... jobs) {
        return DependencyGraph.check(List.of(jobs), 100, 1000);
    }

    @Test
    void aBatchWithoutDependenciesKeepsItsOrder() {
        assertThat(check(job(null), job("a"), job(null))).containsExactly(0, 1, 2);
    }

    @Test
    void dependenciesAreInsertedBeforeTheirDependentsOtherwiseInSubmissionOrder() {
        // d waits for c and a; b waits for d: a, c, d, b
        assertThat(check(job("b", "d"), job("a"), job("d", "c", "a"), job("c"))).containsExactly(1, 3, 2, 0);
    }

    @Test
    void aCycleIsRejectedNamingItsPath() {
        assertThatThrownBy(() -> check(job("a", "b"), job("b", "c"), job("c", "a"), job("x")))
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> {
                    assertThat(e.field()).endsWith("dependsOnKeys");
                    assertThat(e.rule()).contains("cycle").containsAnyOf("a -> b -> c -> a", "b -> c -> a -> b",
                            "c -> a -> b -> c");
                });
    }

    @Test
    void aJobWaitingForItselfIsACycle() {
        assertThatThrownBy(() -> check(job("self", "self")))
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("dependsOnKeys");
                    assertThat(e.rule()).contains("self -> self");
                });
    }

    @Test
    void aCycleBehindAnAcyclicPartIsFound() {
        assertThatThrownBy(() -> check(job("root", "x"), job("x", "y"), job("y", "z"), job("z", "y")))
                .isInstanceOf(InvalidJobRequestException.class).hasMessageContaining("y -> z -> y");
    }

    @Test
    void anUnknownKeyIsRejectedNamingIt() {
        assertThatThrownBy(() -> check(job("a"), job("b", "a", "nope")))
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("jobs[1].dependsOnKeys[1]");
                    assertThat(e.rule()).contains("'nope'");
                });
    }

    @Test
    void keysAreUniqueWithinABatch() {
        assertThatThrownBy(() -> check(job("a"), job("a")))
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("jobs[1].key");
                    assertThat(e.rule()).contains("jobs[0]");
                });
    }

    @Test
    void fanInAndFanOutAreLimited() {
        assertThatThrownBy(() -> DependencyGraph.check(List.of(job("a"), job("b"), job("c", "a", "b")), 1, 10))
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("jobs[2].dependsOn");
                    assertThat(e.rule()).contains("at most 1");
                });
        assertThatThrownBy(() -> DependencyGraph.check(List.of(job("a"), job("b", "a"), job("c", "a")), 10, 1))
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("jobs[0].key");
                    assertThat(e.rule()).contains("at most 1 dependents");
                });
    }

    @Test
    void aLongChainIsLinear() {
        int n = 5000;
        JobRequest[] chain = new JobRequest[n];
        for (int i = 0; i < n; i++) {
            chain[i] = i == 0 ? job("k0") : job("k" + i, "k" + (i - 1));
        }
        assertThat(check(chain)).hasSize(n).startsWith(0, 1, 2);
    }
}
