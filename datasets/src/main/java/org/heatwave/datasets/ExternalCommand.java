package org.heatwave.datasets;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The package clients the dataset fetchers call ({@code apt-get}, {@code dpkg-deb}, {@code npm},
 * {@code tar}): run with a time limit, output kept in a log file and quoted in the error when they fail.
 */
final class ExternalCommand {
    private static final Logger LOG = Logger.getLogger(ExternalCommand.class.getName());
    private static final int OUTPUT_TAIL_CHARS = 4000;

    private ExternalCommand() {
    }

    /**
     * Runs {@code command} in {@code workDir} with its output in {@code log}.
     *
     * @param needs what to tell the user when the command cannot be started, e.g. "fashion-mnist needs
     *              apt-get and dpkg-deb, as on Debian or Ubuntu"
     * @throws IOException naming the command and quoting its output if it cannot start, fails or times out
     */
    static void run(List<String> command, Path workDir, Path log, Duration timeout, String needs) throws IOException {
        String shown = String.join(" ", command);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException(String.format("cannot run '%s' (%s): %s", shown, needs, e.getMessage()), e);
        }
        process.getOutputStream().close();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.format("'%s' did not finish within %d minutes; its output:%n%s",
                        shown, timeout.toMinutes(), tail(log)));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running '" + shown + "'");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.format("'%s' failed with exit code %d in %s; its output:%n%s",
                    shown, process.exitValue(), workDir, tail(log)));
        }
    }

    private static String tail(Path log) throws IOException {
        String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "";
        if (text.isEmpty()) {
            return "(no output)";
        }
        return text.length() <= OUTPUT_TAIL_CHARS ? text : "..." + text.substring(text.length() - OUTPUT_TAIL_CHARS);
    }

    /** Removes {@code dir} and everything under it; logs (does not throw) when that fails. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, e, () -> "could not remove the temporary directory " + dir);
        }
    }
}
