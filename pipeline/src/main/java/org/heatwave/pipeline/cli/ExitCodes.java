package org.heatwave.pipeline.cli;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;
import org.heatwave.datasets.DatasetFormatException;
import org.heatwave.pipeline.config.ConfigurationException;
import org.heatwave.pipeline.io.OutputExistsException;
import org.heatwave.pipeline.train.TemporaryFailure;

/**
 * The exit codes of the command line, from {@code sysexits.h}, so a scheduler can tell failures apart:
 * retry a temporary one, alert on bad data, fix a configuration.
 *
 * <table>
 *   <caption>exit codes</caption>
 *   <tr><td>0</td><td>success (also: resuming a run that had finished)</td></tr>
 *   <tr><td>64</td><td>{@code EX_USAGE}: wrong command line (unknown option, missing argument)</td></tr>
 *   <tr><td>65</td><td>{@code EX_DATAERR}: malformed input data (the message names file, record and field)</td></tr>
 *   <tr><td>66</td><td>{@code EX_NOINPUT}: an input that does not exist (data directory, model, run to resume)</td></tr>
 *   <tr><td>73</td><td>{@code EX_CANTCREAT}: the output exists (a run never writes into a directory it did not create)</td></tr>
 *   <tr><td>75</td><td>{@code EX_TEMPFAIL}: worth retrying later (cluster unreachable, lock held)</td></tr>
 *   <tr><td>78</td><td>{@code EX_CONFIG}: an invalid configuration (the message names the key)</td></tr>
 *   <tr><td>1</td><td>any other failure, divergence included, with its message</td></tr>
 * </table>
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 64;
    public static final int DATA_ERROR = 65;
    public static final int NO_INPUT = 66;
    public static final int CANNOT_CREATE = 73;
    public static final int TEMPORARY_FAILURE = 75;
    public static final int CONFIG = 78;

    private ExitCodes() {
    }

    /** The exit code for a failure: the first cause in the chain that has one decides. */
    public static int of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatasetFormatException) {
                return DATA_ERROR;
            }
            if (t instanceof FileNotFoundException || t instanceof NoSuchFileException) {
                return NO_INPUT;
            }
            if (t instanceof OutputExistsException) {
                return CANNOT_CREATE;
            }
            if (t instanceof ConfigurationException) {
                return CONFIG;
            }
            if (t instanceof ConnectException || t instanceof TemporaryFailure) {
                return TEMPORARY_FAILURE;
            }
        }
        return FAILURE;
    }
}
