package dev.dukequeue.engine.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * A MicroProfile Config over a map, with the converters a MicroProfile Config implementation has for the types the
 * engine reads (no implementation is on the test class path): what a host hands {@code EngineConfig.from}.
 */
public final class MapConfig implements Config {

    private static final Map<Class<?>, Converter<?>> CONVERTERS = Map.of(
            String.class, (Converter<String>) s -> s,
            Integer.class, (Converter<Integer>) s -> Integer.valueOf(s.trim()),
            Long.class, (Converter<Long>) s -> Long.valueOf(s.trim()),
            Double.class, (Converter<Double>) s -> Double.valueOf(s.trim()),
            Boolean.class, (Converter<Boolean>) s -> Boolean.valueOf(s.trim()),
            Duration.class, (Converter<Duration>) s -> Duration.parse(s.trim()));

    private final Map<String, String> values;

    public MapConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    @Override
    public <T> T getValue(String name, Class<T> type) {
        return getOptionalValue(name, type).orElseThrow(() -> new NoSuchElementException(name));
    }

    @Override
    public ConfigValue getConfigValue(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
        String text = values.get(name);
        if (text == null) {
            return Optional.empty();
        }
        return Optional.of(getConverter(type).orElseThrow(() -> new IllegalArgumentException("no converter for "
                + type)).convert(text));
    }

    @Override
    public Iterable<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public Iterable<ConfigSource> getConfigSources() {
        return List.of();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<Converter<T>> getConverter(Class<T> type) {
        return Optional.ofNullable((Converter<T>) CONVERTERS.get(type));
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        throw new IllegalArgumentException(type.getName());
    }
}
