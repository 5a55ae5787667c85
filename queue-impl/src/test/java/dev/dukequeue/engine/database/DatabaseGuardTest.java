package dev.dukequeue.engine.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dukequeue.QueueUnavailableException;
import dev.dukequeue.engine.observe.EngineMetrics;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

/** What the guard records of a failed store call, whatever the fault-tolerance policy made of it. */
class DatabaseGuardTest {

    private final AtomicLong counted = new AtomicLong();

    private DatabaseGuard guard(GuardedCalls policy) {
        DatabaseGuard guard = new DatabaseGuard();
        guard.guarded = policy;
        guard.clock = java.time.Clock.fixed(OPENED, java.time.ZoneOffset.UTC);
        guard.metrics = new EngineMetrics() {
            @Override
            public void persistenceErrors(long n) {
                counted.addAndGet(n);
            }
        };
        return guard;
    }

    private static StoreException down() {
        return new StoreException("claim", new SQLException("Connection refused", "08001"));
    }

    @Test
    void aCallWhoseRetriesTheOpeningCircuitCutShortIsCountedAsAFailureWithItsCause() {
        // Other threads' failures opened the circuit between this call's first try and its retry.
        DatabaseGuard guard = guard(new GuardedCalls() {
            @Override
            public <T> T call(Callable<T> operation) throws Exception {
                try {
                    operation.call();
                } catch (StoreException first) {
                    throw new CircuitBreakerOpenException("open");
                }
                throw new AssertionError("the operation was meant to fail");
            }
        });

        assertThatThrownBy(() -> guard.call("claim", () -> {
            throw down();
        })).isInstanceOf(QueueUnavailableException.class).hasMessageContaining("Connection refused");
        assertThat(counted).hasValue(1);
        assertThat(guard.failures()).isEqualTo(1);
        assertThat(guard.available()).isFalse();
        assertThat(guard.lastError()).hasValueSatisfying(e -> assertThat(e).startsWith("claim: "));
        assertThat(guard.openSince()).as("stamped by the engine's clock").hasValue(OPENED);
    }

    private static final java.time.Instant OPENED = java.time.Instant.parse("2026-12-03T08:00:00Z");

    @Test
    void aCallRefusedByAnOpenCircuitWithoutTryingIsNotAFailureOfTheDatabase() {
        DatabaseGuard guard = guard(new GuardedCalls() {
            @Override
            public <T> T call(Callable<T> operation) {
                throw new CircuitBreakerOpenException("open");
            }
        });

        assertThatThrownBy(() -> guard.call("claim", () -> 1)).isInstanceOf(QueueUnavailableException.class);
        assertThat(counted).hasValue(0);
        assertThat(guard.available()).isFalse();
    }

    @Test
    void aCallThatFailsAfterItsRetriesIsCountedOnceAndTheFirstSuccessClosesTheCircuit() {
        DatabaseGuard guard = guard(new GuardedCalls() {
            @Override
            public <T> T call(Callable<T> operation) throws Exception {
                return operation.call();
            }
        });

        assertThatThrownBy(() -> guard.call("claim", () -> {
            throw down();
        })).isInstanceOf(StoreException.class);
        assertThat(counted).hasValue(1);
        assertThat(guard.call("claim", () -> 7)).isEqualTo(7);
        assertThat(guard.available()).isTrue();
    }
}
