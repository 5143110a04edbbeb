package org.heatwave.pipeline.config;

/**
 * A configuration that cannot run: an unknown key, a value of the wrong type or outside its range, or keys
 * that contradict each other. The message names the key(s). Exit code 78 ({@code EX_CONFIG}).
 */
public final class ConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
