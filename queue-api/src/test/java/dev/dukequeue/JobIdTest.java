package dev.dukequeue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobIdTest {

    @Test
    void textFormRoundTrips() {
        JobId id = JobId.random();
        assertThat(JobId.parse(id.toString())).isEqualTo(id);
    }

    @Test
    void newIdsAreVersion7UuidsThatSortByTheMillisecondTheyWereMadeIn() throws InterruptedException {
        JobId first = JobId.random();
        long before = System.currentTimeMillis();
        while (System.currentTimeMillis() == before) {
            Thread.onSpinWait(); // the next millisecond
        }
        JobId second = JobId.random();
        assertThat(first.value().version()).isEqualTo(7);
        assertThat(first.value().variant()).isEqualTo(2);
        assertThat(first.toString()).isLessThan(second.toString()); // as text, as the database compares them
        assertThat(first.value().getMostSignificantBits() >>> 16).isLessThanOrEqualTo(before);
    }

    @Test
    void newIdsAreUnique() {
        java.util.Set<JobId> ids = new java.util.HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(ids.add(JobId.random())).isTrue();
        }
    }

    @Test
    void parseNamesWhatIsWrong() {
        assertThatThrownBy(() -> JobId.parse("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UUID").hasMessageContaining("nope");
        assertThatThrownBy(() -> JobId.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void terminalStatesAreExactlyTheFinishedOnes() {
        assertThat(JobState.COMPLETED.isTerminal()).isTrue();
        assertThat(JobState.FAILED.isTerminal()).isTrue();
        assertThat(JobState.DEAD_LETTER.isTerminal()).isTrue();
        assertThat(JobState.CANCELLED.isTerminal()).isTrue();
        assertThat(JobState.PENDING.isTerminal()).isFalse();
        assertThat(JobState.SCHEDULED.isTerminal()).isFalse();
        assertThat(JobState.RUNNING.isTerminal()).isFalse();
    }
}
