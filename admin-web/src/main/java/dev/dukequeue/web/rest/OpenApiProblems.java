package dev.dukequeue.web.rest;

import dev.dukequeue.web.rest.dto.Problem;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Makes the OpenAPI document say what the API does on errors, in one place rather than on every method: each operation
 * lists the errors any request can meet (401; 403 for a state change; 413 and 415 with a body; 500 and 503), and every
 * 4xx and 5xx answer, listed here or on the method, has an {@value Problem#MEDIA_TYPE} body of the {@code Problem}
 * schema. Registered by {@code mp.openapi.filter} in the WAR's {@code META-INF/microprofile-config.properties}.
 */
public class OpenApiProblems implements OASFilter {

    private static final String SCHEMA = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getComponents() != null && openApi.getComponents().getResponses() != null) {
            openApi.getComponents().getResponses().forEach((name, response) -> asProblem(response));
        }
        if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openApi.getPaths().getPathItems().values()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.getOperations().entrySet()) {
                Operation operation = entry.getValue();
                if (operation.getResponses() == null) {
                    operation.setResponses(OASFactory.createAPIResponses());
                }
                APIResponses responses = operation.getResponses();
                common(responses, "401", "Unauthorized");
                if (entry.getKey() != PathItem.HttpMethod.GET && entry.getKey() != PathItem.HttpMethod.HEAD) {
                    common(responses, "403", "Forbidden");
                }
                if (operation.getRequestBody() != null) {
                    common(responses, "413", "BodyTooLarge");
                    common(responses, "415", "UnsupportedMediaType");
                }
                common(responses, "500", "Internal");
                common(responses, "503", "Unavailable");
                if (responses.getAPIResponses() != null) {
                    responses.getAPIResponses().forEach((code, response) -> {
                        if (isError(code)) {
                            asProblem(response);
                        }
                    });
                }
            }
        }
    }

    private static void common(APIResponses responses, String code, String component) {
        if (!responses.hasAPIResponse(code)) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().ref(component));
        }
    }

    private static boolean isError(String code) {
        return code.length() == 3 && (code.charAt(0) == '4' || code.charAt(0) == '5');
    }

    /** Gives an error answer (not a reference: that is the component's) the problem media type and schema. */
    private static void asProblem(APIResponse response) {
        if (response.getRef() != null) {
            return;
        }
        Content content = response.getContent();
        MediaType media = null;
        if (content != null && content.getMediaTypes() != null) {
            media = content.getMediaType(Problem.MEDIA_TYPE);
            if (media == null) {
                media = content.getMediaType("application/json");
            }
        }
        if (media == null) {
            media = OASFactory.createMediaType();
        }
        media.setSchema(OASFactory.createSchema().ref(SCHEMA));
        response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, media));
    }
}
