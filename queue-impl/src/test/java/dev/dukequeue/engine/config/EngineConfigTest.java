package dev.dukequeue.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shutdown keys' bounds, checked when the configuration is loaded: at each bound accepted, past it refused. */
class EngineConfigTest {

    @Test
    void theShutdownKeysHaveTheirDocumentedDefaults() {
        EngineConfig config = TestEngineConfig.with(Map.of());

        assertThat(config.interruptGrace()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.releaseMax()).isEqualTo(3);
    }

    @Test
    void theInterruptGraceIsBetweenZeroAndOneMinute() {
        String key = "dukequeue.shutdown.interrupt-grace.ms";
        assertThat(TestEngineConfig.with(Map.of(key, "0")).interruptGrace()).isZero();
        assertThat(TestEngineConfig.with(Map.of(key, "60000")).interruptGrace()).isEqualTo(Duration.ofMinutes(1));

        assertThatThrownBy(() -> TestEngineConfig.with(Map.of(key, "-1")))
                .hasMessage(key + " must be between 0 and 60000, got -1");
        assertThatThrownBy(() -> TestEngineConfig.with(Map.of(key, "60001")))
                .hasMessage(key + " must be between 0 and 60000, got 60001");
    }

    @Test
    void theReleaseLimitIsBetweenZeroAndOneThousand() {
        String key = "dukequeue.release.max";
        assertThat(TestEngineConfig.with(Map.of(key, "0")).releaseMax()).isZero();
        assertThat(TestEngineConfig.with(Map.of(key, "1000")).releaseMax()).isEqualTo(1000);

        assertThatThrownBy(() -> TestEngineConfig.with(Map.of(key, "-1")))
                .hasMessage(key + " must be between 0 and 1000, got -1");
        assertThatThrownBy(() -> TestEngineConfig.with(Map.of(key, "1001")))
                .hasMessage(key + " must be between 0 and 1000, got 1001");
    }
}
