package org.cxrclip.engine.backend;

/** Reductions along one axis. Mean is SUM scaled by the op layer. */
public enum ReduceOp {
    SUM,
    MAX
}
