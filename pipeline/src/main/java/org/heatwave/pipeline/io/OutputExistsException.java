package org.heatwave.pipeline.io;

import java.io.IOException;

/**
 * An output location that already exists: heatwave never writes into a directory it did not create
 * (exit code 73, {@code EX_CANTCREAT}).
 */
public final class OutputExistsException extends IOException {
    private static final long serialVersionUID = 1L;

    public OutputExistsException(String message) {
        super(message);
    }
}
