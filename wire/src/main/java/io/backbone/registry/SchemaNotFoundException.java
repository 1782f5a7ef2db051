package io.backbone.registry;

/** The registry has no schema, subject or version by that name or id (HTTP 404). */
public class SchemaNotFoundException extends SchemaRegistryException {
    public SchemaNotFoundException(int errorCode, String message) {
        super(404, errorCode, message);
    }
}
