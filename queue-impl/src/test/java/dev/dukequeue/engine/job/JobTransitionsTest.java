package dev.dukequeue.engine.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dukequeue.JobState;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Walks the whole from-state x event matrix against the expected table, written out independently here. */
class JobTransitionsTest {

    private static final Map<JobEvent, Map<JobState, JobState>> EXPECTED = new EnumMap<>(JobEvent.class);

    private static void allow(JobEvent event, JobState from, JobState to) {
        EXPECTED.computeIfAbsent(event, e -> new EnumMap<>(JobState.class)).put(from, to);
    }

    static {
        allow(JobEvent.DEPENDENCIES_MET, JobState.PENDING, JobState.SCHEDULED);
        allow(JobEvent.DEPENDENCY_FAILED, JobState.PENDING, JobState.DEAD_LETTER);
        allow(JobEvent.CLAIM, JobState.SCHEDULED, JobState.RUNNING);
        allow(JobEvent.SUCCEED, JobState.RUNNING, JobState.COMPLETED);
        allow(JobEvent.FAIL_RETRYABLE, JobState.RUNNING, JobState.SCHEDULED);
        allow(JobEvent.FAIL_PERMANENT, JobState.RUNNING, JobState.FAILED);
        allow(JobEvent.EXHAUST, JobState.RUNNING, JobState.DEAD_LETTER);
        allow(JobEvent.RESCUE, JobState.RUNNING, JobState.SCHEDULED);
        allow(JobEvent.RESCUE_EXHAUSTED, JobState.RUNNING, JobState.DEAD_LETTER);
        allow(JobEvent.RELEASE, JobState.RUNNING, JobState.SCHEDULED);
        allow(JobEvent.CANCEL, JobState.PENDING, JobState.CANCELLED);
        allow(JobEvent.CANCEL, JobState.SCHEDULED, JobState.CANCELLED);
        allow(JobEvent.CANCEL, JobState.RUNNING, JobState.CANCELLED);
        allow(JobEvent.REDRIVE, JobState.FAILED, JobState.SCHEDULED);
        allow(JobEvent.REDRIVE, JobState.DEAD_LETTER, JobState.SCHEDULED);
        allow(JobEvent.DEPENDENCY_CANCELLED, JobState.PENDING, JobState.CANCELLED);
        allow(JobEvent.REDRIVE_PENDING, JobState.FAILED, JobState.PENDING);
        allow(JobEvent.REDRIVE_PENDING, JobState.DEAD_LETTER, JobState.PENDING);
    }

    static Stream<Arguments> matrix() {
        return Stream.of(JobEvent.values())
                .filter(e -> e != JobEvent.SUBMIT && e != JobEvent.SUBMIT_PENDING)
                .flatMap(e -> Stream.of(JobState.values()).map(s -> Arguments.of(s, e)));
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("matrix")
    void everyStateAndEventPairFollowsTheTable(JobState from, JobEvent event) {
        JobState expected = EXPECTED.getOrDefault(event, Map.of()).get(from);
        if (expected == null) {
            assertThat(JobTransitions.allows(from, event)).isFalse();
            assertThatThrownBy(() -> JobTransitions.target(from, event))
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining(event.name()).hasMessageContaining(from.name());
        } else {
            assertThat(JobTransitions.allows(from, event)).isTrue();
            assertThat(JobTransitions.target(from, event)).isEqualTo(expected);
        }
    }

    @Test
    void submissionCreatesScheduledOrPendingJobsAndNothingElse() {
        assertThat(JobTransitions.target(null, JobEvent.SUBMIT)).isEqualTo(JobState.SCHEDULED);
        assertThat(JobTransitions.target(null, JobEvent.SUBMIT_PENDING)).isEqualTo(JobState.PENDING);
        for (JobState s : JobState.values()) {
            assertThatThrownBy(() -> JobTransitions.target(s, JobEvent.SUBMIT)).isInstanceOf(IllegalTransitionException.class);
        }
    }

    @Test
    void terminalStatesAreLeftOnlyByAnOperatorsRedrive() {
        for (JobState terminal : JobState.values()) {
            if (!terminal.isTerminal()) {
                continue;
            }
            for (JobEvent e : JobEvent.values()) {
                if (JobTransitions.allows(terminal, e)) {
                    assertThat(e).isIn(JobEvent.REDRIVE, JobEvent.REDRIVE_PENDING);
                }
            }
        }
    }

    @Test
    void everyMoveOutOfRunningTargetsTheStateTheStoreWrites() {
        for (JobEvent e : JobEvent.values()) {
            if (JobTransitions.sources(e).contains(JobState.RUNNING)) {
                assertThat(JobTransitions.targetOf(e)).isNotEqualTo(JobState.RUNNING);
            }
        }
    }
}
