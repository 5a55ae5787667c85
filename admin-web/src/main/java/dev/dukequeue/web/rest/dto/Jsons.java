package dev.dukequeue.web.rest.dto;

import jakarta.json.spi.JsonProvider;

/**
 * The JSON-P provider, looked up once. {@code Jsons.JSON.createObjectBuilder()} and friends look the provider up through the
 * ServiceLoader on every call, which scans the class path's jars: with a receipt per job, that was the most expensive
 * part of a batch submission.
 */
public final class Jsons {

    public static final JsonProvider JSON = JsonProvider.provider();

    private Jsons() {
    }
}
