package dev.dukequeue.connector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The engine's settings in the adapter: MicroProfile Config as everywhere (system properties, environment variables,
 * {@code microprofile-config.properties}), with the adapter's own config properties ({@code ra.xml}, or the server's
 * {@code asadmin create-resource-adapter-config --property}) as an alternative of lower precedence: any MicroProfile
 * source overrides them.
 *
 * <p>One key is pinned: {@code dukequeue.node.role} is always {@code worker} here. The adapter's engine runs the
 * message-driven beans' jobs; the setting is for an admin WAR deployed next to it ({@code dukequeue.node.role=admin},
 * often a system property, which the adapter would otherwise read too).
 */
final class AdapterSettings {

    /** Below the environment (300), system properties (400) and microprofile-config.properties (100). */
    static final int ORDINAL = 50;

    /** The key this adapter pins to {@code worker}. */
    static final String ROLE = "dukequeue.node.role";

    private AdapterSettings() {
    }

    private static ConfigSource source(String name, int ordinal, Map<String, String> values) {
        Map<String, String> copy = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        return new ConfigSource() {
            @Override
            public Set<String> getPropertyNames() {
                return copy.keySet();
            }

            @Override
            public String getValue(String key) {
                return copy.get(key);
            }

            @Override
            public String getName() {
                return name;
            }

            @Override
            public int getOrdinal() {
                return ordinal;
            }
        };
    }

    /**
     * @param adapterProperties {@code dukequeue.*} keys from the adapter's config properties
     * @param loader            the adapter's class loader (its {@code microprofile-config.properties}, its converters)
     */
    static Config build(Map<String, String> adapterProperties, ClassLoader loader) {
        ConfigSource adapter = source("dukequeue.rar config-properties", ORDINAL, adapterProperties);
        return ConfigProviderResolver.instance().getBuilder().forClassLoader(loader).addDefaultSources()
                .addDiscoveredSources().addDiscoveredConverters().withSources(adapter, source("dukequeue.rar pinned",
                        Integer.MAX_VALUE, Map.of(ROLE, "worker"))).build();
    }

    /**
     * Parses the adapter's {@code settings} property: {@code key=value} pairs separated by {@code ;} or new lines.
     *
     * @throws IllegalArgumentException naming the pair that is not {@code key=value} or whose key is not a
     *                                  {@code dukequeue.} setting
     */
    static Map<String, String> parse(String settings) {
        Map<String, String> out = new LinkedHashMap<>();
        if (settings == null || settings.isBlank()) {
            return out;
        }
        if (settings.length() > 16_384) {
            throw new IllegalArgumentException("settings must be at most 16384 characters, got " + settings.length());
        }
        for (String pair : settings.split("[;\\n]")) {
            String p = pair.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("settings: '" + p + "' is not key=value");
            }
            String key = p.substring(0, eq).strip();
            if (!key.startsWith("dukequeue.")) {
                throw new IllegalArgumentException("settings: '" + key + "' is not a dukequeue. setting");
            }
            out.put(key, p.substring(eq + 1).strip());
        }
        return out;
    }
}
