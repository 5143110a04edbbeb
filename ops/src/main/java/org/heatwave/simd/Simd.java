package org.heatwave.simd;

import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Chooses between a Vector API kernel class and its plain-loop twin, once per kernel.
 *
 * <p>Rules for every kernel, each learnt from a 10–40× slowdown on JDK 17's C2 (the symptom is always
 * {@code float[]} allocation in {@code jdk.incubator.vector} frames under JFR — vectors boxed on the heap):
 * <ul>
 *   <li>one species per element type in the whole JVM ({@code SPECIES_PREFERRED}): once a second shape of
 *       float vector has run, the Vector API's shared code sees two vector classes and stops being
 *       intrinsified — for every kernel, not only the one that used it;</li>
 *   <li>one hot loop per kernel method, with the vectors local to it (vectors carried across nested loops
 *       or passed to a non-inlined helper are boxed);</li>
 *   <li>small bodies: a method that exceeds C2's inlining node budget leaves Vector API calls uninlined.</li>
 * </ul>
 */
public final class Simd {
    /** The JVM option that makes the vectorised kernels available. */
    public static final String JVM_OPTION = "--add-modules=jdk.incubator.vector";
    /** Set {@code -Dheatwave.scalar=true} to run the plain loops even when the module is present. */
    public static final String SCALAR_PROPERTY = "heatwave.scalar";
    private static final Logger LOG = Logger.getLogger(Simd.class.getName());

    private Simd() {
    }

    /** Whether the Vector API can be used (module resolved, not switched off). */
    public static boolean available() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && !Boolean.getBoolean(SCALAR_PROPERTY);
    }

    /**
     * An instance of the Vector API kernel {@code className} (a no-argument constructor; loaded
     * reflectively so that nothing links against the module when it is absent), or {@code scalar}.
     */
    public static <T> T load(Class<T> type, String className, Supplier<? extends T> scalar) {
        if (available()) {
            try {
                var constructor = Class.forName(className).getDeclaredConstructor();
                constructor.setAccessible(true);
                return type.cast(constructor.newInstance());
            } catch (ReflectiveOperationException | LinkageError e) {
                LOG.warning("Vector API present but unusable, " + className + " runs as plain loops: " + e);
            }
        }
        return scalar.get();
    }
}
