package org.triage.picture;

/** A picture that could not be decoded; the message is the reason as the report gives it. */
public final class PictureException extends Exception {
    public PictureException(String reason) {
        super(reason);
    }

    public PictureException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
