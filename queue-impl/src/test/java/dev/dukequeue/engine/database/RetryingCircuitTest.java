package dev.dukequeue.engine.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

/**
 * The hand-built host's fault-tolerance policy ({@link RetryingCircuit}), on a clock only the test moves; the pauses
 * between retries are recorded, not slept.
 */
class RetryingCircuitTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<Long> pauses = new ArrayList<>();
    private final RetryingCircuit circuit = new RetryingCircuit(nanos::get, pauses::add);
    private final AtomicInteger tries = new AtomicInteger();

    private static StoreException down() {
        return new StoreException("claim", new SQLException("Connection refused", "08001"));
    }

    private String failing() {
        tries.incrementAndGet();
        throw down();
    }

    private String working() {
        tries.incrementAndGet();
        return "ok";
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(millis * 1_000_000);
    }

    @Test
    void aStoreFailureIsRetriedTwiceMoreWithJitteredPausesThenThrown() {
        AtomicInteger calls = new AtomicInteger();

        assertThat(callQuietly(() -> {
            if (calls.incrementAndGet() < 3) {
                throw down();
            }
            return "third time";
        })).isEqualTo("third time");
        assertThat(pauses).hasSize(2).allSatisfy(p -> assertThat(p).isBetween(0L, 200L));
    }

    @Test
    void otherExceptionsAreNeitherRetriedNorCountedAsFailures() {
        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> circuit.call(() -> {
                tries.incrementAndGet();
                throw new IllegalArgumentException("bad input");
            })).isInstanceOf(IllegalArgumentException.class);
        }

        assertThat(tries).hasValue(6);
        assertThat(circuit.isOpen()).isFalse();
    }

    @Test
    void theCircuitOpensWhenThreeOfTheLastFourTriesFailedAndRefusesCallsWithoutRunningThem() {
        assertThat(callQuietly(this::working)).isEqualTo("ok");
        assertThatThrownBy(() -> circuit.call(this::failing)).isInstanceOf(StoreException.class);

        // 1 success then 3 failed tries (one call and its two retries): 3 of the last 4 failed.
        assertThat(tries).hasValue(4);
        assertThat(circuit.isOpen()).isTrue();
        assertThatThrownBy(() -> circuit.call(this::working)).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(tries).as("refused calls do not run").hasValue(4);
    }

    @Test
    void twoFailuresInFourTriesKeepItClosed() {
        callQuietly(this::working);
        callQuietly(this::working);

        assertThat(callQuietly(() -> {
            if (tries.incrementAndGet() <= 4) {
                throw down(); // tries 3 and 4 fail: 2 of the last 4
            }
            return "ok";
        })).isEqualTo("ok");
        assertThat(circuit.isOpen()).isFalse();
    }

    @Test
    void afterItsDelayOneTrialCallGoesThroughAndItsSuccessClosesTheCircuit() throws Exception {
        open();
        advanceMillis(2_999);
        assertThatThrownBy(() -> circuit.call(this::working)).isInstanceOf(CircuitBreakerOpenException.class);

        advanceMillis(1);
        assertThat(circuit.call(this::working)).isEqualTo("ok");

        assertThat(circuit.isOpen()).isFalse();
        assertThat(circuit.call(this::working)).isEqualTo("ok");
    }

    @Test
    void aFailedTrialCallOpensItAgainForAnotherDelay() {
        open();
        advanceMillis(3_000);
        int before = tries.get();

        assertThatThrownBy(() -> circuit.call(this::failing)).isInstanceOf(CircuitBreakerOpenException.class)
                .as("the trial failed, reopening the circuit: its retry is refused");
        assertThat(tries.get() - before).as("one trial call").isEqualTo(1);
        assertThat(circuit.isOpen()).isTrue();

        advanceMillis(2_000);
        assertThatThrownBy(() -> circuit.call(this::working)).isInstanceOf(CircuitBreakerOpenException.class);
    }

    @Test
    void theDatabaseGuardReportsTheOpenCircuitAsUnavailable() {
        DatabaseGuard guard = new DatabaseGuard(GuardedCalls.programmatic(circuit),
                new dev.dukequeue.engine.observe.EngineMetrics(null), java.time.Clock.systemUTC());

        assertThatThrownBy(() -> guard.call("claim", this::failing)).isInstanceOf(StoreException.class);
        assertThat(guard.available()).isTrue();
        // Its first try is the fourth failure in a row: the circuit opens and refuses the retry.
        assertThatThrownBy(() -> guard.call("claim", this::failing))
                .isInstanceOf(dev.dukequeue.QueueUnavailableException.class);
        assertThat(guard.available()).isFalse();

        advanceMillis(3_000);
        assertThat(guard.call("claim", this::working)).isEqualTo("ok");
        assertThat(guard.available()).isTrue();
    }

    private void open() {
        assertThatThrownBy(() -> circuit.call(this::failing)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> circuit.call(this::failing)).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(circuit.isOpen()).isTrue();
    }

    private String callQuietly(java.util.concurrent.Callable<String> work) {
        try {
            return circuit.call(work);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
