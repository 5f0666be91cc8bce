package org.cxrclip.engine;

/** A shape, rank or index error, raised before any kernel runs; its message names the op and the shapes. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
