package dev.dukequeue.engine.config;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fills the {@link ConfigProperty} fields of an {@link EngineConfig} from a MicroProfile Config without CDI, reading
 * each key and default from the field's own annotation: the annotations stay the one list of keys and defaults.
 */
final class ConfigFields {

    private ConfigFields() {
    }

    static void fill(EngineConfig engine, Config config) {
        for (Field field : EngineConfig.class.getDeclaredFields()) {
            ConfigProperty property = field.getAnnotation(ConfigProperty.class);
            if (property == null) {
                continue;
            }
            try {
                field.set(engine, read(config, property, field));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** @throws IllegalArgumentException naming the key, if its value (or default) cannot be converted */
    private static Object read(Config config, ConfigProperty property, Field field) {
        String key = property.name();
        String fallback = ConfigProperty.UNCONFIGURED_VALUE.equals(property.defaultValue()) ? null
                : property.defaultValue();
        boolean optional = field.getType() == Optional.class;
        Class<?> type = boxed(optional
                ? (Class<?>) ((ParameterizedType) field.getGenericType()).getActualTypeArguments()[0]
                : field.getType());
        try {
            Optional<?> value = config.getOptionalValue(key, type);
            if (value.isEmpty() && fallback != null) {
                // The default goes through the same converter as a configured value, as CDI injection does.
                value = Optional.of(config.getConverter(type)
                        .orElseThrow(() -> new IllegalStateException("no converter for " + type.getName()))
                        .convert(fallback));
            }
            if (optional) {
                return value;
            }
            return value.orElseThrow(() -> new NoSuchElementException("no value and no default"));
        } catch (RuntimeException e) { // converters throw what they like (DateTimeParseException...)
            throw new IllegalArgumentException(key + " has an invalid value (expected " + type.getSimpleName()
                    + "): " + e.getMessage(), e);
        }
    }

    private static Class<?> boxed(Class<?> type) {
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        return type;
    }
}
