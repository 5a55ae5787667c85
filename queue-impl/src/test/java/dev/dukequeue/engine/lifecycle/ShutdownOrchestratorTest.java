package dev.dukequeue.engine.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dukequeue.ShutdownStep;
import dev.dukequeue.engine.node.EngineStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class ShutdownOrchestratorTest {

    private static ShutdownOrchestrator.Step step(String name, int order, Set<String> after, Duration timeout,
            ShutdownOrchestrator.Callable work) {
        return new ShutdownOrchestrator.Step(name, order, after, timeout, work);
    }

    private static ShutdownOrchestrator.Step step(String name, int order, String... after) {
        return step(name, order, Set.of(after), Duration.ofSeconds(1), () -> "ok");
    }

    @Test
    void stepsRunAfterWhatTheyNameThenByOrder() {
        List<ShutdownOrchestrator.Step> steps = List.of(
                step("close", ShutdownStep.CLOSE, "drain"),
                step("flush-cache", ShutdownStep.APPLICATION),
                step("drain", ShutdownStep.DRAIN, "stop-claiming"),
                step("early-app", 50, "drain"),
                step("readiness-down", ShutdownStep.READINESS_DOWN),
                step("stop-claiming", ShutdownStep.STOP_CLAIMING, "readiness-down"));

        assertThat(ShutdownOrchestrator.ordered(steps)).extracting(ShutdownOrchestrator.Step::name)
                .containsExactly("readiness-down", "stop-claiming", "drain", "early-app", "flush-cache", "close");
    }

    @Test
    void aCycleOrAnUnknownDependencyDoesNotStopTheShutdown() {
        List<ShutdownOrchestrator.Step> steps = List.of(step("a", 10, "b"), step("b", 20, "a"),
                step("c", 5, "no-such-step"));

        assertThat(ShutdownOrchestrator.ordered(steps)).extracting(ShutdownOrchestrator.Step::name)
                .containsExactly("c", "a", "b");
    }

    @Test
    void aStepThatFailsOrHangsIsLoggedAndTheNextStillRuns() {
        ShutdownOrchestrator orchestrator = new ShutdownOrchestrator();
        orchestrator.status = new EngineStatus();
        List<String> ran = new CopyOnWriteArrayList<>();

        orchestrator.runStep(step("fails", 1, Set.of(), Duration.ofSeconds(1), () -> {
            throw new IllegalStateException("boom");
        }));
        orchestrator.runStep(step("hangs", 2, Set.of(), Duration.ofMillis(200), () -> {
            Thread.sleep(60_000);
            return "never";
        }));
        orchestrator.runStep(step("next", 3, Set.of(), Duration.ofSeconds(1), () -> {
            ran.add("next");
            return "done";
        }));

        assertThat(ran).containsExactly("next");
        assertThat(orchestrator.status.shutdownPhaseMillis()).containsOnlyKeys("fails", "hangs", "next");
        assertThat(orchestrator.status.shutdownPhaseMillis().get("hangs")).isBetween(150L, 5_000L);
        assertThat(List.copyOf(orchestrator.status.shutdownPhaseMillis().keySet())).as("phases keep their order")
                .containsExactly("fails", "hangs", "next");
    }

    @Test
    void theLinesWrittenToStandardErrorAreStampedWithTheEnginesClock() {
        ShutdownOrchestrator orchestrator = new ShutdownOrchestrator();
        orchestrator.clock = Clock.fixed(Instant.parse("2026-12-03T07:30:00Z"), ZoneOffset.UTC);

        assertThat(orchestrator.standardErrorLine(Level.WARNING, "shutdown phase 'drain' timed out"))
                .isEqualTo("[2026-12-03T07:30:00Z] [WARNING] [dukequeue] shutdown phase 'drain' timed out");
    }
}
