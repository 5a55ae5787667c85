package dev.dukequeue.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.resource.spi.InvalidPropertyException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JobActivationSpecTest {

    private static JobActivationSpec spec(String types, Integer concurrency) {
        JobActivationSpec spec = new JobActivationSpec();
        spec.setJobTypes(types);
        spec.setMaxConcurrency(concurrency);
        return spec;
    }

    @Test
    void typesAreSplitOnCommasTrimmedAndDeduplicatedInOrder() throws Exception {
        JobActivationSpec spec = spec(" invoice.send, mail:welcome ,invoice.send", 4);
        spec.validate();
        assertThat(spec.types()).containsExactly("invoice.send", "mail:welcome");
    }

    @Test
    void jobTypeIsTheSameSettingAsJobTypes() throws Exception {
        JobActivationSpec spec = new JobActivationSpec();
        spec.setJobType("report.build");
        spec.validate();
        assertThat(spec.types()).containsExactly("report.build");
        assertThat(spec.getMaxConcurrency()).isEqualTo(JobActivationSpec.DEFAULT_CONCURRENCY);
    }

    @Test
    void missingOrEmptyTypesAreRefusedNamingTheProperty() {
        assertRefused(spec(null, 1), "jobTypes", "jobTypes is required");
        assertRefused(spec("  ", 1), "jobTypes", "jobTypes is required");
        assertRefused(spec(" , ,", 1), "jobTypes", "names no type");
    }

    @Test
    void aTypeBreakingTheTypeRuleIsRefusedNamingIt() {
        assertRefused(spec("ok.type,bad type", 1), "jobTypes", "'bad type' is not a job type");
        assertRefused(spec("x".repeat(129), 1), "jobTypes", "is not a job type");
    }

    @Test
    void aTypeOf128CharactersIsAccepted() throws Exception {
        spec("x".repeat(128), 1).validate();
    }

    @Test
    void atMost64TypesAreAccepted() throws Exception {
        spec(types(64), 1).validate();
        assertRefused(spec(types(65), 1), "jobTypes", "at most 64 types, got 65");
    }

    @Test
    void maxConcurrencyIsBoundedOneToAThousand() throws Exception {
        spec("a", 1).validate();
        spec("a", 1000).validate();
        assertRefused(spec("a", 0), "maxConcurrency", "maxConcurrency must be 1..1000, got 0");
        assertRefused(spec("a", 1001), "maxConcurrency", "got 1001");
        assertRefused(spec("a", null), "maxConcurrency", "got null");
    }

    @Test
    void queueIsOptionalTrimmedAndHeldToTheQueueNameRuleUpTo64Characters() throws Exception {
        JobActivationSpec any = spec("a", 1);
        any.validate();
        assertThat(any.onlyQueue()).isNull();
        JobActivationSpec blank = spec("a", 1);
        blank.setQueue("  ");
        blank.validate();
        assertThat(blank.onlyQueue()).as("blank is every queue").isNull();
        JobActivationSpec vip = spec("a", 1);
        vip.setQueue(" vip.mail ");
        vip.validate();
        assertThat(vip.onlyQueue()).isEqualTo("vip.mail");
        JobActivationSpec longest = spec("a", 1);
        longest.setQueue("q".repeat(64));
        longest.validate();
        JobActivationSpec tooLong = spec("a", 1);
        tooLong.setQueue("q".repeat(65));
        assertRefused(tooLong, "queue", "is not a queue name");
        JobActivationSpec bad = spec("a", 1);
        bad.setQueue("vip mail");
        assertRefused(bad, "queue", "queue: 'vip mail' is not a queue name");
    }

    @Test
    void anOverlongTypeListIsRefusedBeforeItIsSplit() {
        assertRefused(spec("a,".repeat(5000), 1), "jobTypes", "jobTypes must be at most");
    }

    private static String types(int n) {
        return IntStream.range(0, n).mapToObj(i -> "type." + i).collect(Collectors.joining(","));
    }

    private static void assertRefused(JobActivationSpec spec, String property, String message) {
        assertThatThrownBy(spec::validate).isInstanceOf(InvalidPropertyException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((InvalidPropertyException) e).getInvalidPropertyDescriptors())
                        .extracting(java.beans.PropertyDescriptor::getName).containsExactly(property));
    }
}
