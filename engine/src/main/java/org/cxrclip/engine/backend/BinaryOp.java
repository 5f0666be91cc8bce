package org.cxrclip.engine.backend;

/** Element-wise binary arithmetic with numpy broadcasting. */
public enum BinaryOp {
    ADD,
    SUB,
    MUL,
    DIV
}
