package dev.dukequeue.engine.config;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * An {@link EngineConfig} outside a container: every key at its declared default unless overridden, then checked as at
 * start-up (so a bad value throws the same message naming the key).
 */
public final class TestEngineConfig {

    private TestEngineConfig() {
    }

    /** @return the configuration with the given keys (MicroProfile Config names) set, the others at their defaults */
    public static EngineConfig with(Map<String, String> values) {
        EngineConfig config = new EngineConfig();
        for (Field f : EngineConfig.class.getDeclaredFields()) {
            ConfigProperty p = f.getAnnotation(ConfigProperty.class);
            if (p == null) {
                continue;
            }
            String text = values.containsKey(p.name()) ? values.get(p.name())
                    : ConfigProperty.UNCONFIGURED_VALUE.equals(p.defaultValue()) ? null : p.defaultValue();
            try {
                f.setAccessible(true);
                f.set(config, convert(f, text));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        config.check();
        return config;
    }

    private static Object convert(Field f, String text) {
        Class<?> type = f.getType();
        if (type == Optional.class) {
            Class<?> inner = (Class<?>) ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
            return Optional.ofNullable(text == null ? null : parse(inner, text));
        }
        if (text == null) {
            throw new IllegalStateException(f.getName() + " has no default and was not given");
        }
        return parse(type, text);
    }

    private static Object parse(Class<?> type, String text) {
        if (type == int.class || type == Integer.class) {
            return Integer.parseInt(text);
        }
        if (type == long.class || type == Long.class) {
            return Long.parseLong(text);
        }
        if (type == double.class) {
            return Double.parseDouble(text);
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(text);
        }
        if (type == Duration.class) {
            return Duration.parse(text);
        }
        return text;
    }
}
