package org.heatwave.pipeline;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.heatwave.pipeline.cli.Main;

/**
 * The command line of a new JVM running heatwave's command line with this test JVM's flags and class path — a driver
 * that a test can kill for real (a driver killed mid-training, a retraining halted in each phase).
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** {@code java FLAGS -Xmx1g (Spark on loopback) PROPERTIES -cp … Main ARGS}. */
    public static List<String> heatwave(List<String> systemProperties, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Xmx") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
                command.add(a);
            }
        }
        command.addAll(List.of("-Xmx1g", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
                "-Dspark.driver.bindAddress=127.0.0.1"));
        command.addAll(systemProperties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
