package dev.leakwatch.detect.site;

/**
 * A decoded profile does not have the shape its declared kind requires, e.g. a "heap" capture without an
 * {@code inuse_space} sample type. The message names the kind, what is missing and what the profile has.
 */
public class ProfileShapeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProfileShapeException(String message) {
        super(message);
    }
}
