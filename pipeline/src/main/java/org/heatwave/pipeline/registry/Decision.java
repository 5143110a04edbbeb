package org.heatwave.pipeline.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.heatwave.pipeline.io.Json;

/**
 * One entry of a registry's history ({@code decisions/NNNNNN.json}), written once: what a retraining or an operator
 * decided, and why. The champion is the {@code champion} of the newest decision, so writing a decision is what moves
 * the champion pointer.
 *
 * @param number     its place in the history, from 1
 * @param decision   {@value #PROMOTED}, {@value #KEPT} (retraining), {@value #PROMOTE} or {@value #ROLLBACK} (operator);
 *                   a retraining that finds nothing new reports {@value #UNCHANGED} and writes nothing
 * @param champion   the champion's version after this decision, or null if there is none yet
 * @param challenger the version this decision was about (trained by the retraining, or named by the operator), or null
 * @param reasons    why, one finding per entry: every gate and data check that decided it
 * @param time       when (ISO-8601)
 * @param runKey     the retraining's key (snapshot and configuration), or null for an operator's decision
 * @param snapshot   the data snapshot's fingerprint, or null
 * @param report     the HTML report, relative to the registry, or null
 * @param by         who: the command and user
 */
public record Decision(int number, String decision, Integer champion, Integer challenger, List<String> reasons,
                       String time, String runKey, String snapshot, String report, String by) {
    public static final String PROMOTED = "promoted";
    public static final String KEPT = "kept";
    public static final String UNCHANGED = "unchanged";
    public static final String PROMOTE = "promote";
    public static final String ROLLBACK = "rollback";

    /**
     * The line {@code bin/heatwave retrain} prints last: {@code {"decision", "champion", "challenger", "reasons",
     * "report"}}.
     */
    public ObjectNode summary() {
        ObjectNode o = Json.object().put("decision", decision);
        if (champion == null) {
            o.putNull("champion");
        } else {
            o.put("champion", champion);
        }
        if (challenger == null) {
            o.putNull("challenger");
        } else {
            o.put("challenger", challenger);
        }
        ArrayNode r = o.putArray("reasons");
        reasons.forEach(r::add);
        if (report == null) {
            o.putNull("report");
        } else {
            o.put("report", report);
        }
        return o;
    }
}
