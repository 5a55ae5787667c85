package dev.dukequeue.engine.job;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Maps {@link Instant} to {@link Timestamp}: every supported database stores an absolute point in time
 * (PostgreSQL timestamptz, H2 TIMESTAMP WITH TIME ZONE, MariaDB TIMESTAMP in a UTC session), and JDBC's Timestamp
 * carries one, whatever the JVM's time zone.
 */
@Converter
public class InstantConverter implements AttributeConverter<Instant, Timestamp> {

    @Override
    public Timestamp convertToDatabaseColumn(Instant attribute) {
        return attribute == null ? null : Timestamp.from(attribute);
    }

    @Override
    public Instant convertToEntityAttribute(Timestamp dbData) {
        return dbData == null ? null : dbData.toInstant();
    }
}
