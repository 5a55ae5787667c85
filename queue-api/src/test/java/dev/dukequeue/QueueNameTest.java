package dev.dukequeue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueueNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"default", "a", ".a", "a.", "..a..", "_", "-", "billing-eu_2.v1"})
    void lettersDigitsDotsUnderscoresAndDashesAreANameWhenNotOnlyDots(String name) {
        assertThat(QueueName.isValid(name)).isTrue();
        assertThat(QueueName.require("queue", name)).isEqualTo(name);
        assertThat(JobRequest.builder("t").queue(name).build().queue()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "...", "", "a b", "a/b", "é", "a%2E"})
    void dotsOnlyEmptyAndOtherCharactersAreRefusedNamingTheField(String name) {
        assertThat(QueueName.isValid(name)).isFalse();
        assertThatThrownBy(() -> QueueName.require("queue", name)).isInstanceOfSatisfying(
                InvalidJobRequestException.class, e -> assertThat(e.field()).isEqualTo("queue"));
        assertThatThrownBy(() -> JobRequest.builder("t").queue(name).build()).isInstanceOfSatisfying(
                InvalidJobRequestException.class, e -> assertThat(e.field()).isEqualTo("queue"));
        assertThatThrownBy(() -> new RedriveFilter(null, name, null, null, null, 0)).isInstanceOfSatisfying(
                InvalidJobRequestException.class, e -> assertThat(e.field()).isEqualTo("queue"));
    }

    @Test
    void theLengthIsBoundedAt64() {
        assertThat(QueueName.isValid("q".repeat(64))).isTrue();
        assertThat(QueueName.isValid("q".repeat(65))).isFalse();
        assertThat(QueueName.isValid(null)).isFalse();
    }

    @Test
    void redriveInstantsAreWithinTheWindowNamingTheField() {
        assertThat(new RedriveFilter(null, null, null, InstantWindow.EARLIEST, InstantWindow.LATEST, 0).finishedTo())
                .isEqualTo(InstantWindow.LATEST);
        for (Instant outside : new Instant[] {InstantWindow.EARLIEST.minusSeconds(1), InstantWindow.LATEST.plusSeconds(1),
                Instant.MIN, Instant.MAX, Instant.parse("0001-01-01T00:00:00Z")}) {
            assertThatThrownBy(() -> new RedriveFilter(null, null, null, outside, null, 0)).isInstanceOfSatisfying(
                    InvalidJobRequestException.class, e -> assertThat(e.field()).isEqualTo("finishedFrom"));
            assertThatThrownBy(() -> new RedriveFilter(null, null, null, null, outside, 0)).isInstanceOfSatisfying(
                    InvalidJobRequestException.class, e -> assertThat(e.field()).isEqualTo("finishedTo"));
        }
    }
}
