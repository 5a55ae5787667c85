package dev.dukequeue.engine.job;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Maps {@link Instant} to whatever the JDBC driver returns for an absolute timestamp column: PostgreSQL's driver
 * gives a {@link Timestamp} for timestamptz, H2's an {@link OffsetDateTime} for TIMESTAMP WITH TIME ZONE, MariaDB's
 * a {@link Timestamp} or a {@link LocalDateTime} in the UTC session the data source sets up. The column type is
 * declared as Object so that EclipseLink hands over the driver's value untouched; the entities are read-only, so
 * the write direction only matters for query parameters.
 */
@Converter
public class InstantConverter implements AttributeConverter<Instant, Object> {

    @Override
    public Object convertToDatabaseColumn(Instant attribute) {
        return attribute == null ? null : Timestamp.from(attribute);
    }

    @Override
    public Instant convertToEntityAttribute(Object dbData) {
        if (dbData == null) {
            return null;
        }
        if (dbData instanceof Timestamp t) {
            return t.toInstant();
        }
        if (dbData instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (dbData instanceof ZonedDateTime z) {
            return z.toInstant();
        }
        if (dbData instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC); // MariaDB sessions run in UTC
        }
        if (dbData instanceof Instant i) {
            return i;
        }
        if (dbData instanceof java.util.Date d) {
            return d.toInstant();
        }
        throw new IllegalArgumentException("cannot read a " + dbData.getClass().getName() + " as an instant");
    }
}
