package dev.dukequeue.engine.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.TemporaryJobException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ErrorClassificationTest {

    @Test
    void permanentExceptionIsPermanent() {
        assertThat(Dispatcher.classify(new PermanentJobException("bad payload"))).isEqualTo(ErrorCategory.PERMANENT);
    }

    @Test
    void checkedAndDeclaredTemporaryExceptionsAreTemporary() {
        assertThat(Dispatcher.classify(new IOException("connection refused"))).isEqualTo(ErrorCategory.TEMPORARY);
        assertThat(Dispatcher.classify(new TemporaryJobException("busy"))).isEqualTo(ErrorCategory.TEMPORARY);
    }

    @Test
    void bugsAndErrorsAreSystemFailures() {
        assertThat(Dispatcher.classify(new NullPointerException())).isEqualTo(ErrorCategory.SYSTEM);
        assertThat(Dispatcher.classify(new ArrayIndexOutOfBoundsException(3))).isEqualTo(ErrorCategory.SYSTEM);
        assertThat(Dispatcher.classify(new StackOverflowError())).isEqualTo(ErrorCategory.SYSTEM);
        assertThat(Dispatcher.classify(new OutOfMemoryError("test"))).isEqualTo(ErrorCategory.SYSTEM);
    }
}
