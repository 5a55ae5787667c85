package dev.dukequeue.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdapterSettingsTest {

    @Test
    void pairsAreSeparatedBySemicolonsOrNewLinesAndTrimmed() {
        assertThat(AdapterSettings.parse(" dukequeue.workers = 4 ;dukequeue.poll.interval.ms=200\n dukequeue.node.name=a "))
                .containsExactly(java.util.Map.entry("dukequeue.workers", "4"),
                        java.util.Map.entry("dukequeue.poll.interval.ms", "200"),
                        java.util.Map.entry("dukequeue.node.name", "a"));
    }

    @Test
    void nothingGivenIsNoSettings() {
        assertThat(AdapterSettings.parse(null)).isEmpty();
        assertThat(AdapterSettings.parse(" ; ;")).isEmpty();
    }

    @Test
    void aPairWithoutKeyOrEqualsIsRefusedNamingIt() {
        assertThatThrownBy(() -> AdapterSettings.parse("dukequeue.workers"))
                .hasMessage("settings: 'dukequeue.workers' is not key=value");
        assertThatThrownBy(() -> AdapterSettings.parse("=4")).hasMessage("settings: '=4' is not key=value");
    }

    @Test
    void onlyDukeQueueKeysAreAccepted() {
        assertThatThrownBy(() -> AdapterSettings.parse("java.io.tmpdir=/x"))
                .hasMessage("settings: 'java.io.tmpdir' is not a dukequeue. setting");
    }

    @Test
    void settingsAreBoundedIn16KiB() {
        String pad = "dukequeue.a=" + "x".repeat(16_384 - 12);
        assertThat(AdapterSettings.parse(pad)).hasSize(1);
        assertThatThrownBy(() -> AdapterSettings.parse(pad + "x"))
                .hasMessage("settings must be at most 16384 characters, got 16385");
    }
}
