package dev.dukequeue.engine.dispatch;

import dev.dukequeue.InvalidJobRequestException;
import dev.dukequeue.engine.job.Lease;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.io.StringReader;

/** Checkpoints and progress of running attempts: written at once, through the guard and the lease fence. */
final class StoreProgressSink implements ProgressSink {

    private final Jsonb jsonb = JsonbBuilder.create();
    private final JdbcJobStore store;
    private final DatabaseGuard database;
    private final int maxBytes;

    /** @param maxBytes {@code dukequeue.payload.max.bytes}: the largest checkpoint */
    StoreProgressSink(JdbcJobStore store, DatabaseGuard database, int maxBytes) {
        this.store = store;
        this.database = database;
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean checkpoint(Lease lease, String json) {
        return database.call("checkpoint of " + lease.jobId(), () -> store.saveCheckpoint(lease, json));
    }

    @Override
    public boolean progress(Lease lease, int percent, String message) {
        return database.call("progress of " + lease.jobId(), () -> store.saveProgress(lease, percent, message));
    }

    @Override
    public int maxBytes() {
        return maxBytes;
    }

    @Override
    public String toJson(Object value) {
        try {
            return jsonb.toJson(value);
        } catch (JsonbException e) {
            throw new InvalidJobRequestException("checkpoint", "cannot be mapped to JSON: " + e.getMessage());
        }
    }

    @Override
    public <T> T fromJson(String json, Class<T> type) {
        if (type == String.class || type == Object.class) {
            return type.cast(json);
        }
        if (JsonValue.class.isAssignableFrom(type)) {
            try (JsonReader r = HandlerRegistry.JSON.createReader(new StringReader(json))) {
                return type.cast(r.readValue());
            }
        }
        return jsonb.fromJson(json, type);
    }
}
