package dev.dukequeue.engine.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler that only runs when {@code dukequeue.demo.enabled} is true ({@link EngineConfig#demoEnabled()}): the
 * handler registry skips it otherwise. The demo handlers (module {@code queue-demo}, packed into the runnable jar only)
 * carry it; it lives with the setting it stands for, so that the engine never depends on the demo module.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DemoHandler {
}
