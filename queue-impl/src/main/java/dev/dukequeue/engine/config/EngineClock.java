package dev.dukequeue.engine.config;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The engine's {@link java.time.Clock}: this node's wall clock, wherever the engine reads local time (the database's
 * clock decides everything about jobs; this one only stamps what the node itself reports). A qualifier, so that an
 * application deployed with the engine may produce its own {@code Clock} without making the engine's injection
 * ambiguous. Produced by {@link EngineClocks}; a test sets a fixed or moving clock instead.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER})
public @interface EngineClock {
}
