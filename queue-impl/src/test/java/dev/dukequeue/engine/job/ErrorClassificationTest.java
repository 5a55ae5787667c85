package dev.dukequeue.engine.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.TemporaryJobException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ErrorClassificationTest {

    @Test
    void permanentExceptionIsPermanent() {
        assertThat(OutcomePolicy.classify(new PermanentJobException("bad payload"))).isEqualTo(ErrorCategory.PERMANENT);
    }

    @Test
    void checkedAndDeclaredTemporaryExceptionsAreTemporary() {
        assertThat(OutcomePolicy.classify(new IOException("connection refused"))).isEqualTo(ErrorCategory.TEMPORARY);
        assertThat(OutcomePolicy.classify(new TemporaryJobException("busy"))).isEqualTo(ErrorCategory.TEMPORARY);
    }

    @Test
    void bugsAndErrorsAreSystemFailures() {
        assertThat(OutcomePolicy.classify(new NullPointerException())).isEqualTo(ErrorCategory.SYSTEM);
        assertThat(OutcomePolicy.classify(new ArrayIndexOutOfBoundsException(3))).isEqualTo(ErrorCategory.SYSTEM);
        assertThat(OutcomePolicy.classify(new StackOverflowError())).isEqualTo(ErrorCategory.SYSTEM);
        assertThat(OutcomePolicy.classify(new OutOfMemoryError("test"))).isEqualTo(ErrorCategory.SYSTEM);
    }
}
