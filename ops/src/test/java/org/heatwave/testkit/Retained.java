package org.heatwave.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The memory a forward pass keeps alive for its derivative passes: the bytes of the primitive arrays
 * (feature maps, normalisation caches, …) reachable from a {@link org.heatwave.layer.Layer.Trace},
 * each array counted once, not counting what is reachable from the objects excluded (the block's input,
 * which the previous layer's trace holds anyway). Deterministic — a count, not a heap measurement.
 * It follows the fields of heatwave's own classes, the elements of arrays and collections, and nothing
 * else of the JDK.
 */
public final class Retained {
    private Retained() {
    }

    /** Bytes of primitive arrays reachable from {@code root} but not from {@code excluded}. */
    public static long bytes(Object root, Object... excluded) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        for (Object e : excluded) {
            walk(e, seen);
        }
        return walk(root, seen);
    }

    private static long walk(Object root, Map<Object, Boolean> seen) {
        long bytes = 0;
        Deque<Object> todo = new ArrayDeque<>();
        push(todo, root);
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (seen.put(o, Boolean.TRUE) != null) {
                continue;
            }
            Class<?> c = o.getClass();
            if (c.isArray()) {
                Class<?> e = c.getComponentType();
                int len = java.lang.reflect.Array.getLength(o);
                if (e.isPrimitive()) {
                    bytes += (long) len * width(e);
                } else {
                    for (Object x : (Object[]) o) {
                        push(todo, x);
                    }
                }
            } else if (o instanceof Collection<?> col) {
                col.forEach(x -> push(todo, x));
            } else if (o instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    push(todo, k);
                    push(todo, v);
                });
            } else if (c.getName().startsWith("org.heatwave.")) {
                for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                    for (Field f : k.getDeclaredFields()) {
                        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                            continue;
                        }
                        try {
                            f.setAccessible(true);
                            push(todo, f.get(o));
                        } catch (ReflectiveOperationException | RuntimeException e) {
                            throw new IllegalStateException("cannot read " + f, e);
                        }
                    }
                }
            }
        }
        return bytes;
    }

    private static void push(Deque<Object> todo, Object o) {
        if (o != null) {
            todo.push(o);
        }
    }

    private static int width(Class<?> primitive) {
        if (primitive == double.class || primitive == long.class) {
            return 8;
        }
        if (primitive == float.class || primitive == int.class) {
            return 4;
        }
        return primitive == short.class || primitive == char.class ? 2 : 1;
    }
}
