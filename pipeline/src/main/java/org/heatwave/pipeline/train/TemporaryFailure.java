package org.heatwave.pipeline.train;

/**
 * A failure worth retrying later, as it is: the cluster is unreachable, a lock is held. Exit code 75
 * ({@code EX_TEMPFAIL}).
 */
public final class TemporaryFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TemporaryFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
