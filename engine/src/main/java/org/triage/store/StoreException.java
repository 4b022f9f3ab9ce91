package org.triage.store;

import java.io.IOException;

/**
 * The hash store cannot be opened, read or written. The message names the store directory (or the
 * hash-list file) and says what to do where there is something to do.
 */
public class StoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
