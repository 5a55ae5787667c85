package dev.dukequeue.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link EngineConfig#from}: the hand-built host's configuration, read with the annotations' keys and defaults. */
class EngineConfigFromTest {

    @Test
    void aMissingKeyTakesTheDefaultOfItsAnnotation() {
        EngineConfig config = EngineConfig.from(new MapConfig(Map.of()));

        assertThat(config.workers()).isEqualTo(8);
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.statsRetention()).isEqualTo(Duration.ofDays(2));
        assertThat(config.warnRatio()).isEqualTo(0.8);
        assertThat(config.retentionEnabled()).isTrue();
        assertThat(config.nodeName()).isEmpty();
        assertThat(config.livenessMaxIdle()).isEqualTo(Duration.ofMillis(500).multipliedBy(20).plusSeconds(120));
        assertThat(config.maxRunningByQueue()).isEmpty();
    }

    @Test
    void everyDefaultMatchesTheOneTheTestConfigurationReadsFromTheSameAnnotations() {
        EngineConfig fromConfig = EngineConfig.from(new MapConfig(Map.of()));
        EngineConfig fromFields = TestEngineConfig.with(Map.of());

        assertThat(fromConfig).usingRecursiveComparison().ignoringFields("source").isEqualTo(fromFields);
    }

    @Test
    void aConfiguredValueOverridesTheDefault() {
        EngineConfig config = EngineConfig.from(new MapConfig(Map.of("dukequeue.workers", "3",
                "dukequeue.dependencies.lifetime", "PT5M", "dukequeue.node.name", "node-7",
                "dukequeue.liveness.max-idle.ms", "9000", "dukequeue.demo.enabled", "true",
                "dukequeue.queue.max-running", "reports=2", "dukequeue.queue.warn-ratio", "0.5")));

        assertThat(config.workers()).isEqualTo(3);
        assertThat(config.dependencyLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.nodeName()).contains("node-7");
        assertThat(config.livenessMaxIdle()).isEqualTo(Duration.ofSeconds(9));
        assertThat(config.demoEnabled()).isTrue();
        assertThat(config.maxRunningByQueue()).containsExactly(Map.entry("reports", 2));
        assertThat(config.warnRatio()).isEqualTo(0.5);
    }

    @Test
    void perQueueKeysAreReadFromTheSameConfiguration() {
        EngineConfig config = EngineConfig.from(new MapConfig(Map.of("dukequeue.queue.max-waiting", "50",
                "dukequeue.queue.mail.max-waiting", "7")));

        assertThat(config.maxWaiting("mail")).isEqualTo(7);
        assertThat(config.maxWaiting("reports")).isEqualTo(50);
    }

    @Test
    void aValueThatCannotBeConvertedFailsNamingItsKey() {
        assertThatThrownBy(() -> EngineConfig.from(new MapConfig(Map.of("dukequeue.workers", "many"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dukequeue.workers has an invalid value");
        assertThatThrownBy(() -> EngineConfig.from(new MapConfig(Map.of("dukequeue.stats.retention", "2 days"))))
                .hasMessageStartingWith("dukequeue.stats.retention has an invalid value");
    }

    @Test
    void aValueTheStartUpChecksRefuseFailsWithTheirMessage() {
        assertThatThrownBy(() -> EngineConfig.from(new MapConfig(Map.of("dukequeue.workers", "0"))))
                .hasMessage("dukequeue.workers must be positive, got 0");
    }
}
