package org.heatwave.pipeline.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The console's heartbeat within long iterations: a phase is printed only after the console has been silent long enough. */
class ProgressTest {

    private static String lines(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPhaseIsPrintedOnlyAfterTheHeartbeatsSilence() {
        ByteArrayOutputStream every = new ByteArrayOutputStream();
        Progress always = new Progress(new PrintStream(every, true, StandardCharsets.UTF_8), 0);
        always.working("iter 3 · CG 2/10");
        always.working("iter 3 · line search 1 · classifier solve");
        assertTrue(lines(every).startsWith("  … iter 3 · CG 2/10 · 0m0"), lines(every));
        assertEquals(2, lines(every).lines().count(), lines(every));

        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        Progress rarely = new Progress(new PrintStream(quiet, true, StandardCharsets.UTF_8), 3600);
        rarely.working("iter 3 · CG 2/10");
        rarely.line("epoch 1 done");
        rarely.working("iter 4 · loss+gradient");
        assertEquals("epoch 1 done\n", lines(quiet).replace(System.lineSeparator(), "\n"));
    }
}
