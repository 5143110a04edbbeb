package org.heatwave.pipeline.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The heatwave that is running, as a model's lineage records it: {@code heatwave 0.1.0-SNAPSHOT (git 96f54f4)}. The
 * build writes both: {@code build.properties} (the version, from Maven) and {@code commit.txt} ({@code git describe
 * --always --dirty}; "unknown" when built outside a git checkout).
 */
public final class CodeVersion {
    private CodeVersion() {
    }

    /** {@code heatwave VERSION (git COMMIT)}. */
    public static String describe() {
        Properties p = new Properties();
        try (InputStream in = CodeVersion.class.getResourceAsStream("/org/heatwave/pipeline/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // reported as unknown below
        }
        String commit = "";
        try (InputStream in = CodeVersion.class.getResourceAsStream("/org/heatwave/pipeline/commit.txt")) {
            if (in != null) {
                commit = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            // reported as unknown below
        }
        return "heatwave " + p.getProperty("version", "unknown") + " (git " + (commit.isEmpty() ? "unknown" : commit) + ")";
    }
}
