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
